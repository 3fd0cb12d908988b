"""axe-core finds no WCAG violations on the ideas of all teams, searched and filtered, and on
another team's idea, in every language."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.ideas.services import idea_create
from soihtu.organization.roles import build_actor

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]
AXE = Axe()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_ideas_of_all_teams_have_no_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    world = live_world
    actor = build_actor(world.member)
    idea = None
    for number in range(22):
        idea = idea_create(
            actor=actor,
            team=world.team_a,
            title=f"Idea {number}",
            description="Kokeillaan",
            objectives=[world.objective_a],
        )
    assert idea is not None
    page = browsing.open(world.outsider, language)
    for url in [
        "/ideas/browse/",
        f"/ideas/browse/?q=idea&unit={world.unit_a.pk}",
        "/ideas/browse/?unit_name=Team",  # several units match: "did you mean"
        f"/ideas/{idea.pk}/",
    ]:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        results = AXE.run(page)
        assert results.violations_count == 0, (url, results.generate_report())
