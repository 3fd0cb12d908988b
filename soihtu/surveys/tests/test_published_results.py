"""Publishing a closed round's organization-level results to everyone signed in: only the OKR
office publishes (and takes back), only a closed round, audited; the published page shows the
totals per question with the same suppression as every result, and nothing of a round that is
not published or not closed."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.surveys import services
from soihtu.surveys.models import MIN_GROUP, Answer, Question, Response, SurveyRound
from soihtu.surveys.tests.factories import open_round

FREE_TEXT = "Vapaa vastaus jota ei julkaista"
PERSONAS = ["supervisor", "torchbearer", "member", "member_b", "outsider", "parent_supervisor"]


def seed(survey: SurveyRound, world: World, n: int, *, likert: int = 4) -> None:
    """`n` anonymous responses from Team B's division, each answering every question."""
    for _ in range(n):
        response = Response.objects.create(
            round=survey,
            breakdown_unit=world.division,
            team_uses_okrs=True,
            submitted_on=datetime.date(2026, 11, 20),
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                likert=likert if question.kind == Question.Kind.LIKERT else None,
                yes_no=True if question.kind == Question.Kind.YES_NO else None,
                text=FREE_TEXT if question.kind == Question.Kind.TEXT else "",
            )
            for question in survey.questions.all()
        )


def closed_round(world: World, answers: int = 6, **extra: object) -> SurveyRound:
    survey = open_round(world.admin, **extra)
    seed(survey, world, answers)
    return services.round_set_state(
        actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED
    )


def publish(world: World, survey: SurveyRound, value: str = "1", persona: str = "admin") -> int:
    client = client_for(world.persona(persona))
    return client.post(
        reverse("surveys:publish", args=[survey.pk]), {"published": value}
    ).status_code


def is_published(survey: SurveyRound) -> bool:
    return SurveyRound.objects.get(pk=survey.pk).results_published


def published_page(world: World, persona: str = "member", query: str = "") -> tuple[int, str]:
    response = client_for(world.persona(persona)).get(reverse("surveys:published") + query)
    return response.status_code, response.content.decode()


# --- Publishing --------------------------------------------------------------------------------


def test_org_admin_publishes_and_takes_back_a_closed_rounds_results_audited(world: World) -> None:
    survey = closed_round(world)
    events = AuditEvent.objects.count()
    assert publish(world, survey) == 302
    assert is_published(survey)
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert event.actor == world.admin
    assert event.before is not None
    assert event.after is not None
    assert event.before["results_published"] is False
    assert event.after["results_published"] is True
    assert publish(world, survey, "0") == 302
    assert not is_published(survey)
    assert AuditEvent.objects.count() == events + 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_but_the_okr_office_publishes(world: World, persona: str) -> None:
    survey = closed_round(world)
    events = AuditEvent.objects.count()
    assert publish(world, survey, persona=persona) == 403
    assert not is_published(survey)
    services.round_results_publish(actor=world.admin, survey=survey, published=True)
    assert publish(world, survey, "0", persona=persona) == 403
    assert is_published(survey)
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.parametrize("state", [SurveyRound.State.DRAFT, SurveyRound.State.OPEN])
def test_a_round_that_is_not_closed_cannot_be_published(world: World, state: str) -> None:
    survey = closed_round(world)
    SurveyRound.objects.filter(pk=survey.pk).update(state=state)
    events = AuditEvent.objects.count()
    assert publish(world, survey) == 409
    assert not is_published(survey)
    assert AuditEvent.objects.count() == events


def test_publishing_takes_only_a_post_and_a_clear_choice(world: World) -> None:
    survey = closed_round(world)
    admin = client_for(world.admin)
    assert admin.get(reverse("surveys:publish", args=[survey.pk])).status_code == 405
    assert publish(world, survey, "yes") == 400
    missing = admin.post(reverse("surveys:publish", args=[999999]), {"published": "1"})
    assert missing.status_code == 404
    assert not is_published(survey)


def test_reopening_a_round_takes_back_its_publication(world: World) -> None:
    survey = closed_round(world)
    publish(world, survey)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    assert not is_published(survey)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED)
    assert published_page(world, query=f"?round={survey.pk}")[0] == 404


def test_the_round_page_offers_publishing_only_for_a_closed_round(world: World) -> None:
    survey = closed_round(world)
    admin = client_for(world.admin)
    page = admin.get(reverse("surveys:edit", args=[survey.pk])).content.decode()
    assert "Publish the results" in page
    publish(world, survey)
    page = admin.get(reverse("surveys:edit", args=[survey.pk])).content.decode()
    assert "Stop publishing the results" in page
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    page = admin.get(reverse("surveys:edit", args=[survey.pk])).content.decode()
    assert "Publish the results" not in page


