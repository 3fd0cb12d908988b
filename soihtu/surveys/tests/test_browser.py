"""In the browser: a member answers once, the org admin sees the results; axe finds nothing."""

from __future__ import annotations

import datetime

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
from soihtu.surveys import services
from soihtu.surveys.models import Answer, Question, Respondent, Response, SurveyRound
from soihtu.surveys.tests.factories import open_round

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
AXE = Axe()


def _add_answers(survey: SurveyRound, world: World, count: int = 6) -> None:
    for i in range(count):
        response = Response.objects.create(
            round=survey,
            breakdown_unit=world.division,
            team_uses_okrs=i % 2 == 0,
            submitted_on=datetime.date(2026, 11, 20),
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=q,
                likert=(i % 5) + 1 if q.kind == "likert" else None,
                yes_no=True if q.kind == "yes_no" else None,
                text="Hyvä" if q.kind == Question.Kind.TEXT else "",
            )
            for q in survey.questions.all()
        )


def test_member_answers_once_and_admin_sees_results(live_world: World, browsing: Browsing) -> None:
    world = live_world
    survey = open_round(world.admin)
    _add_answers(survey, world, 5)
    page = browsing.open(world.member, "en")
    page.goto(f"/surveys/{survey.pk}/answer/")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").first.check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page).not_to_have_url(f"/surveys/{survey.pk}/answer/")
    assert Respondent.objects.filter(user=world.member).count() == 1
    page.goto(f"/surveys/{survey.pk}/answer/")
    expect(page.get_by_text("You have already answered")).to_be_visible()
    assert Response.objects.filter(round=survey).count() == 6
    admin = browsing.open(world.admin, "en")
    admin.goto(f"/surveys/{survey.pk}/results/")
    expect(admin.get_by_text("6 answers").first).to_be_visible()
    expect(admin.get_by_text("Results are shown when the round closes")).to_be_visible()
    expect(admin.locator("svg.survey-bars")).to_have_count(0)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED)
    admin.goto(f"/surveys/{survey.pk}/results/")
    expect(admin.locator("svg.survey-bars").first).to_be_visible()
    expect(admin.get_by_text("6 answers").first).to_be_visible()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_axe_violations(live_world: World, browsing: Browsing, language: str) -> None:
    world = live_world
    survey = open_round(world.admin)
    _add_answers(survey, world)
    closed = services.round_create_from_template(
        actor=world.admin,
        title="OKR-kysely 2025",
        opens_on=datetime.date(2025, 11, 1),
        closes_on=datetime.date(2025, 11, 30),
    )
    _add_answers(closed, world)
    services.round_set_state(actor=world.admin, survey=closed, state=SurveyRound.State.CLOSED)
    pages = [
        (world.member, f"/surveys/{survey.pk}/answer/"),
        (world.admin, "/surveys/"),
        (world.admin, "/surveys/new/"),
        (world.admin, f"/surveys/{survey.pk}/edit/"),
        (world.admin, f"/surveys/{survey.pk}/import/"),
        (world.admin, f"/surveys/{survey.pk}/results/"),  # open: the count only
        (world.admin, f"/surveys/{closed.pk}/results/"),
        (world.supervisor, f"/surveys/{closed.pk}/results/"),
    ]
    for user, url in pages:
        page = browsing.open(user, language)
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        results = AXE.run(page)
        assert results.violations_count == 0, (url, results.generate_report())
