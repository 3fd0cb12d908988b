"""axe-core finds no WCAG violations on the torchbearer's desk, with every section showing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soihtu.checkins.services import checkin_create
from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.cycles.models import Cycle, TeamCycle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = Axe()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_axe_violations_on_the_desk(
    live_world: World, browsing: Browsing, language: str
) -> None:
    world = live_world
    following = Cycle.objects.create(
        year=world.year,
        name="T4",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 4, 30),
    )
    TeamCycle.objects.create(team=world.team_a, cycle=following, state=Cycle.State.PLANNING)
    checkin_create(author=world.member, key_result=world.kr_a2, value=Decimal(1), confidence=9)
    page = browsing.open(world.torchbearer, language)
    response = page.goto(f"/teams/{world.team_a.pk}/desk/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("section.card")).to_have_count(4)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
