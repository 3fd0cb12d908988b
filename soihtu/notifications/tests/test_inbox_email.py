"""Notifications by email: each once, the daily digest at most once a day after the digest hour,
in the person's language; and the check-in reminder is the key result's only email."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.conftest import NOW, World
from soihtu.followup.services import reminders_send
from soihtu.followup.tests.helpers import check_in
from soihtu.notifications.inbox_email import notification_digests_send, notification_emails_send
from soihtu.notifications.models import DigestLog, Notification
from soihtu.notifications.tests.inbox_helpers import Channel, Event, Kind, notify, prefer

Outbox = list[mail.EmailMessage]
State = Notification.EmailState


def schedule() -> None:
    call_command("followup_schedule", "--now", stdout=StringIO())


def to(outbox: Outbox, user: User, word: str = "Soihtu:") -> list[mail.EmailMessage]:
    return [m for m in outbox if user.email in m.to and word in m.subject]


def test_an_email_notification_is_sent_once_from_two_scheduler_runs(
    world: World, mailoutbox: Outbox
) -> None:
    prefer(world.member_b, Kind.PROPOSAL, Channel.EMAIL)
    n = notify(world.member_b, url="/planning/x/", subject="Parempi chat")
    schedule()
    schedule()
    sent = to(mailoutbox, world.member_b)
    assert len(sent) == 1
    assert "Parempi chat" in sent[0].subject
    assert f"{django_settings.SOIHTU_BASE_URL}/planning/x/" in sent[0].body
    assert "/notifications/settings/" in sent[0].body
    n.refresh_from_db()
    assert n.email_state == State.SENT


def test_read_notifications_and_people_without_an_address_get_no_email(
    world: World, mailoutbox: Outbox
) -> None:
    prefer(world.member_b, Kind.PROPOSAL, Channel.EMAIL)
    prefer(world.outsider, Kind.PROPOSAL, Channel.EMAIL)
    read = notify(world.member_b)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    User.objects.filter(pk=world.outsider.pk).update(email="")
    no_address = notify(world.outsider)
    assert notification_emails_send(timezone.now()) == 0
    assert mailoutbox == []
    for n in (read, no_address):
        n.refresh_from_db()
        assert n.email_state == State.NONE


def test_email_is_in_the_persons_language(world: World, mailoutbox: Outbox) -> None:
    prefer(world.member_b, Kind.PROPOSAL, Channel.EMAIL)
    prefer(world.outsider, Kind.PROPOSAL, Channel.EMAIL)
    User.objects.filter(pk=world.member_b.pk).update(language="sv")
    notify(world.member_b)
    notify(world.outsider)  # no language of their own: the organization's, Finnish
    notification_emails_send(timezone.now())
    assert to(mailoutbox, world.member_b)[0].body.startswith("Hej Member,")
    assert to(mailoutbox, world.outsider)[0].body.startswith("Hei Outsider,")


def test_three_digest_notifications_make_one_digest_from_two_runs(
    world: World, mailoutbox: Outbox
) -> None:
    prefer(world.member_b, Kind.PROPOSAL, Channel.DIGEST)
    for title in ["Yksi", "Kaksi", "Kolme"]:
        notify(world.member_b, subject=title)
    schedule()
    schedule()
    digests = to(mailoutbox, world.member_b)
    assert len(digests) == 1
    assert "3" in digests[0].subject
    for title in ["Yksi", "Kaksi", "Kolme"]:
        assert title in digests[0].body
    assert not Notification.objects.filter(email_state=State.DIGEST).exists()
    assert DigestLog.objects.get(user=world.member_b).notifications == 3
    # One more the same day waits for tomorrow's digest.
    notify(world.member_b, subject="Neljä")
    schedule()
    assert len(to(mailoutbox, world.member_b)) == 1
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        schedule()
    digests = to(mailoutbox, world.member_b)
    assert len(digests) == 2
    assert "Neljä" in digests[1].body


def test_no_digest_before_the_digest_hour(world: World, mailoutbox: Outbox, settings: Any) -> None:
    settings.SOIHTU_DIGEST_HOUR = 11  # NOW is 10:00 in Helsinki
    prefer(world.member_b, Kind.PROPOSAL, Channel.DIGEST)
    notify(world.member_b)
    assert notification_digests_send(timezone.now()) == 0
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        assert notification_digests_send(timezone.now()) == 1


def test_a_refused_digest_is_tried_again_on_the_next_run(
    world: World, mailoutbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefer(world.member_b, Kind.PROPOSAL, Channel.DIGEST)
    notify(world.member_b)

    def refuse(self: Any) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    assert notification_digests_send(timezone.now()) == 0
    assert not DigestLog.objects.exists()
    assert Notification.objects.get().email_state == State.DIGEST
    monkeypatch.undo()
    assert notification_digests_send(timezone.now()) == 1


def _only_member_due(world: World) -> None:
    check_in(world.torchbearer, world.kr_a2)
    check_in(world.member_b, world.kr_b1)


def test_the_reminder_email_is_the_key_results_email(world: World, mailoutbox: Outbox) -> None:
    _only_member_due(world)
    schedule()
    schedule()
    reminders = [m for m in mailoutbox if world.member.email in m.to]
    assert len(reminders) == 1  # the reminder, and no notification email beside it
    due = Notification.objects.get(recipient=world.member, event=Event.KEY_RESULT_DUE)
    assert due.subject == world.kr_a1.title
    assert due.url == f"/key-results/{world.kr_a1.pk}/check-in/"
    assert due.email_state == State.SENT
    stale = Notification.objects.get(recipient=world.torchbearer, event=Event.KEY_RESULT_STALE)
    assert stale.subject == world.team_a.name
    assert world.kr_a1.title in stale.detail


def test_reminders_off_means_in_soihtu_only_once_per_period(
    world: World, mailoutbox: Outbox
) -> None:
    _only_member_due(world)
    User.objects.filter(pk=world.member.pk).update(reminders_enabled=False)
    reminders_send(timezone.now())
    reminders_send(timezone.now())
    assert [m for m in mailoutbox if world.member.email in m.to] == []
    due = Notification.objects.get(recipient=world.member, event=Event.KEY_RESULT_DUE)
    assert due.email_state == State.NONE


def test_key_results_in_the_digest_instead_of_reminder_emails(
    world: World, mailoutbox: Outbox
) -> None:
    _only_member_due(world)
    User.objects.filter(pk=world.member.pk).update(reminders_enabled=False)
    prefer(world.member, Kind.KEY_RESULT, Channel.DIGEST)
    schedule()
    mine = [m for m in mailoutbox if world.member.email in m.to]
    assert len(mine) == 1
    assert world.kr_a1.title in mine[0].body


def test_key_results_off_and_reminders_off_write_nothing(world: World, mailoutbox: Outbox) -> None:
    _only_member_due(world)
    User.objects.filter(pk=world.member.pk).update(reminders_enabled=False)
    prefer(world.member, Kind.KEY_RESULT, Channel.OFF)
    reminders_send(timezone.now())
    assert not Notification.objects.filter(recipient=world.member).exists()
