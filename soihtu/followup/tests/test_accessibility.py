"""axe-core finds no WCAG violations on the follow-up pages, in any of the three languages."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soihtu.conftest import NOW, World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.followup.models import FollowUpMeeting
from soihtu.followup.tests.helpers import check_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[World], str]] = {
    "meeting": lambda w: f"/teams/{w.team_a.pk}/follow-up/",
    "cadence": lambda w: f"/teams/{w.team_a.pk}/cadence/",
    "my_reminders": lambda w: "/me/reminders/",
}
AXE = Axe()


def add_history(world: World) -> None:
    """A meeting, then check-ins with a confidence drop and notes, so every section shows."""
    with time_machine.travel(NOW - datetime.timedelta(days=20), tick=False):
        check_in(world.member, world.kr_a1, value="11", confidence=8)
        FollowUpMeeting.objects.create(team=world.team_a, held_by=world.torchbearer)
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        check_in(world.member, world.kr_a1, value="9", confidence=5, note="Jono lyheni")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    world = live_world
    add_history(world)
    page = browsing.open(world.torchbearer, language)
    response = page.goto(PAGES[name](world))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
