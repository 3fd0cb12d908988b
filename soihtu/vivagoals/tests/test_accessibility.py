"""axe-core finds no WCAG violations on the upload, mapping and preview pages, in any language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soihtu.conftest import World, make_objective
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.vivagoals.tests.uploads import an_upload

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[int], str]] = {
    "upload": lambda upload: "/exchange/viva-goals/",
    "mapping": lambda upload: f"/exchange/viva-goals/{upload}/mapping/",
    "preview": lambda upload: f"/exchange/viva-goals/{upload}/preview/",
}
AXE = Axe()


def add_content(world: World) -> int:
    """An upload whose preview has every section: objectives, rows not imported, a column
    not imported, an objective already in Soihtu and notes."""
    make_objective(world.team_a, year=world.year, cycle=world.cycle, title="Faster service")
    return an_upload(world, "full_export.csv").pk


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    upload = add_content(live_world)
    page = browsing.open(live_world.admin, language)
    response = page.goto(PAGES[name](upload))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_mapping_page_with_errors_has_no_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    upload = add_content(live_world)
    page = browsing.open(live_world.admin, language)
    page.goto(PAGES["mapping"](upload))
    page.locator("#id_column_1").select_option("type")  # no title, and the type twice
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator("#id_column_2_error")).to_be_visible()
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
