"""axe-core finds no WCAG violations on the exchange page, in any language and state."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from soihtu.accounts.models import User
from soihtu.conftest import World, make_user
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.exchange.tests.helpers import wipe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
AXE = Axe()


def _check(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_with_data(live_world: World, browsing: Browsing, language: str) -> None:
    page = browsing.open(live_world.admin, language)
    response = page.goto("/exchange/")
    assert response is not None
    assert response.status == 200
    _check(page, language)


def _empty(live_world: World) -> User:
    wipe()
    return make_user("admin_okr", org_admin=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_empty_installation_with_import_errors(
    live_world: World, browsing: Browsing, language: str
) -> None:
    page = browsing.open(_empty(live_world), language)
    page.goto("/exchange/")
    _check(page, language)
    page.locator("input[type=file]").set_input_files(
        {"name": "broken.json", "mimeType": "application/json", "buffer": b"{broken"}
    )
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#import-errors")).to_be_visible()
    _check(page, language)
