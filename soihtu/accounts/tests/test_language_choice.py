"""The language a signed-in person chooses is remembered, and their emails follow it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.followup.services import reminders_send
from soihtu.followup.tests.helpers import check_in
from soihtu.surveys import services as surveys
from soihtu.surveys.models import SurveyRound


def _choose(client: Client, language: str) -> int:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return response.status_code


def test_signed_in_choice_is_remembered_and_audited(world: World) -> None:
    assert _choose(client_for(world.member), "sv") == 302
    world.member.refresh_from_db()
    assert world.member.language == "sv"
    assert world.member.email_language == "sv"
    event = AuditEvent.objects.get(target_id=world.member.pk, after__language="sv")
    assert event.before == {"language": ""}


def test_choosing_the_same_language_again_records_nothing_new(world: World) -> None:
    client = client_for(world.member)
    _choose(client, "en")
    events = AuditEvent.objects.count()
    _choose(client, "en")
    assert AuditEvent.objects.count() == events


def test_signed_out_choice_still_works_and_stores_nothing(world: World) -> None:
    client = Client()
    assert _choose(client, "sv") == 302
    assert client.cookies["django_language"].value == "sv"
    assert not type(world.member).objects.exclude(language="").exists()


def test_unknown_language_is_not_stored(world: World) -> None:
    _choose(client_for(world.member), "de")
    world.member.refresh_from_db()
    assert world.member.language == ""
    assert world.member.email_language == "fi"  # the organization's default


def test_reminder_email_follows_the_persons_language(
    world: World, mailoutbox: list[mail.EmailMessage]
) -> None:
    check_in(world.torchbearer, world.kr_a2)
    check_in(world.member_b, world.kr_b1)
    _choose(client_for(world.member), "sv")
    reminders_send(timezone.now())
    (mine,) = [m for m in mailoutbox if world.member.email in m.to]
    assert mine.subject == f"Dags för lägesuppdatering: {world.kr_a1.title}"


@pytest.mark.django_db(transaction=True)
def test_survey_invitation_follows_each_persons_language(world: World) -> None:
    _choose(client_for(world.member), "sv")
    _choose(client_for(world.member_b), "en")
    survey = surveys.round_create_from_template(
        actor=world.admin,
        title="Syksyn kysely",
        opens_on=datetime.date(2026, 11, 20),
        closes_on=datetime.date(2026, 12, 15),
    )
    surveys.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    mail.outbox.clear()
    surveys.invitations_send(survey)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[world.member.email] == "Enkät: Syksyn kysely"
    assert subjects[world.member_b.email] == "Survey: Syksyn kysely"
    assert subjects[world.outsider.email] == "Kysely: Syksyn kysely"
