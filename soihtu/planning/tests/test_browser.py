"""Choosing goals together in a real browser: members propose and support, the torchbearer
settles the proposals and activates the cycle, confirming because fewer than half took part."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from soihtu.conftest import World, make_user
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership
from soihtu.planning.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FIRST = "Asiakkaat saavat vastauksen päivässä"
SECOND = "Uusi intranet tiimille"


def propose(page: Page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Your proposal is saved")


def test_team_chooses_its_goals_together(live_world: World, browsing: Browsing) -> None:
    world = live_world
    extra = [make_user(f"extra_{i}") for i in range(5)]
    for user in extra:
        Membership.objects.create(user=user, unit=world.team_a)  # 8 members in team A
    url = f"/teams/{world.team_a.pk}/planning/{world.cycle.pk}/"

    leader = browsing.open(world.torchbearer, "en")
    leader.goto(url)
    leader.get_by_role("button", name="Open planning").click()
    expect(leader.get_by_role("status")).to_contain_text("Planning is open")

    propose(browsing.open(world.member, "en"), url, FIRST)
    propose(browsing.open(extra[0], "en"), url, SECOND)
    first = Proposal.objects.get(title=FIRST)
    second = Proposal.objects.get(title=SECOND)

    supporter = browsing.open(extra[1], "en")
    supporter.goto(url)
    card = supporter.locator(f"#proposal-{first.pk}")
    card.get_by_role("button", name=re.compile(f"^Support.*{FIRST}")).click()
    expect(card.locator(".support")).to_contain_text("1 support")
    expect(
        card.get_by_role("button", name=re.compile(f"^Withdraw support.*{FIRST}"))
    ).to_be_visible()

    leader.goto(url)
    card = leader.locator(f"#proposal-{first.pk}")
    card.locator("summary", has_text="Accept").click()
    card.get_by_role("button", name="Accept proposal").click()
    expect(leader.get_by_role("status")).to_contain_text("Proposal accepted")
    card = leader.locator(f"#proposal-{second.pk}")
    card.locator("summary", has_text="Decline").click()
    card.get_by_label("Reason the team can read").fill("Ei mahdu tähän jaksoon.")
    card.get_by_role("button", name="Decline proposal").click()
    expect(leader.locator(f"#proposal-{second.pk}")).to_contain_text("Ei mahdu tähän jaksoon.")
    expect(leader.get_by_text("3 of 8 members took part (38 %)")).to_be_visible()

    leader.get_by_role("button", name="Activate the cycle").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Activate the cycle?")
    leader.get_by_role("button", name="Activate anyway").click()
    expect(leader.get_by_role("status")).to_contain_text("The cycle is active")

    team_cycle = TeamCycle.objects.get(team=world.team_a, cycle=world.cycle)
    assert team_cycle.state == Cycle.State.ACTIVE
    assert team_cycle.activated_below_half
    objective = Objective.objects.get(title=FIRST)
    assert objective.status == Objective.Status.ACTIVE

    leader.goto(f"/teams/{world.team_a.pk}/planning/")
    row = leader.get_by_role("row").filter(has_text=str(world.cycle))
    expect(row).to_contain_text("fewer than half took part")
    expect(row).to_contain_text("38 % took part")
