"""axe-core finds no WCAG violations on the planning page and the record, in fi, sv and en."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.planning import services
from soihtu.planning.tests.conftest import open_planning

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[World], str]] = {
    "planning": lambda w: f"/teams/{w.team_a.pk}/planning/{w.cycle.pk}/",
    "closed_planning": lambda w: f"/teams/{w.team_a.pk}/planning/{w.closed_cycle.pk}/",
    "record": lambda w: f"/teams/{w.team_a.pk}/planning/",
}
AXE = Axe()


def add_planning(world: World) -> None:
    planning = open_planning(world)
    services.proposal_support(actor=world.member, proposal=planning.kr_proposal_a)
    services.proposal_comment(actor=world.member, proposal=planning.kr_proposal_a, text="Hyvä!")
    declined = services.proposal_create(
        actor=world.member, team=world.team_a, cycle=world.cycle, kind="objective", title="Ei"
    )
    services.proposal_decline(actor=world.torchbearer, proposal=declined, reason="Ei nyt")
    TeamCycle.objects.create(
        team=world.team_a,
        cycle=world.closed_cycle,
        state=Cycle.State.CLOSED,
        activated_at=datetime.datetime(2026, 5, 1, 10, tzinfo=ZoneInfo("Europe/Helsinki")),
        participation_percent=33,
        activated_below_half=True,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    world = live_world
    add_planning(world)
    page = browsing.open(world.torchbearer, language)
    response = page.goto(PAGES[name](world))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("details").evaluate_all("els => els.forEach(el => { el.open = true; })")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
