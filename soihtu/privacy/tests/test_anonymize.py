"""Anonymizing a person who has left: their personal details are gone from the whole database,
their history stays and shows "former employee", survey data is untouched; refusals change
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from soihtu.accounts.models import SignInSession, User
from soihtu.audit.models import AccessRecord, AuditEvent, SecurityEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World, client_for
from soihtu.followup.models import ReminderLog
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.privacy.services import ANONYMIZE_POLICY, Treatment, person_anonymize
from soihtu.privacy.tests.builders import COLLEAGUE, PERSON, Built, build, leave, strings_of
from soihtu.surveys.models import Answer, Invitation, Question, Respondent, Response, SurveyRound


def url(name: str, person: User) -> str:
    return reverse(f"privacy:{name}", args=[person.pk])


def state(person: User) -> tuple[object, ...]:
    return (
        User.objects.filter(pk=person.pk).values().get(),
        Membership.objects.filter(user=person).count(),
        ReminderLog.objects.filter(user=person).count(),
        sorted(AuditEvent.objects.values_list("id", "target_repr", "before", "after")),
        sessions_of(person),
    )


def sessions_of(user: User) -> int:
    decoded = [s.get_decoded().get("_auth_user_id") for s in SignInSession.objects.all()]
    return decoded.count(str(user.pk))


def survey_tables() -> list[object]:
    return [
        list(model._default_manager.order_by("pk").values())
        for model in [SurveyRound, Question, Response, Answer, Respondent, Invitation]
    ]


def database_dump() -> str:
    """Every row of every table, as text."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        rows = model._default_manager.all()
        parts.append(serializers.serialize("json", rows, ensure_ascii=False))
    return "\n".join(parts)


def left(world: World) -> Built:
    built = build(world)
    Client().force_login(built.person)  # a session, to be ended
    leave(built.person)
    return built


def anonymize_as_admin(world: World, person: User) -> Any:
    return client_for(world.admin).post(url("anonymize", person), {"confirm": "on"})


def test_anonymizing_removes_every_personal_detail_from_the_database(world: World) -> None:
    built = left(world)
    assert any(text in database_dump() for text in strings_of(PERSON))
    response = anonymize_as_admin(world, built.person)
    assert response.status_code == 302
    assert response["Location"] == url("person", built.person)
    dump = database_dump()
    for text in strings_of(PERSON):
        assert text not in dump, text
    for text in strings_of(COLLEAGUE)[:-1]:  # the full name is stored in no one column
        assert text in dump, text  # nobody else's details are touched
    person = User.objects.get(pk=built.person.pk)
    assert person.username.startswith("former-")
    assert (person.first_name, person.last_name, person.email, person.employee_id) == (
        "",
        "",
        "",
        "",
    )
    assert not person.has_usable_password()
    assert not person.is_active
    assert not person.is_org_admin
    assert person.anonymized_at is not None
    assert str(person) == "former employee"


def test_memberships_reminders_and_sessions_are_deleted(world: World) -> None:
    built = left(world)
    assert sessions_of(built.person) == 1
    anonymize_as_admin(world, built.person)
    assert not Membership.objects.filter(user=built.person).exists()
    assert not ReminderLog.objects.filter(user=built.person).exists()
    assert sessions_of(built.person) == 0
    assert sessions_of(world.admin) == 1
    assert Membership.objects.filter(user=built.colleague).exists()


def test_history_stays_credited_to_the_former_employee(world: World) -> None:
    built = left(world)
    anonymize_as_admin(world, built.person)
    objective = Objective.objects.get(pk=built.objective.pk)
    assert objective.created_by_id == built.person.pk
    assert KeyResult.objects.get(pk=built.key_result.pk).owner_id == built.person.pk
    assert CheckIn.objects.get(author=built.person).note == "Eteni hyvin"
    assert AuditEvent.objects.filter(actor=built.person).count() == 2


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_objective_page_shows_former_employee(world: World, language: str) -> None:
    built = left(world)
    anonymize_as_admin(world, built.person)
    html = (
        client_for(world.member, language)
        .get(reverse("okrs:objective", args=[built.objective.pk]))
        .content.decode()
    )
    with translation.override(language):
        label = gettext("former employee")
    # As the key result's owner, the check-in's author and the actor in the audit trail.
    assert html.count(label) >= 2
    assert f"<td>{label}</td>" in html
    for text in strings_of(PERSON):
        assert text not in html


