"""Stored answers carry no reference to a person."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from soihtu.accounts.models import User
from soihtu.conftest import World, client_for
from soihtu.surveys.models import Answer, Respondent, Response, SurveyRound
from soihtu.surveys.services import responses_mix
from soihtu.surveys.tests.factories import answer_post, open_round

FORBIDDEN = ("user", "person", "email", "username", "author", "actor", "created_by")


def test_answer_tables_have_no_person_column_or_foreign_key(db: None) -> None:
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) is not User, field
            assert not any(word in field.name for word in FORBIDDEN), field
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(cursor, model._meta.db_table)
            relations = connection.introspection.get_relations(cursor, model._meta.db_table)
        assert not any(word in c.name for c in columns for word in FORBIDDEN)
        assert User._meta.db_table not in {rel[1] for rel in relations.values()}


def test_stored_rows_do_not_name_the_person(world: World) -> None:
    survey = open_round(world.admin)
    client_for(world.member).post(f"/surveys/{survey.pk}/answer/", answer_post(survey))
    assert Respondent.objects.filter(round=survey, user=world.member).count() == 1
    response = Response.objects.get()
    assert set(vars(response)) - {"_state"} == {
        "id",
        "round_id",
        "breakdown_unit_id",
        "team_uses_okrs",
        "submitted_on",
        "mixed",
    }
    values = [str(v) for a in Answer.objects.values() for v in a.values()]
    assert not any(world.member.username in v or world.member.email in v for v in values)
    assert response.breakdown_unit == world.division
    assert response.team_uses_okrs is True


def _answer_as(world: World, survey: SurveyRound, personas: list[str]) -> None:
    for index, persona in enumerate(personas):
        client = client_for(world.persona(persona))
        client.post(f"/surveys/{survey.pk}/answer/", answer_post(survey, likert=str(index + 1)))


def _contents() -> list[tuple[object, ...]]:
    return sorted(
        (r.breakdown_unit_id, r.team_uses_okrs, r.submitted_on, a.question_id, a.likert, a.yes_no)
        for r in Response.objects.all()
        for a in r.answers.all()
    )


def test_mixing_rewrites_the_responses_with_new_keys_and_the_same_contents(world: World) -> None:
    survey = open_round(world.admin)
    _answer_as(world, survey, ["member", "torchbearer", "supervisor", "member_b"])
    before, keys = _contents(), set(Response.objects.values_list("pk", flat=True))
    respondents = list(Respondent.objects.values_list("pk", "user_id"))
    assert responses_mix(survey) == 4
    assert _contents() == before
    assert keys.isdisjoint(Response.objects.values_list("pk", flat=True))
    assert not Response.objects.filter(mixed=False).exists()
    assert list(Respondent.objects.values_list("pk", "user_id")) == respondents
    assert responses_mix(survey) == 0  # nothing new: nothing rewritten


def test_the_scheduler_mixes_new_answers(world: World) -> None:
    survey = open_round(world.admin)
    _answer_as(world, survey, ["member", "torchbearer"])
    call_command("followup_schedule", now=True, verbosity=0)
    assert Response.objects.filter(round=survey, mixed=True).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's system columns")
def test_after_mixing_no_transaction_id_or_physical_order_pairs_a_response_with_its_person(
    world: World,
) -> None:
    survey = open_round(world.admin)
    _answer_as(world, survey, ["member", "torchbearer", "supervisor", "member_b", "outsider"])

    def xmins(table: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} ORDER BY ctid")  # noqa: S608 - model table names
            return [row[0] for row in cursor.fetchall()]

    def likerts_in_physical_order() -> list[int | None]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT likert FROM {Answer._meta.db_table} a JOIN {Response._meta.db_table} r "  # noqa: S608 - model table names
                "ON a.response_id = r.id WHERE a.likert IS NOT NULL ORDER BY r.ctid, a.ctid"
            )
            return [row[0] for row in cursor.fetchall()]

    # Before mixing, each response shares its transaction with its Respondent row.
    assert set(xmins(Response._meta.db_table)) <= set(xmins(Respondent._meta.db_table))
    written = likerts_in_physical_order()
    responses_mix(survey, shuffle=lambda items: items.reverse())
    mixed = xmins(Response._meta.db_table)
    assert len(set(mixed)) == 1
    assert set(mixed).isdisjoint(xmins(Respondent._meta.db_table))
    assert likerts_in_physical_order() != written


def test_an_answer_submitted_while_mixing_is_kept_for_the_next_mix(world: World) -> None:
    survey = open_round(world.admin)
    _answer_as(world, survey, ["member", "torchbearer"])
    earlier = set(Response.objects.values_list("pk", flat=True))
    arrived: list[uuid.UUID] = []

    def shuffle_while_someone_answers(items: list[object]) -> None:
        if not arrived:  # the first shuffle is of the responses read for mixing
            _answer_as(world, survey, ["supervisor"])
            arrived.extend(set(Response.objects.values_list("pk", flat=True)) - earlier)

    assert responses_mix(survey, shuffle=shuffle_while_someone_answers) == 2
    assert len(arrived) == 1
    assert Response.objects.filter(round=survey).count() == 3
    kept = Response.objects.get(pk=arrived[0])
    assert kept.mixed is False
    assert kept.answers.count() == survey.questions.count()
    assert responses_mix(survey) == 3