# --- The published page -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "outsider", "supervisor", "admin"])
def test_everyone_signed_in_sees_the_published_organization_level_results(
    world: World, persona: str
) -> None:
    survey = closed_round(world)
    publish(world, survey)
    status, html = published_page(world, persona)
    assert status == 200
    assert survey.title in html
    assert "I know our strategy." in html
    assert "100 % agree (4–5)" in html
    assert "100 % yes" in html


def test_signed_out_visitor_is_sent_to_sign_in(world: World) -> None:
    survey = closed_round(world)
    publish(world, survey)
    response = Client().get(reverse("surveys:published"))
    assert response.status_code == 302
    assert "I know our strategy." not in response.content.decode()


def test_no_breakdown_and_no_free_text_is_published(world: World) -> None:
    survey = closed_round(world, answers=12)
    publish(world, survey)
    html = published_page(world)[1]
    assert FREE_TEXT not in html
    assert "What else would you like to say" not in html  # the free-text question
    assert "Division 1" not in html
    assert "By unit" not in html


def test_an_unpublished_closed_round_is_not_shown(world: World) -> None:
    survey = closed_round(world)
    status, html = published_page(world)
    assert status == 200
    assert "No survey results have been published yet" in html
    assert "I know our strategy." not in html
    assert published_page(world, query=f"?round={survey.pk}")[0] == 404
    assert published_page(world, "admin", query=f"?round={survey.pk}")[0] == 404


def test_a_published_mark_on_a_round_that_is_not_closed_shows_nothing(world: World) -> None:
    survey = closed_round(world)
    publish(world, survey)
    SurveyRound.objects.filter(pk=survey.pk).update(state=SurveyRound.State.OPEN)
    assert published_page(world, query=f"?round={survey.pk}")[0] == 404
    html = published_page(world)[1]
    assert "No survey results have been published yet" in html
    assert survey.title not in html


@pytest.mark.parametrize("query", ["?round=abc", "?round=-1", "?round=99999999999999"])
def test_a_bad_round_is_not_found(world: World, query: str) -> None:
    assert published_page(world, query=query)[0] == 404


def test_a_round_under_five_answers_shows_no_figures(world: World) -> None:
    survey = closed_round(world, answers=MIN_GROUP - 1)
    publish(world, survey)
    status, html = published_page(world)
    assert status == 200
    assert "Too few answers to show results." in html
    assert "I know our strategy." not in html
    assert "% agree" not in html


def test_a_question_with_fewer_than_five_answers_is_not_shown(world: World) -> None:
    survey = closed_round(world, answers=MIN_GROUP + 1)
    question = survey.questions.get(key="know_strategy")
    keep = list(Answer.objects.filter(question=question).values_list("pk", flat=True)[:3])
    Answer.objects.filter(question=question).exclude(pk__in=keep).delete()
    publish(world, survey)
    html = published_page(world)[1]
    assert "I know our strategy." not in html
    assert "I feel trusted." in html


def test_the_figures_are_the_distribution_of_the_answers(world: World) -> None:
    survey = open_round(world.admin)
    seed(survey, world, 3, likert=5)
    seed(survey, world, 1, likert=2)
    seed(survey, world, 1, likert=4)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED)
    publish(world, survey)
    html = published_page(world)[1]
    assert "5 answers" in html
    assert "80 % agree (4–5)" in html
    assert "<td>60.0</td>" in html  # three of five answered 5


def test_the_chooser_lists_only_published_rounds_and_my_okrs_links_the_latest(
    world: World,
) -> None:
    older = closed_round(world)
    SurveyRound.objects.filter(pk=older.pk).update(
        title="Kysely 2025", opens_on=datetime.date(2025, 11, 1)
    )
    hidden = closed_round(world)
    SurveyRound.objects.filter(pk=hidden.pk).update(title="Julkaisematon kysely")
    my_okrs = client_for(world.member).get(reverse("okrs:my_okrs")).content.decode()
    assert reverse("surveys:published") not in my_okrs
    publish(world, older)
    html = published_page(world)[1]
    assert "Kysely 2025" in html
    assert "Julkaisematon kysely" not in html
    my_okrs = client_for(world.member).get(reverse("okrs:my_okrs")).content.decode()
    assert reverse("surveys:published") in my_okrs
    assert "Kysely 2025" in my_okrs


def test_the_published_page_does_a_constant_number_of_queries(world: World) -> None:
    survey = closed_round(world, answers=6)
    publish(world, survey)
    urls = {
        "latest": reverse("surveys:published"),
        "chosen": reverse("surveys:published") + f"?round={survey.pk}",
    }
    small = page_query_counts(client_for(world.member), urls)
    seed(survey, world, 40)
    for _ in range(3):
        publish(world, closed_round(world, answers=8))
    large = page_query_counts(client_for(world.member), urls)
    assert_constant_and_few(small, large)
