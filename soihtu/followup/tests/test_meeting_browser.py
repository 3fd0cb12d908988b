"""A torchbearer runs the team's follow-up meeting in a real browser: checks in on three key
results at once (one with a bad value, kept in its row while the other two save), moves the
presentation with the keyboard, and opens the print view. axe finds nothing on the three pages,
and neither the meeting page nor the presentation scrolls sideways at 320 px."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from soihtu.conftest import World, make_kr
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.followup.tests.helpers import check_in, fresh
from soihtu.okrs.models import KeyResult

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

AXE = Axe()
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _axe_clean(page: Page) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def _third_key_result(world: World) -> KeyResult:
    kr = make_kr(world.objective_a, "Palautteita 100", owner=world.torchbearer)
    check_in(world.torchbearer, kr, value="40", confidence=6)
    return kr


def test_torchbearer_runs_the_meeting(live_world: World, browsing: Browsing) -> None:
    world = live_world
    kr_a3 = _third_key_result(world)
    page = browsing.open(world.torchbearer, "en")
    meeting = f"/teams/{world.team_a.pk}/follow-up/"
    page.goto(meeting)
    _axe_clean(page)

    page.locator(f"#row-{world.kr_a1.pk}").get_by_label("New value").fill("9")
    page.locator(f"#row-{world.kr_a2.pk}").get_by_role("radio", name="done", exact=True).check()
    bad = page.locator(f"#row-{kr_a3.pk}")
    bad.get_by_label("New value").fill("paljon")
    bad.get_by_label("Note (optional)").fill("Kysely myöhässä")
    page.get_by_role("button", name="Save changed rows").click()

    expect(page.get_by_role("status")).to_contain_text("2 check-ins saved.")
    bad = page.locator(f"#row-{kr_a3.pk}")
    expect(bad.get_by_label("New value")).to_have_value("paljon")
    expect(bad.get_by_label("Note (optional)")).to_have_value("Kysely myöhässä")
    expect(bad).to_contain_text("Enter a number.")
    assert fresh(world.kr_a1).current_value == Decimal(9)
    assert fresh(world.kr_a2).current_value == Decimal(1)
    assert fresh(kr_a3).current_value == Decimal(40)

    # The presentation: one objective at a time, moved with the arrow keys.
    page.goto(f"/teams/{world.team_a.pk}/follow-up/present/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(world.objective_a.title)
    _axe_clean(page)
    # Each key press loads a page: wait for its load event (the deferred script that follows
    # the keys has run by then) before the next press.
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"\?o=2$"))
    expect(heading).to_have_text(world.restricted_a.title)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"\?o=1$"))
    expect(heading).to_have_text(world.objective_a.title)
    page.keyboard.press("PageDown")
    expect(heading).to_have_text(world.restricted_a.title)

    # The print view: the navigation is left out of the printout.
    page.goto(f"/teams/{world.team_a.pk}/follow-up/print/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow-up meeting: Team A")
    _axe_clean(page)
    nav = page.get_by_role("navigation", name="Main")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(nav).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_text(world.kr_a1.title)).to_be_visible()
    page.emulate_media(media="screen")

    # A phone: nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    for url in [meeting, f"/teams/{world.team_a.pk}/follow-up/present/"]:
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), url
