"""axe-core finds no WCAG violations on the privacy pages, in any language; anonymizing works
in a browser without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

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
from soihtu.privacy.tests.builders import Built, build, leave

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[Built], str]] = {
    "people": lambda b: "/privacy/?q=a",
    "person_left": lambda b: f"/privacy/people/{b.person.pk}/",
    "person_active": lambda b: f"/privacy/people/{b.colleague.pk}/",
}
AXE = Axe()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    built = build(live_world)
    leave(built.person)
    page = browsing.open(live_world.admin, language)
    response = page.goto(PAGES[name](built))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_anonymizing_in_the_browser_without_javascript(
    live_world: World, browsing: Browsing, language: str
) -> None:
    built = build(live_world)
    leave(built.person)
    page = browsing.open(live_world.admin, language, javascript=False)
    page.goto(f"/privacy/people/{built.person.pk}/")
    page.locator("input[name=confirm]").check()
    page.locator("form button.danger").click()
    expect(page.locator(".messages")).to_be_visible()
    assert "Kettumäki" not in page.content()
