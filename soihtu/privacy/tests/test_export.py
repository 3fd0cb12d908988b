"""The export holds every row that refers to the person, from every app, and nothing about
anyone else, and no password hash or secret."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import World, client_for
from soihtu.privacy import selectors
from soihtu.privacy.selectors import EXPORT_EXCLUDED, person_references
from soihtu.privacy.tests.builders import COLLEAGUE, build, strings_of

EXPECTED = {
    "admin.logentry": 0,  # the admin changed the person: the person did nothing there
    "audit.auditevent": 2,  # reminders off (about them, by them), their check-in
    "checkins.checkin": 1,
    "cycles.teamcycle": 1,
    "followup.followupmeeting": 1,
    "followup.reminderlog": 1,
    "ideas.idea": 1,
    "ideas.ideastep": 1,
    "learning.learning": 1,
    "okrs.keyresult": 1,
    "okrs.objective": 1,
    "organization.membership": 1,
    "planning.proposal": 1,
    "planning.proposalauthor": 1,
    "planning.proposalcomment": 1,
    "planning.proposalsupport": 1,
    "retrospectives.retrospective": 1,
    "retrospectives.retrospectiveparticipant": 1,
    "successes.success": 1,
    "successes.thanks": 1,
    "surveys.invitation": 1,
    "surveys.respondent": 1,
    "surveys.surveyround": 0,
}


def download(world: World, person: User) -> dict[str, Any]:
    response = client_for(world.admin).get(reverse("privacy:export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="soihtu-person-{person.pk}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_export_holds_rows_from_every_app(world: World) -> None:
    built = build(world)
    data = download(world, built.person)
    records = data["records"]
    counts = {label: len(record["rows"]) for label, record in records.items()}
    for label, expected in EXPECTED.items():
        assert counts[label] == expected, label
    assert data["person"] == data["person"] | {
        "username": "akettumaki",
        "first_name": "Aurelia",
        "last_name": "Kettumäki",
        "email": "aurelia.kettumaki@virasto.example",
        "employee_id": "EMP-4521X",
        "is_active": True,
    }
    checkin = records["checkins.checkin"]["rows"][0]
    assert checkin["note"] == "Eteni hyvin"
    assert checkin["key_result_label"] == "Aurelian mittari"
    assert checkin["refers_to_person_as"] == ["author"]
    respondent = records["surveys.respondent"]["rows"][0]
    assert respondent["round_label"] == "Kysely"
    assert set(respondent) == {"id", "round", "round_label", "user", "refers_to_person_as"}


def test_export_names_no_one_else(world: World) -> None:
    built = build(world)
    body = json.dumps(download(world, built.person), ensure_ascii=False)
    for text in [*strings_of(COLLEAGUE), world.admin.email, world.admin.get_full_name()]:
        assert text not in body
    proposal = download(world, built.person)["records"]["planning.proposal"]["rows"][0]
    assert proposal["created_by"] == built.person.pk
    assert proposal["decided_by"] is None  # the colleague decided it
    assert proposal["refers_to_person_as"] == ["created_by"]


def test_export_holds_no_password_or_other_secret(world: World) -> None:
    built = build(world)
    body = json.dumps(download(world, built.person))
    assert built.person.password not in body
    assert "password" not in body
    assert "md5$" not in body


def test_audit_events_give_changed_fields_and_only_the_persons_own_values(world: World) -> None:
    built = build(world)
    rows = download(world, built.person)["records"]["audit.auditevent"]["rows"]
    own = next(r for r in rows if r["target_type"] == "user")
    assert own["changed_fields"] == ["reminders_enabled"]
    assert own["after"] == {"reminders_enabled": False}
    assert "target_repr" not in own
    checkin = next(r for r in rows if r["target_type"] == "checkin")
    assert "before" not in checkin
    assert "after" not in checkin
    assert checkin["changed_fields"]


def test_survey_answers_are_never_part_of_it(world: World) -> None:
    built = build(world)
    body = json.dumps(download(world, built.person), ensure_ascii=False)
    assert "Nimetön vastaus" not in body
    assert "surveys.response" not in body
    assert "surveys.answer" not in body


def test_every_model_referring_to_a_person_is_exported_or_excluded_with_a_reason(
    world: World,
) -> None:
    """Fails when an app adds a reference to people that the export would miss."""
    built = build(world)
    exported = set(selectors.person_export(built.person)["records"])
    for model in apps.get_models():
        refers = any(
            (f.concrete or isinstance(f, models.ManyToManyField)) and f.related_model is User
            for f in model._meta.get_fields()
        )
        if refers and model is not User:
            label = model._meta.label_lower
            assert label in exported or EXPORT_EXCLUDED.get(label), label
    assert all(reason.strip() for reason in EXPORT_EXCLUDED.values())


def test_references_include_many_to_many_fields() -> None:
    """A model pointing at people through a many-to-many field is found like a foreign key."""
    registered = set(apps.all_models["privacy"])

    class Panel(models.Model):  # noqa: DJ008 - a model that exists only for this test
        members = models.ManyToManyField(User, related_name="+")
        chair = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "privacy"

    apps.clear_cache()
    try:
        found = [r for r in person_references() if r.model is Panel]
        assert [r.fields for r in found] == [("chair", "members")]
    finally:
        # The model and its many-to-many table, so later tests do not look for their tables.
        for name in set(apps.all_models["privacy"]) - registered:
            del apps.all_models["privacy"][name]
        apps.clear_cache()
    assert not [m for m in apps.get_models(include_auto_created=True) if "panel" in str(m)]


@pytest.mark.parametrize("persona", ["supervisor", "member", "outsider"])
def test_others_may_not_export(world: World, persona: str) -> None:
    built = build(world)
    response = client_for(world.persona(persona)).get(
        reverse("privacy:export", args=[built.person.pk])
    )
    assert response.status_code == 403


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    built = build(world)
    response = Client().get(reverse("privacy:export", args=[built.person.pk]))
    assert response.status_code == 302


def test_no_such_person_is_not_found(world: World) -> None:
    assert client_for(world.admin).get(reverse("privacy:export", args=[999999])).status_code == 404


def test_export_command_writes_the_same_data(world: World, tmp_path: Path) -> None:
    built = build(world)
    target = tmp_path / "export.json"
    call_command("person_export", "EMP-4521X", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["person"]["username"] == "akettumaki"
    assert len(data["records"]["checkins.checkin"]["rows"]) == 1
    assert data["person"]["id"] == built.person.pk
