"""Results exist only for closed rounds: while a round is open the OKR office sees the number
of answers and the response rate, nothing else, on the page, the CSV, the dashboard and the
API. Otherwise reading the results before and after one known person answers would tell that
person's answers by the difference. Reopening a closed round hides its results again."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from soihtu.api.tests.helpers import for_user
from soihtu.conftest import World, client_for
from soihtu.surveys import access, services
from soihtu.surveys.models import Answer, Question, Response, SurveyRound
from soihtu.surveys.tests.factories import answer_post, open_round

FREE_TEXT = "Hyvä kysely"
SEEDED = 6  # enough for every group to be shown once the round closes


def _seed(survey: SurveyRound, world: World, n: int = SEEDED) -> None:
    """`n` anonymous responses from Division 1 (the member's division), agreeing."""
    for _ in range(n):
        response = Response.objects.create(
            round=survey,
            breakdown_unit=world.division,
            team_uses_okrs=True,
            submitted_on=datetime.date(2026, 11, 20),
        )
        for question in survey.questions.all():
            Answer.objects.create(
                response=response,
                question=question,
                likert=4 if question.kind == Question.Kind.LIKERT else None,
                yes_no=True if question.kind == Question.Kind.YES_NO else None,
                text=FREE_TEXT if question.kind == Question.Kind.TEXT else "",
            )


def _round_with_answers(world: World) -> SurveyRound:
    survey = open_round(world.admin)
    _seed(survey, world)
    return survey


def _member_answers(world: World, survey: SurveyRound) -> None:
    """The one known person answers differently from everyone else ("1", disagree)."""
    response = client_for(world.member).post(
        reverse("surveys:answer", args=[survey.pk]), answer_post(survey, likert="1")
    )
    assert response.status_code == 302


def _set_state(world: World, survey: SurveyRound, state: str) -> None:
    services.round_set_state(actor=world.admin, survey=survey, state=state)


def _without_count(html: str) -> str:
    """The page without the one line that may change: the number of answers and the rate."""
    html = re.sub(r'<p class="lead">.*?</p>', "", html, flags=re.S)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _page(client: Client, survey: SurveyRound) -> str:
    response = client.get(reverse("surveys:results", args=[survey.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_results_are_available_only_for_closed_rounds(world: World) -> None:
    survey = _round_with_answers(world)
    assert not access.results_available(survey)
    _set_state(world, survey, SurveyRound.State.CLOSED)
    assert access.results_available(survey)
    _set_state(world, survey, SurveyRound.State.OPEN)
    assert not access.results_available(survey)


def test_page_of_an_open_round_shows_only_the_count_and_rate(world: World) -> None:
    survey = _round_with_answers(world)
    admin = client_for(world.admin)
    before = _page(admin, survey)
    _member_answers(world, survey)
    after = _page(admin, survey)

    assert _without_count(before) == _without_count(after)
    assert f"{SEEDED} answers" in before
    assert f"{SEEDED + 1} answers" in after
    assert "Results are shown when the round closes" in after
    assert FREE_TEXT not in after
    assert "% agree" not in after
    assert reverse("surveys:results_csv", args=[survey.pk]) not in after


def test_page_of_a_closed_round_shows_results_and_reopening_hides_them(world: World) -> None:
    survey = _round_with_answers(world)
    _member_answers(world, survey)
    admin = client_for(world.admin)
    _set_state(world, survey, SurveyRound.State.CLOSED)
    closed = _page(admin, survey)
    assert "% agree" in closed
    assert FREE_TEXT in closed

    _set_state(world, survey, SurveyRound.State.OPEN)
    reopened = _page(admin, survey)
    assert "% agree" not in reopened
    assert FREE_TEXT not in reopened
    assert "Results are shown when the round closes" in reopened


def test_supervisor_sees_only_the_count_of_an_open_round(world: World) -> None:
    survey = _round_with_answers(world)
    supervisor = client_for(world.supervisor)
    before = _page(supervisor, survey)
    _member_answers(world, survey)
    after = _page(supervisor, survey)
    assert _without_count(before) == _without_count(after)
    assert "% agree" not in after


def _csv(client: Client, survey: SurveyRound) -> Any:
    return client.get(reverse("surveys:results_csv", args=[survey.pk]))


def test_csv_of_an_open_round_is_refused_with_a_message(world: World) -> None:
    survey = _round_with_answers(world)
    admin = client_for(world.admin)
    before = _csv(admin, survey)
    _member_answers(world, survey)
    after = _csv(admin, survey)

    assert before.status_code == after.status_code == 409
    assert _without_count(before.content.decode()) == _without_count(after.content.decode())
    assert b"Results are shown when the round closes" in after.content
    assert after["Content-Type"].startswith("text/html")


def test_csv_of_a_closed_round_has_results_and_reopening_refuses_it(world: World) -> None:
    survey = _round_with_answers(world)
    _member_answers(world, survey)
    admin = client_for(world.admin)
    _set_state(world, survey, SurveyRound.State.CLOSED)
    closed = _csv(admin, survey)
    assert closed.status_code == 200
    assert closed.content.decode().count("\n") > 1  # the header and rows of results

    _set_state(world, survey, SurveyRound.State.OPEN)
    assert _csv(admin, survey).status_code == 409


def _dashboard(client: Client) -> str:
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    return str(response.content.decode())


def _survey_block(html: str) -> str:
    match = re.search(r'<section aria-labelledby="survey">.*?</section>', html, flags=re.S)
    assert match is not None
    return match.group(0)


def test_dashboard_leaves_an_open_round_out(world: World) -> None:
    survey = _round_with_answers(world)
    admin = client_for(world.admin)
    before = _survey_block(_dashboard(admin))
    _member_answers(world, survey)
    after = _survey_block(_dashboard(admin))

    assert before == after
    assert "No survey results yet." in after
    export = admin.get(reverse("dashboard:csv")).content.decode()
    assert not [line for line in export.splitlines() if line.startswith("survey,")]


def test_dashboard_shows_the_latest_closed_round_and_not_a_reopened_one(world: World) -> None:
    survey = _round_with_answers(world)
    _member_answers(world, survey)
    admin = client_for(world.admin)
    _set_state(world, survey, SurveyRound.State.CLOSED)
    closed = _survey_block(_dashboard(admin))
    assert "Division 1" in closed
    assert "No survey results yet." not in closed
    export = admin.get(reverse("dashboard:csv")).content.decode()
    assert [line for line in export.splitlines() if line.startswith("survey,")]

    _set_state(world, survey, SurveyRound.State.OPEN)
    assert "No survey results yet." in _survey_block(_dashboard(admin))


def _api(world: World, survey: SurveyRound) -> dict[str, Any]:
    response = for_user(world.admin).get(f"/surveys/{survey.pk}/results")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _without_api_count(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in {"responses", "response_rate"}}


def test_api_gives_only_the_count_of_an_open_round(world: World) -> None:
    survey = _round_with_answers(world)
    before = _api(world, survey)
    _member_answers(world, survey)
    after = _api(world, survey)

    assert _without_api_count(before) == _without_api_count(after)
    assert (before["responses"], after["responses"]) == (SEEDED, SEEDED + 1)
    assert after["shown"] is False
    assert after["questions"] == []


def test_api_gives_results_of_a_closed_round_and_hides_them_when_reopened(world: World) -> None:
    survey = _round_with_answers(world)
    _member_answers(world, survey)
    _set_state(world, survey, SurveyRound.State.CLOSED)
    closed = _api(world, survey)
    assert closed["shown"] is True
    assert closed["questions"]

    _set_state(world, survey, SurveyRound.State.OPEN)
    reopened = _api(world, survey)
    assert reopened["shown"] is False
    assert reopened["questions"] == []


def test_trend_of_a_closed_round_leaves_open_rounds_out(world: World) -> None:
    """A closed round's trend must not show an open round's share (same question keys)."""
    old = _round_with_answers(world)
    _set_state(world, old, SurveyRound.State.CLOSED)
    current = services.round_create_from_template(
        actor=world.admin,
        title="OKR-kysely 2027",
        opens_on=datetime.date(2026, 11, 20),
        closes_on=datetime.date(2026, 12, 20),
    )
    _set_state(world, current, SurveyRound.State.OPEN)
    _seed(current, world)
    admin = client_for(world.admin)
    before = _page(admin, old)
    _member_answers(world, current)
    after = _page(admin, old)
    assert _without_count(after) == _without_count(before)
    assert "OKR-kysely 2027" not in after
