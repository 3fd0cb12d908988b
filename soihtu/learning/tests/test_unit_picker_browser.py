"""In a real browser: the unit picker of the learning library and the successes feed suggests
units as the person types (htmx), works by keyboard, works without JavaScript, reflows at
320 CSS px, and axe-core finds no WCAG violations in any of its states and languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.learning.models import Learning

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[World], str]] = {
    "library_several": lambda w: "/learning/?unit_name=team",
    "library_none": lambda w: "/learning/?unit_name=zzz",
    "library_chosen": lambda w: f"/learning/?unit={w.team_b.pk}",
    "feed_several": lambda w: "/successes/?unit_name=team",
    "feed_chosen": lambda w: f"/successes/?unit={w.unit_a.pk}",
}
AXE = Axe()


def _learnings(world: World) -> None:
    Learning.objects.create(text="Tiimin A oppi", team=world.team_a, cycle=world.cycle)
    Learning.objects.create(text="Tiimin B oppi", team=world.team_b, cycle=world.cycle)


def _assert_no_violations(page: Page) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    _learnings(live_world)
    page = browsing.open(live_world.member, language)
    response = page.goto(PAGES[name](live_world))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    _assert_no_violations(page)


def test_suggestions_appear_while_typing_and_a_link_filters(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    _learnings(world)
    page = browsing.open(world.member, "en")
    page.goto(f"/learning/?cycle={world.cycle.pk}")
    field = page.get_by_role("searchbox", name="Unit")
    field.press_sequentially("team")
    status = page.locator("#unit-picker-status")  # a live region: screen readers announce it
    suggestions = page.locator("#unit-suggestions")
    expect(status).to_have_text("3 units match “team”. Did you mean:")
    expect(status).to_have_attribute("role", "status")
    expect(suggestions.get_by_role("link")).to_have_count(3)
    field.press_sequentially(" b")
    expect(status).to_have_text("One unit matches “team b”:")
    expect(suggestions.get_by_role("link")).to_have_count(1)
    # By keyboard: from the field, Tab moves past the help text to the suggested unit.
    field.press("Tab")
    link = suggestions.get_by_role("link", name="Team B (team, Unit A)")
    expect(link).to_be_focused()
    link.press("Enter")
    # The link keeps the form's other filters, and the page shows the chosen unit's name.
    page.wait_for_url(lambda url: f"unit={world.team_b.pk}" in url)
    assert f"cycle={world.cycle.pk}" in page.url
    expect(page.get_by_role("searchbox", name="Unit")).to_have_value("Team B")
    expect(page.locator("main")).to_contain_text("Tiimin B oppi")
    expect(page.locator("main")).not_to_contain_text("Tiimin A oppi")
    _assert_no_violations(page)


def test_the_picker_works_without_javascript_on_a_narrow_screen(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    _learnings(world)
    page = browsing.open(world.member, "en", javascript=False)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/learning/")
    field = page.get_by_role("searchbox", name="Unit")
    field.fill("team")
    field.press("Enter")
    expect(page.locator("#unit-picker-status")).to_have_text("3 units match “team”. Did you mean:")
    # WCAG 1.4.10: the suggestions reflow at 320 CSS px, nothing scrolls sideways.
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 320
    page.get_by_role("link", name="Team A (team, Unit A)").click()
    expect(page.get_by_role("searchbox", name="Unit")).to_have_value("Team A")
    expect(page.locator("main")).not_to_contain_text("Tiimin B oppi")

    page.goto("/successes/")
    field = page.get_by_role("searchbox", name="Unit")
    field.fill("unit a")
    field.press("Enter")
    expect(page.get_by_role("searchbox", name="Unit")).to_have_value("Unit A")
    expect(page.locator("input[type=hidden][name=unit]")).to_have_value(str(world.unit_a.pk))
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 320
