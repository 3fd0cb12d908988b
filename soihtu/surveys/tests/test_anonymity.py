"""Stored answers carry no reference to a person."""

from __future__ import annotations

from django.db import connection

from soihtu.accounts.models import User
from soihtu.conftest import World, client_for
from soihtu.surveys.models import Answer, Respondent, Response
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
    }
    values = [str(v) for a in Answer.objects.values() for v in a.values()]
    assert not any(world.member.username in v or world.member.email in v for v in values)
    assert response.breakdown_unit == world.division
    assert response.team_uses_okrs is True