def test_survey_data_is_untouched(world: World) -> None:
    built = left(world)
    before = survey_tables()
    anonymize_as_admin(world, built.person)
    assert survey_tables() == before


def test_the_recorded_event_names_no_one(world: World) -> None:
    built = left(world)
    anonymize_as_admin(world, built.person)
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.actor_id, event.target_type, event.target_id) == (
        world.admin.pk,
        "user",
        built.person.pk,
    )
    assert (event.before, event.after) == ({"anonymized": False}, {"anonymized": True})
    assert event.target_repr == "former employee"


def test_other_audit_texts_are_left_as_they_were(world: World) -> None:
    """Only the person's full name, email and username are replaced, as whole words: a title
    that merely starts with their first name stays."""
    built = left(world)
    events = AuditEvent.objects.exclude(target_type__in=["user", "membership"])
    before = sorted(events.values_list("id", "target_repr", "before", "after"))
    anonymize_as_admin(world, built.person)
    after = sorted(
        events.exclude(after={"anonymized": True}).values_list(
            "id", "target_repr", "before", "after"
        )
    )
    assert after == before
    membership = AuditEvent.objects.get(target_type="membership", actor=world.admin)
    with translation.override(settings.LANGUAGE_CODE):  # stored in the default language
        label = gettext("former employee")
    assert membership.target_repr.startswith(f"{label} – Team A")


