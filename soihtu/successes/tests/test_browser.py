"""In a real browser: a success is shared and thanked (once only), and an idea moves
new → tried → adopted with its history shown."""

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
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.successes.models import Success, Thanks

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_success_is_shared_and_thanked_once(live_world: World, browsing: Browsing) -> None:
    world = live_world
    page = browsing.open(world.member, "en")
    page.goto(f"/successes/teams/{world.team_a.pk}/new/")
    page.get_by_label("Title").fill("Jono purettu")
    page.get_by_label("Story").fill("Teimme sen yhdessä.")
    page.get_by_role("group", name="Objectives").get_by_role(
        "checkbox", name=world.objective_a.title, exact=False
    ).check()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jono purettu")
    success = Success.objects.get()
    assert list(success.objectives.all()) == [world.objective_a]

    other = browsing.open(world.outsider, "en")
    other.goto("/successes/")
    card = other.get_by_role("article").filter(has_text="Jono purettu")
    card.get_by_role("button", name="Thank the team").click()
    expect(card.get_by_role("button", name="Thanked")).to_be_visible()
    expect(card.locator(".thanks-count")).to_have_text("1 thanks")
    other.reload()
    card = other.get_by_role("article").filter(has_text="Jono purettu")
    expect(card.get_by_role("button", name="Thanked")).to_have_attribute("aria-pressed", "true")
    assert Thanks.objects.filter(success=success).count() == 1


def test_thanks_works_without_javascript(live_world: World, browsing: Browsing) -> None:
    world = live_world
    page = browsing.open(world.member, "en", javascript=False)
    page.goto(f"/successes/teams/{world.team_a.pk}/new/")
    page.get_by_label("Title").fill("Ilman JavaScriptiä")
    page.get_by_label("Story").fill("Toimii.")
    page.get_by_role("button", name="Share", exact=True).click()
    page.goto("/successes/")
    page.get_by_role("button", name="Thank the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Successes")
    expect(page.locator(".thanks-count")).to_have_text("1 thanks")


def test_an_idea_moves_from_new_to_adopted(live_world: World, browsing: Browsing) -> None:
    world = live_world
    page = browsing.open(world.torchbearer, "en")
    page.goto(f"/ideas/teams/{world.team_a.pk}/")
    page.get_by_role("link", name="Record an idea").click()
    page.get_by_label("Title").fill("Chat-päivystys")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chat-päivystys")
    idea = Idea.objects.get()

    page.goto(f"/ideas/teams/{world.team_a.pk}/")
    new = page.get_by_role("region", name="New")
    new.get_by_label("Note for the step").fill("Kokeillaan kuukausi")
    new.get_by_role("button", name="Start trying").click()
    tried = page.get_by_role("region", name="Tried")
    expect(tried.get_by_role("heading", name="Chat-päivystys")).to_be_visible()
    tried.get_by_role("button", name="Mark adopted").click()
    adopted = page.get_by_role("region", name="Adopted")
    expect(adopted.get_by_role("heading", name="Chat-päivystys")).to_be_visible()

    adopted.get_by_role("link", name="Chat-päivystys").click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(4)
    expect(rows.nth(2)).to_contain_text("new → tried")
    expect(rows.nth(2)).to_contain_text("Kokeillaan kuukausi")
    expect(rows.nth(3)).to_contain_text("tried → adopted")
    idea.refresh_from_db()
    assert idea.state == Idea.State.ADOPTED
    assert IdeaStep.objects.filter(idea=idea).count() == 3
