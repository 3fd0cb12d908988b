"""Writes of the follow-up rhythm: the team's cadence, follow-up meetings, the personal
reminder setting, and planning and sending the reminders."""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import checkin_create
from soihtu.followup.models import FollowUpMeeting, ReminderLog
from soihtu.followup.selectors import (
    due_condition,
    followed_up,
    period_index,
    stale_condition,
)
from soihtu.notifications.inbox import (
    channels_for,
    key_result_channel_follow_reminders,
    people_notify,
)
from soihtu.notifications.models import Notification, NotificationPreference
from soihtu.okrs.access import visible_to_owner_q
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Cadence, Membership, Unit

logger = logging.getLogger(__name__)

WEEKLY_LIMIT = 3  # check-in reminders per person in any seven days
WEEK = datetime.timedelta(days=7)


@transaction.atomic
def cadence_set(*, actor: User, team: Unit, cadence: int) -> Unit:
    """Set how often the team checks in (7, 14 or 30 days), audited."""
    if cadence not in Cadence.values:
        raise ValidationError(_("Choose weekly, every two weeks or monthly."))
    team = Unit.objects.select_for_update().get(pk=team.pk)
    before = snapshot(team, ["checkin_cadence"])
    team.checkin_cadence = cadence
    team.save(update_fields=["checkin_cadence"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=team,
        before=before,
        after=snapshot(team, ["checkin_cadence"]),
    )
    return team


@transaction.atomic
def meeting_record(*, actor: User, team: Unit, notes: str = "") -> FollowUpMeeting:
    """Record that the team held its follow-up meeting now, with its notes, audited."""
    meeting = FollowUpMeeting.objects.create(team=team, held_by=actor, notes=notes.strip())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=meeting,
        before=None,
        after=snapshot(meeting, ["team", "held_at", "notes"]),
    )
    return meeting


class MeetingCheckInConflictError(Exception):
    """The key result was checked in on after the meeting page was shown: nothing saved."""

    def __init__(self, key_result: KeyResult) -> None:
        super().__init__(key_result.pk)
        self.key_result = key_result


def key_result_fingerprint(key_result: KeyResult) -> str:
    """The id of the key result's newest check-in ("0" without one): any check-in recorded
    since changes it, backdated or not (the meeting table's rows carry it)."""
    newest = CheckIn.objects.filter(key_result=key_result).aggregate(newest=Max("id"))["newest"]
    return str(newest or 0)


@transaction.atomic
def meeting_checkin_create(
    *,
    author: User,
    key_result: KeyResult,
    fingerprint: str,
    value: Decimal,
    confidence: int,
    note: str = "",
    measured_on: datetime.date | None = None,
) -> CheckIn:
    """A check-in from the follow-up meeting's table, unless the key result has been checked
    in on since the page showed it (`fingerprint`): then MeetingCheckInConflictError, with the
    key result as saved now. The key result is locked while comparing, so a check-in arriving
    meanwhile cannot slip between the comparison and the save. The rules and the audit are
    those of `checkin_create` (ValidationError on a closed cycle or a date outside it)."""
    locked = KeyResult.objects.select_for_update(of=("self",)).get(pk=key_result.pk)
    if key_result_fingerprint(locked) != fingerprint:
        raise MeetingCheckInConflictError(locked)
    return checkin_create(
        author=author,
        key_result=key_result,
        value=value,
        confidence=confidence,
        note=note,
        measured_on=measured_on,
    )


@transaction.atomic
def reminders_enabled_set(*, actor: User, enabled: bool) -> User:
    """Turn the person's own email reminders on or off, audited."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = snapshot(user, ["reminders_enabled"])
    user.reminders_enabled = enabled
    user.save(update_fields=["reminders_enabled"])
    # The key result kind of the notification settings follows (docs/notifications.md).
    key_result_channel_follow_reminders(user=user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        before=before,
        after=snapshot(user, ["reminders_enabled"]),
    )
    return user


@dataclass
class Reminder:
    """One email to send: a check-in reminder on a key result, or a torchbearer's summary."""

    kind: str
    user: User
    team: Unit
    period_key: str
    key_result: KeyResult | None = None
    key_results: list[KeyResult] = field(default_factory=list)
    # False: the person gets the reminder in Soihtu only (reminders off, or no address).
    email: bool = True


def _wants_email(user: User | None) -> bool:
    return user is not None and user.is_active and user.reminders_enabled and bool(user.email)