PERSONAS = ["supervisor", "torchbearer", "member", "member_b", "parent_supervisor", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_others_may_not_anonymize_or_see(world: World, persona: str) -> None:
    built = left(world)
    before = state(built.person)
    client = client_for(world.persona(persona))
    assert client.post(url("anonymize", built.person), {"confirm": "on"}).status_code == 403
    assert client.get(url("person", built.person)).status_code == 403
    assert client.get(reverse("privacy:people")).status_code == 403
    assert state(built.person) == before


def test_an_active_person_is_refused(world: World) -> None:
    built = build(world)
    before = state(built.person)
    response = anonymize_as_admin(world, built.person)
    assert response.status_code == 400
    assert "Deactivate the person first" in response.content.decode()
    assert state(built.person) == before


def test_anonymizing_oneself_is_refused(world: World) -> None:
    client = client_for(world.admin)
    before = state(world.admin)
    response = client.post(url("anonymize", world.admin), {"confirm": "on"})
    assert response.status_code == 400
    assert "You cannot anonymize yourself." in response.content.decode()
    assert state(world.admin) == before


def test_an_inactive_person_cannot_anonymize_themselves_either(world: World) -> None:
    built = left(world)
    with pytest.raises(Exception, match="You cannot anonymize yourself"):
        person_anonymize(actor=built.person, person=built.person)
    assert User.objects.get(pk=built.person.pk).username == PERSON["username"]


def test_the_last_org_admin_is_refused(world: World) -> None:
    built = left(world)
    User.objects.filter(pk=built.person.pk).update(is_org_admin=True)
    User.objects.filter(pk=world.admin.pk).update(is_org_admin=False)
    before = state(built.person)
    with pytest.raises(CommandError, match="last OKR office member"):
        call_command("person_anonymize", str(built.person.pk), "--yes")
    assert state(built.person) == before


def test_an_org_admin_who_left_is_anonymized_when_another_remains(world: World) -> None:
    built = left(world)
    User.objects.filter(pk=built.person.pk).update(is_org_admin=True)
    assert anonymize_as_admin(world, built.person).status_code == 302
    assert not User.objects.get(pk=built.person.pk).is_org_admin


def test_confirmation_is_required(world: World) -> None:
    built = left(world)
    before = state(built.person)
    response = client_for(world.admin).post(url("anonymize", built.person), {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert state(built.person) == before


def test_anonymizing_twice_is_refused(world: World) -> None:
    built = left(world)
    anonymize_as_admin(world, built.person)
    before = state(built.person)
    response = anonymize_as_admin(world, built.person)
    assert response.status_code == 400
    assert state(built.person) == before


def test_get_is_not_allowed(world: World) -> None:
    built = left(world)
    before = state(built.person)
    assert client_for(world.admin).get(url("anonymize", built.person)).status_code == 405
    assert state(built.person) == before


def test_no_such_person_is_not_found(world: World) -> None:
    response = client_for(world.admin).post(reverse("privacy:anonymize", args=[999999]))
    assert response.status_code == 404


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    built = left(world)
    before = state(built.person)
    response = Client().post(url("anonymize", built.person), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert state(built.person) == before


def test_command_needs_yes_and_then_anonymizes(world: World) -> None:
    built = left(world)
    before = state(built.person)
    with pytest.raises(CommandError, match="--yes"):
        call_command("person_anonymize", PERSON["email"])
    assert state(built.person) == before
    call_command("person_anonymize", PERSON["email"], "--yes")
    person = User.objects.get(pk=built.person.pk)
    assert person.is_anonymized
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert event.actor_id is None


def test_command_refuses_an_unknown_person(world: World) -> None:
    with pytest.raises(CommandError, match="No person"):
        call_command("person_anonymize", "nobody@example.org", "--yes")


def test_every_model_referring_to_a_person_has_an_anonymization_policy() -> None:
    """Fails when an app adds a reference to people without deciding what anonymizing does
    to it (soihtu/privacy/services.py, ANONYMIZE_POLICY)."""
    for model in apps.get_models():
        refers = any(
            (f.concrete or isinstance(f, models.ManyToManyField)) and f.related_model is User
            for f in model._meta.get_fields()
        )
        if refers and model is not User:
            label = model._meta.label_lower
            assert label in ANONYMIZE_POLICY, f"{label}: add it to ANONYMIZE_POLICY"
    for label, rule in ANONYMIZE_POLICY.items():
        assert rule.reason.strip(), label
        if rule.treatment == Treatment.DELETE and label in installed():
            field = apps.get_model(label)._meta.get_field(rule.delete_by)
            assert field.related_model is User, label


def installed() -> set[str]:
    return {model._meta.label_lower for model in apps.get_models()}


def test_an_earlier_personal_data_export_leaves_no_detail_after_anonymizing(world: World) -> None:
    built = left(world)
    exported = client_for(world.admin).get(url("export", built.person))
    assert exported.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, target_id=built.person.pk)
    assert (event.actor, event.target_type) == (world.admin, "user")
    anonymize_as_admin(world, built.person)
    dump = database_dump()
    for text in strings_of(PERSON):
        assert text not in dump, text


def test_the_security_logs_stay_without_the_persons_name_or_provider_identity(
    world: World,
) -> None:
    built = left(world)
    User.objects.filter(pk=built.person.pk).update(
        oidc_issuer="https://login.example", oidc_subject="subject-4521"
    )
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, user=built.person, username="x")
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="akettumaki")
    AccessRecord.objects.create(
        user=world.admin,
        kind=AccessRecord.Kind.PERSON,
        object_id=built.person.pk,
        object_repr="Aurelia Kettumäki",
    )
    assert anonymize_as_admin(world, built.person).status_code == 302
    person = User.objects.get(pk=built.person.pk)
    assert (person.oidc_issuer, person.oidc_subject) == ("", "")
    assert SecurityEvent.objects.count() >= 2  # kept, by law and for investigations
    assert not SecurityEvent.objects.filter(username__in=["x", "akettumaki"]).exists()
    record = AccessRecord.objects.get(kind=AccessRecord.Kind.PERSON, object_id=person.pk)
    assert record.object_repr == "entinen työntekijä"  # the organization's language
    assert record.user == world.admin
    assert "subject-4521" not in database_dump()
