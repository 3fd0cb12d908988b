"""axe-core finds no WCAG violations on the successes and ideas pages, in any language."""

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
from soihtu.ideas.models import Idea
from soihtu.ideas.services import idea_create, idea_move
from soihtu.organization.roles import build_actor
from soihtu.successes.services import success_share, success_thank

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
PAGES: dict[str, Callable[[World, int], str]] = {
    "feed": lambda w, idea: "/successes/",
    "share_form": lambda w, idea: f"/successes/teams/{w.team_a.pk}/new/",
    "ideas_team": lambda w, idea: f"/ideas/teams/{w.team_a.pk}/",
    "idea_form": lambda w, idea: f"/ideas/teams/{w.team_a.pk}/new/",
    "idea": lambda w, idea: f"/ideas/{idea}/",
    "ideas_overview": lambda w, idea: "/ideas/",
}
AXE = Axe()


def add_content(world: World) -> int:
    torchbearer = build_actor(world.torchbearer)
    success = success_share(
        actor=torchbearer,
        team=world.team_a,
        title="Jono purettu",
        story="Teimme sen yhdessä.",
        objectives=[world.objective_a],
    )
    success_thank(actor=build_actor(world.member_b), success=success)
    ideas = [idea_create(actor=torchbearer, team=world.team_a, title=f"Idea {i}") for i in range(3)]
    idea_move(actor=torchbearer, idea=ideas[1], to_state=Idea.State.TRIED, note="Kokeillaan")
    idea_move(actor=torchbearer, idea=ideas[2], to_state=Idea.State.DROPPED)
    return ideas[1].pk


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    idea = add_content(live_world)
    page = browsing.open(live_world.torchbearer, language)
    response = page.goto(PAGES[name](live_world, idea))
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
