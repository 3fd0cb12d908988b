"""axe-core finds no WCAG violations on any page, in any of the three languages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
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

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[World], str]] = {
    "my_okrs": lambda w: "/",
    "unit": lambda w: f"/units/{w.team_a.pk}/",
    "objective": lambda w: f"/objectives/{w.objective_a.pk}/",
    "strategy": lambda w: "/strategy/",
    "organization": lambda w: "/organization/",
    "organization_division": lambda w: f"/organization/?unit={w.unit_a.pk}",
    "organization_search": lambda w: "/organization/?q=palvelu",
    "objective_create": lambda w: f"/units/{w.team_a.pk}/objectives/new/",
    "objective_edit": lambda w: f"/objectives/{w.objective_a.pk}/edit/",
    "key_result_create": lambda w: f"/objectives/{w.objective_a.pk}/key-results/new/",
    "checkin": lambda w: f"/key-results/{w.kr_a1.pk}/check-in/",
    "login": lambda w: "/accounts/login/",
}
AXE = Axe()


def add_checkins(world: World) -> None:
    """Two check-ins on objective_a's key results, so the charts and tables render."""
    for day, value, confidence in [(10, "11", 6), (20, "9", 7)]:
        checkin_create(
            author=world.member,
            key_result=world.kr_a1,
            value=Decimal(value),
            confidence=confidence,
            note="Jonotusaika lyheni",
            measured_on=datetime.date(2026, 11, day),
        )
    checkin_create(
        author=world.torchbearer,
        key_result=world.kr_a2,
        value=Decimal(1),
        confidence=9,
        measured_on=datetime.date(2026, 11, 20),
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    world = live_world
    add_checkins(world)
    user = None if name == "login" else world.torchbearer
    page = browsing.open(user, language)

    response = page.goto(PAGES[name](world))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    if name == "objective":
        expect(page.locator("svg.line-chart")).to_have_count(2)
    # Check the inline check-in forms too, not only their closed summaries.
    page.locator("details").evaluate_all("els => els.forEach(el => { el.open = true; })")

    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
