"""Writes of the follow-up rhythm: the team's cadence, follow-up meetings, the personal
reminder setting, and planning and sending the reminders."""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.checkins.models import CheckIn
from soihtu.followup.models import FollowUpMeeting, ReminderLog
from soihtu.followup.selectors import (
    due_condition,
    followed_up,
    period_index,
    stale_condition,
)
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
def meeting_record(*, actor: User, team: Unit) -> FollowUpMeeting:
    """Record that the team held its follow-up meeting now, audited."""
    meeting = FollowUpMeeting.objects.create(team=team, held_by=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=meeting,
        before=None,
        after=snapshot(meeting, ["team", "held_at"]),
    )
    return meeting


@transaction.atomic
def reminders_enabled_set(*, actor: User, enabled: bool) -> User:
    """Turn the person's own email reminders on or off, audited."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = snapshot(user, ["reminders_enabled"])
    user.reminders_enabled = enabled
    user.save(update_fields=["reminders_enabled"])
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


def _due_candidates(now: datetime.datetime) -> list[Reminder]:
    """A reminder for every due key result whose owner wants email and has not checked in on
    it within the cadence, the longest waiting first."""
    own = _own_recent_checkins(now)
    key_results = (
        followed_up(now)
        .filter(due_condition(now), owner__isnull=False, owner__reminders_enabled=True)
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
        if not _wants_email(owner) or (
            checked_in is not None and checked_in > now - datetime.timedelta(days=kr.cadence_days)
        ):
            continue  # the owner checked in on it within the cadence (backdated, say)
        key = f"kr:{kr.pk}:{kr.cadence_days}:{period_index(cycle, kr.cadence_days, now)}"
        team = kr.objective.owner_unit
        reminders.append(Reminder(ReminderLog.Kind.DUE_REMINDER, owner, team, key, key_result=kr))
    return reminders


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
        if not _wants_email(torchbearer):
            continue
        assert torchbearer is not None
        team = key_results[0].objective.owner_unit
        cycle = key_results[0].objective.cycle
        assert cycle is not None
        index = period_index(cycle, team.checkin_cadence, now)
        key = f"summary:{team_id}:{cycle_id}:{team.checkin_cadence}:{index}"
        reminders.append(
            Reminder(
                ReminderLog.Kind.STALE_SUMMARY, torchbearer, team, key, key_results=key_results
            )
        )
    return reminders


def reminders_plan(now: datetime.datetime) -> list[Reminder]:
    """Every reminder that should go out at `now` and has not gone out yet.

    Check-in reminders go to the owners of due key results of active cycles who want
    reminders, one per key result per cadence period (the period index counts cadences from
    the start of the cycle), at most WEEKLY_LIMIT per person in any seven days. Torchbearers
    get one summary of the team's stale key results per cadence period.
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
            return ReminderLog.objects.create(
                user=reminder.user,
                key_result=reminder.key_result,
                kind=reminder.kind,
                team=reminder.team,
                period_key=reminder.period_key,
                claimed_at=now,
            )
    except IntegrityError:
        return None


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
        if log is None:
            continue
        try:
            render_reminder(reminder).send()
        except Exception:
            logger.exception("Reminder %s to user %s failed", log.period_key, log.user_id)
            ReminderLog.objects.filter(pk=log.pk, sent_at__isnull=True).delete()
            continue
        ReminderLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
