"""Planning and sending reminders: who gets one, how often, and never twice."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from soihtu.conftest import NOW, World, make_kr
from soihtu.followup.models import ReminderLog
from soihtu.followup.services import reminders_plan, reminders_send
from soihtu.followup.tests.helpers import check_in, days

Outbox = list[mail.EmailMessage]


def _to(outbox: Outbox, email: str) -> list[mail.EmailMessage]:
    return [m for m in outbox if email in m.to]


def _quiet_others(world: World) -> None:
    """Only kr_a1 (owned by member) is due: the other owners have checked in."""
    check_in(world.torchbearer, world.kr_a2)
    check_in(world.member_b, world.kr_b1)


def test_exactly_one_email_to_the_owner_of_a_due_key_result(
    world: World, mailoutbox: Outbox
) -> None:
    _quiet_others(world)
    assert reminders_send(timezone.now()) >= 1
    mine = _to(mailoutbox, world.member.email)
    assert len(mine) == 1
    assert world.kr_a1.title in mine[0].subject
    assert f"/key-results/{world.kr_a1.pk}/check-in/" in mine[0].body
    assert _to(mailoutbox, world.member_b.email) == []
    log = ReminderLog.objects.get(user=world.member, kind=ReminderLog.Kind.DUE_REMINDER)
    assert log.sent_at is not None
    assert log.key_result_id == world.kr_a1.pk


def test_reminder_is_rendered_in_finnish_by_default(
    world: World, mailoutbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from soihtu.followup import services

    languages: list[str | None] = []
    from django.template.loader import render_to_string as original

    def spy(*args: Any, **kwargs: Any) -> str:
        languages.append(translation.get_language())
        return original(*args, **kwargs)

    _quiet_others(world)
    monkeypatch.setattr(services, "render_to_string", spy)
    with translation.override("en"):
        reminders_send(timezone.now())
    assert languages
    assert set(languages) == {"fi"}


def test_sending_again_in_the_same_period_sends_nothing(world: World, mailoutbox: Outbox) -> None:
    _quiet_others(world)
    first = reminders_send(timezone.now())
    assert first >= 1
    assert reminders_send(timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(mailoutbox) == first
    assert reminders_plan(timezone.now()) == []


def test_no_reminder_to_someone_who_checked_in_within_the_cadence(
    world: World, mailoutbox: Outbox
) -> None:
    _quiet_others(world)
    check_in(world.member, world.kr_a1)
    reminders_send(timezone.now())
    assert _to(mailoutbox, world.member.email) == []


def test_no_reminder_when_the_owner_checked_in_backdated(world: World, mailoutbox: Outbox) -> None:
    """A check-in measured weeks ago but recorded today still counts as checking in."""
    _quiet_others(world)
    from soihtu.checkins.services import checkin_create

    with time_machine.travel(NOW - days(20), tick=False):
        check_in(world.torchbearer, world.kr_a1)
    checkin_create(
        author=world.member,
        key_result=world.kr_a1,
        value=Decimal(9),
        confidence=6,
        measured_on=(NOW - days(25)).date(),
    )
    reminders_send(timezone.now())
    assert _to(mailoutbox, world.member.email) == []


def test_no_reminder_when_reminders_are_off(world: World, mailoutbox: Outbox) -> None:
    _quiet_others(world)
    world.member.reminders_enabled = False
    world.member.save()
    reminders_send(timezone.now())
    assert _to(mailoutbox, world.member.email) == []


def test_next_cadence_period_reminds_again(world: World, mailoutbox: Outbox) -> None:
    _quiet_others(world)
    reminders_send(timezone.now())
    with time_machine.travel(NOW + days(15), tick=False):
        check_in(world.torchbearer, world.kr_a2)
        check_in(world.member_b, world.kr_b1)
        reminders_send(timezone.now())
    assert len(_to(mailoutbox, world.member.email)) == 2


def test_at_most_three_reminders_per_person_per_week(world: World, mailoutbox: Outbox) -> None:
    _quiet_others(world)
    for n in range(4):
        make_kr(world.objective_a, f"Lisätulos {n}", owner=world.member)
    world.team_a.checkin_cadence = 7
    world.team_a.save()
    reminders_send(timezone.now())
    assert len(_to(mailoutbox, world.member.email)) == 3
    with time_machine.travel(NOW + days(6), tick=False):
        check_in(world.torchbearer, world.kr_a2)
        check_in(world.member_b, world.kr_b1)
        reminders_send(timezone.now())  # a new weekly period, but the same rolling week
    assert len(_to(mailoutbox, world.member.email)) == 3
    with time_machine.travel(NOW + days(7) + datetime.timedelta(hours=1), tick=False):
        reminders_send(timezone.now())
    assert len(_to(mailoutbox, world.member.email)) == 6


def test_week_limit_lets_the_fourth_through_later_in_the_same_period(
    world: World, mailoutbox: Outbox
) -> None:
    """Biweekly: three reminders in the first week, the fourth key result in the second week."""
    _quiet_others(world)
    for n in range(3):
        make_kr(world.objective_a, f"Lisätulos {n}", owner=world.member)
    start = datetime.datetime(2026, 11, 24, 12, tzinfo=NOW.tzinfo)  # day 84: a period begins
    with time_machine.travel(start, tick=False):
        reminders_send(timezone.now())
    assert len(_to(mailoutbox, world.member.email)) == 3
    with time_machine.travel(start + days(8), tick=False):
        check_in(world.torchbearer, world.kr_a2)
        check_in(world.member_b, world.kr_b1)
        reminders_send(timezone.now())
    assert len(_to(mailoutbox, world.member.email)) == 4
    assert (
        ReminderLog.objects.filter(user=world.member).values("key_result").distinct().count() == 4
    )


def test_one_torchbearer_summary_per_cadence_with_the_stale_key_results(
    world: World, mailoutbox: Outbox
) -> None:
    check_in(world.member_b, world.kr_b1)
    reminders_send(timezone.now())
    follow_up = f"/teams/{world.team_a.pk}/follow-up/"
    summaries = [m for m in _to(mailoutbox, world.torchbearer.email) if follow_up in m.body]
    assert len(summaries) == 1
    assert world.kr_a1.title in summaries[0].body
    assert world.kr_a2.title in summaries[0].body
    assert world.kr_b1.title not in summaries[0].body
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.STALE_SUMMARY).count() == 1
    # Team B has no stale key results: no summary (and it has no torchbearer anyway).
    with time_machine.travel(NOW + days(3), tick=False):
        reminders_send(timezone.now())
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.STALE_SUMMARY).count() == 1
    with time_machine.travel(NOW + days(14), tick=False):
        reminders_send(timezone.now())
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.STALE_SUMMARY).count() == 2


def test_no_summary_without_stale_key_results(world: World, mailoutbox: Outbox) -> None:
    for kr in world.objective_a.key_results.all():
        check_in(world.torchbearer, kr)
    for kr in world.restricted_a.key_results.all():
        check_in(world.torchbearer, kr)
    reminders_send(timezone.now())
    assert not ReminderLog.objects.filter(kind=ReminderLog.Kind.STALE_SUMMARY).exists()


def test_failed_send_releases_the_claim_for_the_next_run(
    world: World, mailoutbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quiet_others(world)

    def refuse(self: Any) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    assert reminders_send(timezone.now()) == 0
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    assert reminders_send(timezone.now()) >= 1
    assert len(_to(mailoutbox, world.member.email)) == 1


def test_claimed_but_unsent_reminder_is_not_sent_again(world: World, mailoutbox: Outbox) -> None:
    """A crash after the claim and before the email: the next run must not send it."""
    _quiet_others(world)
    planned = [r for r in reminders_plan(timezone.now()) if r.user == world.member]
    ReminderLog.objects.create(
        user=world.member,
        key_result=world.kr_a1,
        kind=planned[0].kind,
        team=world.team_a,
        period_key=planned[0].period_key,
    )
    reminders_send(timezone.now())
    assert _to(mailoutbox, world.member.email) == []
