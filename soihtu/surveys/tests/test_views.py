"""Permissions, answering once, bad input and the admin pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.surveys.models import Answer, Invitation, Question, Respondent, Response, SurveyRound
from soihtu.surveys.selectors import open_rounds_for
from soihtu.surveys.tests.factories import answer_post, open_round


def _counts() -> tuple[int, int, int, int, int]:
    return (
        SurveyRound.objects.count(),
        Question.objects.count(),
        Respondent.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
    )


def test_member_answers_once_and_the_second_time_changes_nothing(world: World) -> None:
    survey = open_round(world.admin)
    client = client_for(world.member)
    assert client.get(f"/surveys/{survey.pk}/answer/").status_code == 200
    response = client.post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    assert response.status_code == 302
    before = _counts()
    again = client.post(f"/surveys/{survey.pk}/answer/", answer_post(survey, "1"))
    assert b"already answered" in again.content
    assert _counts() == before
    assert not Answer.objects.filter(likert=1).exists()


def test_answering_writes_no_audit_event(world: World) -> None:
    survey = open_round(world.admin)
    events = AuditEvent.objects.count()
    client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    assert AuditEvent.objects.count() == events
    assert Response.objects.count() == 1


def test_closed_or_not_yet_open_round_refuses_answers(world: World) -> None:
    survey = open_round(world.admin)
    SurveyRound.objects.filter(pk=survey.pk).update(state=SurveyRound.State.CLOSED)
    before = _counts()
    response = client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    assert response.status_code == 403
    import datetime

    SurveyRound.objects.filter(pk=survey.pk).update(
        state=SurveyRound.State.OPEN, opens_on=datetime.date(2026, 12, 1)
    )
    response = client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    assert response.status_code == 403
    assert _counts() == before


def test_person_outside_the_audience_cannot_answer(world: World) -> None:
    survey = open_round(world.admin, audience=[world.division])
    before = _counts()
    response = client_for(world.outsider).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    assert response.status_code == 403
    assert _counts() == before
    assert open_rounds_for(world.outsider) == []
    assert open_rounds_for(world.member) == [survey]


def test_closing_and_reopening_keeps_who_answered(world: World) -> None:
    survey = open_round(world.admin)
    client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    admin = client_for(world.admin)
    admin.post(f"/surveys/{survey.pk}/state/", {"state": "closed"})
    admin.post(f"/surveys/{survey.pk}/state/", {"state": "open"})
    assert open_rounds_for(world.member) == []
    assert Respondent.objects.filter(user=world.member).count() == 1


def test_incomplete_answers_are_refused(world: World) -> None:
    survey = open_round(world.admin)
    data = answer_post(survey)
    data.pop(next(iter(data)))
    data[next(iter(data))] = "9"
    before = _counts()
    response = client_for(world.member).post(f"/surveys/{survey.pk}/answer/", data)
    assert response.status_code == 400
    assert _counts() == before


@pytest.mark.parametrize(
    "persona", ["supervisor", "torchbearer", "member", "member_b", "outsider", "parent_supervisor"]
)
def test_only_org_admins_manage_rounds(world: World, persona: str) -> None:
    survey = open_round(world.admin)
    question = survey.questions.first()
    assert question is not None
    client = client_for(world.persona(persona))
    before = _counts()
    events = AuditEvent.objects.count()
    assert client.get("/surveys/new/").status_code == 403
    assert client.post("/surveys/new/", {"title": "x"}).status_code == 403
    assert client.post(f"/surveys/{survey.pk}/edit/", {"title": "x"}).status_code == 403
    assert client.post(f"/surveys/{survey.pk}/state/", {"state": "closed"}).status_code == 403
    assert client.post(f"/surveys/{survey.pk}/questions/{question.pk}/", {}).status_code == 403
    assert client.post(f"/surveys/{survey.pk}/import/", {}).status_code == 403
    assert _counts() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("supervisor", 200),
        ("parent_supervisor", 200),
        ("torchbearer", 403),
        ("member", 403),
        ("member_b", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_results(world: World, persona: str, status: int) -> None:
    survey = open_round(world.admin)
    SurveyRound.objects.filter(pk=survey.pk).update(state=SurveyRound.State.CLOSED)
    client = client_for(world.persona(persona))
    assert client.get(f"/surveys/{survey.pk}/results/").status_code == status
    assert client.get(f"/surveys/{survey.pk}/results.csv").status_code == status
    assert client.get("/surveys/").status_code == status


def test_missing_round_is_404(world: World) -> None:
    assert client_for(world.admin).get("/surveys/999/results/").status_code == 404
    assert client_for(world.member).get("/surveys/999/answer/").status_code == 404


def test_get_is_refused_where_only_post_is_allowed(world: World) -> None:
    survey = open_round(world.admin)
    assert client_for(world.admin).get(f"/surveys/{survey.pk}/state/").status_code == 405


def test_admin_creates_round_from_template_and_edits_a_question(world: World) -> None:
    client = client_for(world.admin)
    response = client.post(
        "/surveys/new/",
        {
            "title": "Kysely",
            "opens_on": "2026-11-01",
            "closes_on": "2026-11-30",
            "breakdown_depth": "1",
            "audience": [world.division.pk],
        },
    )
    assert response.status_code == 302
    survey = SurveyRound.objects.get(title="Kysely")
    assert survey.questions.count() == 11
    assert list(survey.audience.all()) == [world.division]
    question = survey.questions.get(key="know_strategy")
    response = client.post(
        f"/surveys/{survey.pk}/questions/{question.pk}/",
        {
            "order": 0,
            "key": "know_strategy",
            "kind": "likert",
            "text_fi": "Uusi",
            "text_sv": "Ny",
            "text_en": "New",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text_en == "New"
    assert AuditEvent.objects.filter(target_type="question").count() == 1


def test_bad_round_input_changes_nothing(world: World) -> None:
    client = client_for(world.admin)
    before = _counts()
    response = client.post(
        "/surveys/new/",
        {"title": "", "opens_on": "2026-12-01", "closes_on": "2026-11-01", "breakdown_depth": "9"},
    )
    assert response.status_code == 400
    assert _counts() == before
    survey = open_round(world.admin)
    response = client.post(
        f"/surveys/{survey.pk}/edit/",
        {"title": "X", "opens_on": "2026-12-01", "closes_on": "2026-11-01", "breakdown_depth": "1"},
    )
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.title == "OKR-kysely 2026"
    assert client.post(f"/surveys/{survey.pk}/state/", {"state": "bogus"}).status_code == 400


def test_questions_cannot_change_after_answers(world: World) -> None:
    survey = open_round(world.admin)
    client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    question = survey.questions.get(key="know_strategy")
    response = client_for(world.admin).post(
        f"/surveys/{survey.pk}/questions/{question.pk}/",
        {"order": 0, "key": "x", "kind": "text", "text_fi": "a", "text_sv": "b", "text_en": "c"},
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.key == "know_strategy"


def test_invitations_are_sent_once_and_not_to_those_who_answered(world: World) -> None:
    survey = open_round(world.admin)
    client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    call_command("survey_invite", str(survey.pk))
    recipients = {m.to[0] for m in mail.outbox}
    assert world.member.email not in recipients
    assert world.member_b.email in recipients
    sent = len(mail.outbox)
    call_command("survey_invite", str(survey.pk))
    assert len(mail.outbox) == sent
    assert Invitation.objects.filter(round=survey).count() == sent


def test_the_round_page_names_questions_by_their_text_not_their_key(world: World) -> None:
    survey = open_round(world.admin)
    page = client_for(world.admin).get(f"/surveys/{survey.pk}/edit/").content.decode()
    assert "I know our strategy." in page
    assert "know_strategy" not in page
    question = survey.questions.get(key="know_strategy")
    form = client_for(world.admin).get(f"/surveys/{survey.pk}/questions/{question.pk}/")
    assert "Trend key" in form.content.decode()
