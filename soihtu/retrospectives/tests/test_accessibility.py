"""axe-core finds no WCAG violations on the retrospective page and the learning library,
in any of the three languages."""

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
from soihtu.learning.models import Learning
from soihtu.retrospectives import services
from soihtu.retrospectives.tests.helpers import open_review

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[World], str]] = {
    "open_retrospective": lambda w: f"/teams/{w.team_a.pk}/retrospective/{w.cycle.pk}/",
    "library": lambda w: "/learning/",
    "library_search": lambda w: "/learning/?q=asiakas",
}
AXE = Axe()


def prepare(world: World) -> None:
    """An open retrospective with a review, and learnings from team B on the same goals."""
    open_review(world)
    services.objective_review_save(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        objective=world.objective_a,
        outcome="partly",
        learned="Asiakkaiden palaute kannattaa kerätä heti",
    )
    world.objective_b.contributes_to.set([world.org_objective])
    learning = Learning.objects.create(
        text="Asiakasviestien selkokielisyys auttoi",
        team=world.team_b,
        cycle=world.cycle,
        objective=world.objective_b,
    )
    learning.themes.set([world.themes[0]])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    world = live_world
    prepare(world)
    page = browsing.open(world.torchbearer, language)
    response = page.goto(PAGES[name](world))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("details").evaluate_all("els => els.forEach(el => { el.open = true; })")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
