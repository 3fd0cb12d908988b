"""axe-core finds no WCAG violations on the dashboard, in any of the three languages."""

from __future__ import annotations

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
from soihtu.dashboard.tests.fixtures import Practice

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = Axe()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("persona", ["admin", "division_head"])
def test_no_axe_violations(
    live_world: World, practice: Practice, browsing: Browsing, language: str, persona: str
) -> None:
    user = practice.division_head if persona == "division_head" else live_world.admin
    page = browsing.open(user, language)

    response = page.goto("/dashboard/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table")).to_have_count(6)  # every block with its table

    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
