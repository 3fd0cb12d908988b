"""The retrospective story in a real browser: the torchbearer completes the retrospective with a
learning, and a member of another team finds it in the library."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.cycles.models import TeamCycle
from soihtu.learning.models import Learning
from soihtu.retrospectives.tests.helpers import open_review

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LEARNED = "Asiakkaiden palaute kannattaa kerätä heti palvelun jälkeen"
WHY = "Chat otettiin käyttöön vasta marraskuussa"
WORKED = "Viikkopalaverit pitivät tavoitteet mielessä"


def test_torchbearer_completes_and_another_team_finds_the_learning(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    open_review(world)
    page = browsing.open(world.torchbearer, "en")
    page.goto(f"/teams/{world.team_a.pk}/retrospective/{world.cycle.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retrospective of Team A")

    card = page.locator(f"#objective-{world.objective_a.pk}")
    card.get_by_role("radio", name="partly reached").check()
    card.get_by_label("Why?").fill("Chat otettiin käyttöön vasta marraskuussa")
    card.get_by_label("What we learned").fill(LEARNED)
    card.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Changes saved.")

    page.get_by_label("What we change").fill("Sovimme mittarit ennen tertiaalia")
    page.get_by_label("Complete anyway").check()  # the restricted objective is not reviewed
    page.get_by_role("button", name="Complete the retrospective").click()
    expect(page.get_by_role("status")).to_contain_text("The retrospective is complete.")
    assert TeamCycle.objects.get(team=world.team_a, cycle=world.cycle).state == "closed"
    assert Learning.objects.filter(text=LEARNED, internal=False).exists()

    other = browsing.open(world.member_b, "en")
    other.goto("/learning/")
    other.get_by_role("textbox", name="Search learnings").fill("palaute")
    other.get_by_role("button", name="Search", exact=True).click()
    result = other.locator(".learning-list li").filter(has_text=LEARNED)
    expect(result).to_have_count(1)
    expect(result.get_by_role("link", name=world.objective_a.title)).to_be_visible()
    expect(result.get_by_role("link", name="Team A")).to_be_visible()


def test_text_typed_in_two_blocks_is_kept_when_one_is_saved(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    open_review(world)
    page = browsing.open(world.member, "en")
    url = f"/teams/{world.team_a.pk}/retrospective/{world.cycle.pk}/"
    page.goto(url)
    card = page.locator(f"#objective-{world.objective_a.pk}")
    card.get_by_label("Why?").fill(WHY)
    page.get_by_label("What worked in our way of working").fill(WORKED)
    card.get_by_role("button", name="Save").click()  # the button of the first block only
    expect(page.get_by_role("status")).to_contain_text("Changes saved.")
    page.goto(url)  # after a reload, both texts are there
    expect(card.get_by_label("Why?")).to_have_value(WHY)
    expect(page.get_by_label("What worked in our way of working")).to_have_value(WORKED)