def _own_recent_checkins(now: datetime.datetime) -> dict[tuple[int, int], datetime.datetime]:
    """(key result, owner) -> when the owner last recorded a check-in on it, recently."""
    longest = datetime.timedelta(days=max(Cadence.values))
    rows = CheckIn.objects.filter(
        created_at__gt=now - longest, author=F("key_result__owner")
    ).values_list("key_result_id", "author_id", "created_at")
    latest: dict[tuple[int, int], datetime.datetime] = {}
    for kr_id, author_id, created_at in rows:
        latest[(kr_id, author_id)] = max(created_at, latest.get((kr_id, author_id), created_at))
    return latest


def _in_soihtu_only(reminders: list[Reminder]) -> list[Reminder]:
    """The reminders, less the in-Soihtu-only ones of people whose key result notifications
    are off: nothing would reach them (one query)."""
    quiet = [r.user.pk for r in reminders if not r.email]
    if not quiet:
        return reminders
    people = User.objects.filter(pk__in=quiet)
    channels = channels_for(people, Notification.Kind.KEY_RESULT)
    off = NotificationPreference.Channel.OFF
    return [r for r in reminders if r.email or channels.get(r.user.pk, off) != off]


def _due_candidates(now: datetime.datetime) -> list[Reminder]:
    """A reminder for every due key result whose owner has not checked in on it within the
    cadence, the longest waiting first: by email to owners who want email, in Soihtu to the
    others (docs/notifications.md)."""
    own = _own_recent_checkins(now)
    key_results = (
        followed_up(now)
        .filter(due_condition(now), owner__isnull=False, owner__is_active=True)
        # An owner who left the team of a restricted objective may no longer see it.
        .filter(visible_to_owner_q("owner", "objective"))
        .order_by(F("last_checkin_at").asc(nulls_first=True), "id")
    )
    reminders: list[Reminder] = []
    for kr in key_results:
        owner, cycle = kr.owner, kr.objective.cycle
        assert owner is not None
        assert cycle is not None
        checked_in = own.get((kr.pk, owner.pk))
        if checked_in is not None and checked_in > now - datetime.timedelta(days=kr.cadence_days):
            continue  # the owner checked in on it within the cadence (backdated, say)
        key = f"kr:{kr.pk}:{kr.cadence_days}:{period_index(cycle, kr.cadence_days, now)}"
        team = kr.objective.owner_unit
        reminders.append(
            Reminder(
                ReminderLog.Kind.DUE_REMINDER,
                owner,
                team,
                key,
                key_result=kr,
                email=_wants_email(owner),
            )
        )
    return _in_soihtu_only(reminders)


def _due_reminders(now: datetime.datetime) -> list[Reminder]:
    """Check-in reminders not sent yet in their cadence period, at most WEEKLY_LIMIT per
    person in the rolling week."""
    candidates = _due_candidates(now)
    logs = ReminderLog.objects.filter(kind=ReminderLog.Kind.DUE_REMINDER)
    claimed = set(
        logs.filter(period_key__in=[r.period_key for r in candidates]).values_list(
            "user_id", "period_key"
        )
    )
    this_week = Counter(logs.filter(claimed_at__gt=now - WEEK).values_list("user_id", flat=True))
    reminders: list[Reminder] = []
    for reminder in candidates:
        user_id = reminder.user.pk
        if (user_id, reminder.period_key) in claimed or this_week[user_id] >= WEEKLY_LIMIT:
            continue
        this_week[user_id] += 1
        reminders.append(reminder)
    return reminders


def _stale_summaries(now: datetime.datetime) -> list[Reminder]:
    """One summary per team and cadence period to the torchbearer, of the team's stale key
    results."""
    stale = list(followed_up(now).filter(stale_condition(now)).order_by("objective_id", "id"))
    teams: dict[tuple[int, int], list[KeyResult]] = {}
    for kr in stale:
        teams.setdefault((kr.objective.owner_unit_id, kr.objective.cycle_id or 0), []).append(kr)
    torchbearers = {
        m.unit_id: m.user
        for m in Membership.objects.filter(
            role=Membership.Role.TORCHBEARER, unit_id__in={team for team, _c in teams}
        ).select_related("user")
    }
    reminders: list[Reminder] = []
    for (team_id, cycle_id), key_results in teams.items():
        torchbearer = torchbearers.get(team_id)
        if torchbearer is None or not torchbearer.is_active:
            continue
        team = key_results[0].objective.owner_unit
        cycle = key_results[0].objective.cycle
        assert cycle is not None
        index = period_index(cycle, team.checkin_cadence, now)
        key = f"summary:{team_id}:{cycle_id}:{team.checkin_cadence}:{index}"
        reminders.append(
            Reminder(
                ReminderLog.Kind.STALE_SUMMARY,
                torchbearer,
                team,
                key,
                key_results=key_results,
                email=_wants_email(torchbearer),
            )
        )
    return _in_soihtu_only(reminders)


