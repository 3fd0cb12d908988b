"""axe-core finds no WCAG violations on the accessibility statement (signed out, and with a
refused feedback message), its settings page, and the 403, 404 and 500 pages, in any language."""

from __future__ import annotations

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser-2"),
    pytest.mark.urls("soihtu.core.tests.error_urls"),
]

LANGUAGES = ["fi", "sv", "en"]
AXE = Axe()


def assert_no_violations(page: Page, url: str, status: int, language: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_statement_has_no_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    assert_no_violations(browsing.open(None, language), "/accessibility/", 200, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_refused_feedback_keeps_the_text_without_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    page = browsing.open(None, language)
    page.goto("/accessibility/")
    page.locator("#id_email").fill("not an address")
    page.locator("#id_page_address").fill("/units/")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.locator("#id_page_address")).to_have_value("/units/")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_feedback_is_sent_from_the_browser(live_world: World, browsing: Browsing) -> None:
    page = browsing.open(None, "en")
    page.goto("/accessibility/")
    page.locator("#id_message").fill("The chart has no text alternative.")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_settings_page_has_no_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    page = browsing.open(live_world.admin, language)
    assert_no_violations(page, "/accessibility/settings/", 200, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("url", "status", "signed_in"),
    [
        ("/no-such-page/", 404, False),
        ("/no-such-page/", 404, True),
        ("/administration/", 403, True),
        ("/test-errors/500/", 500, False),
        ("/test-errors/500/", 500, True),
    ],
)
def test_error_pages_have_no_axe_violations(
    live_world: World, browsing: Browsing, language: str, url: str, status: int, signed_in: bool
) -> None:
    page = browsing.open(live_world.member if signed_in else None, language)
    assert_no_violations(page, url, status, language)
