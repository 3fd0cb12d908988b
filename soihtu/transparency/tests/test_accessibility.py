"""axe-core finds no WCAG violations on the public page (signed out) and the settings page, in
any language."""

from __future__ import annotations

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
from soihtu.okrs.models import Objective
from soihtu.transparency.tests.helpers import publish

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
AXE = Axe()


def add_content(world: World) -> None:
    publish(world)
    make_objective(
        world.root,
        year=world.year,
        cycle=None,
        title="Luonnos",
        status=Objective.Status.DRAFT,
    )
    make_objective(
        world.root,
        year=world.year,
        cycle=None,
        title="Rajattu",
        visibility=Objective.Visibility.RESTRICTED,
        is_public=True,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("signed_in", [False, True])
def test_public_page_has_no_axe_violations(
    live_world: World, browsing: Browsing, language: str, signed_in: bool
) -> None:
    add_content(live_world)
    page = browsing.open(live_world.member if signed_in else None, language)
    response = page.goto("/open/")
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_settings_page_has_no_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    add_content(live_world)
    page = browsing.open(live_world.admin, language)
    response = page.goto("/open/settings/")
    assert response is not None
    assert response.status == 200, response.url
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
