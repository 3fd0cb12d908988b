"""axe-core finds no WCAG violations on the published results page (a member) and on the round
page offering to publish (the org admin), in every language."""

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
from soihtu.surveys import services
from soihtu.surveys.models import SurveyRound
from soihtu.surveys.tests.factories import open_round
from soihtu.surveys.tests.test_browser import _add_answers

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]
AXE = Axe()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_published_results_and_the_publish_control_have_no_axe_violations(
    live_world: World, browsing: Browsing, language: str
) -> None:
    world = live_world
    survey = open_round(world.admin)
    _add_answers(survey, world, 7)
    survey = services.round_set_state(
        actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED
    )
    admin = browsing.open(world.admin, language)
    response = admin.goto(f"/surveys/{survey.pk}/edit/")
    assert response is not None
    assert response.status == 200
    results = AXE.run(admin)
    assert results.violations_count == 0, results.generate_report()
    services.round_results_publish(actor=world.admin, survey=survey, published=True)
    page = browsing.open(world.member, language)
    response = page.goto("/surveys/published/")
    assert response is not None
    assert response.status == 200
    assert page.locator("svg.survey-bars").count() > 0
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