def reminders_plan(now: datetime.datetime) -> list[Reminder]:
    """Every reminder that should go out at `now` and has not gone out yet.

    Check-in reminders go to the owners of due key results of active cycles (by email to those
    who want reminders, in Soihtu to the others), one per key result per cadence period (the
    period index counts cadences from the start of the cycle), at most WEEKLY_LIMIT per person
    in any seven days. Torchbearers get one summary of the team's stale key results per cadence
    period.
    """
    planned = _due_reminders(now) + _stale_summaries(now)
    claimed = set(
        ReminderLog.objects.filter(period_key__in=[r.period_key for r in planned]).values_list(
            "kind", "user_id", "period_key"
        )
    )
    return [r for r in planned if (r.kind, r.user.pk, r.period_key) not in claimed]


def _claim(reminder: Reminder, now: datetime.datetime) -> ReminderLog | None:
    """Insert the reminder's log row, committed before anything is sent. None when another
    run has claimed it already, or (for check-in reminders) the person's week is full."""
    try:
        with transaction.atomic():
            # Lock the person, so that racing schedulers count the week one after the other.
            list(User.objects.select_for_update().filter(pk=reminder.user.pk).values("pk"))
            if reminder.kind == ReminderLog.Kind.DUE_REMINDER:
                week = ReminderLog.objects.filter(
                    user=reminder.user, kind=reminder.kind, claimed_at__gt=now - WEEK
                ).count()
                if week >= WEEKLY_LIMIT:
                    return None
            log = ReminderLog.objects.create(
                user=reminder.user,
                key_result=reminder.key_result,
                kind=reminder.kind,
                team=reminder.team,
                period_key=reminder.period_key,
                claimed_at=now,
            )
            if not reminder.email:
                _reminder_notify(reminder, emailed=False)
            return log
    except IntegrityError:
        return None


def _reminder_notify(reminder: Reminder, *, emailed: bool) -> None:
    """The reminder in the person's notifications (their key result channel decides); when
    the reminder email went out, that email was the notification's email."""
    if reminder.kind == ReminderLog.Kind.DUE_REMINDER:
        assert reminder.key_result is not None
        people_notify(
            recipients=[reminder.user],
            event=Notification.Event.KEY_RESULT_DUE,
            actor=None,
            subject=reminder.key_result.title,
            url=reverse("checkins:new", args=[reminder.key_result.pk]),
            emailed=emailed,
        )
    else:
        people_notify(
            recipients=[reminder.user],
            event=Notification.Event.KEY_RESULT_STALE,
            actor=None,
            subject=reminder.team.name,
            detail="; ".join(kr.title for kr in reminder.key_results),
            url=reverse("followup:meeting", args=[reminder.team.pk]),
            emailed=emailed,
        )


def render_reminder(reminder: Reminder) -> EmailMessage:
    """The email of a reminder, in the recipient's language."""
    template = (
        "followup/email/due_reminder"
        if reminder.kind == ReminderLog.Kind.DUE_REMINDER
        else "followup/email/stale_summary"
    )
    context = {
        "reminder": reminder,
        "user": reminder.user,
        "team": reminder.team,
        "key_result": reminder.key_result,
        "key_results": reminder.key_results,
        "base_url": getattr(settings, "SOIHTU_BASE_URL", "").rstrip("/"),
    }
    with translation.override(reminder.user.email_language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[reminder.user.email])


def reminders_send(now: datetime.datetime) -> int:
    """Send every planned reminder once; returns how many were sent.

    Each reminder is claimed by committing its ReminderLog row before the email is sent, so
    a second run (or a racing scheduler) skips it, and a crash after the claim can at worst
    lose one email, never send it twice. When the mail server refuses the email, the claim is
    released so that the next run tries again.
    """
    sent = 0
    for reminder in reminders_plan(now):
        log = _claim(reminder, now)
        if log is None or not reminder.email:
            continue  # claimed by another run, or in Soihtu only (written with the claim)
        try:
            render_reminder(reminder).send()
        except Exception:
            logger.exception("Reminder %s to user %s failed", log.period_key, log.user_id)
            ReminderLog.objects.filter(pk=log.pk, sent_at__isnull=True).delete()
            continue
        with transaction.atomic():
            ReminderLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
            _reminder_notify(reminder, emailed=True)
        sent += 1
    return sent
