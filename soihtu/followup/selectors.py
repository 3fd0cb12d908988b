"""Reads for the follow-up rhythm: due and stale key results in one query each (for the
meeting page, the reminders and the torchbearer's desk), and the follow-up meeting page."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from soihtu.checkins.models import CheckIn

if TYPE_CHECKING:
    from soihtu.checkins.forms import CheckInForm
from soihtu.cycles.models import Cycle
from soihtu.followup.models import FollowUpMeeting
from soihtu.okrs.access import objectives_visible_to
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Cadence, Membership, Unit
from soihtu.organization.roles import Actor

CADENCE = "objective__owner_unit__checkin_cadence"


def period_start(cycle: Cycle) -> datetime.datetime:
    """Midnight, local time, of the day the cycle begins: where cadence periods are counted."""
    return datetime.datetime.combine(
        cycle.starts_on, datetime.time(), tzinfo=timezone.get_current_timezone()
    )


def period_index(cycle: Cycle, cadence_days: int, now: datetime.datetime) -> int:
    """Which cadence period of the cycle `now` falls in: 0 for the first."""
    return int((now - period_start(cycle)) // datetime.timedelta(days=cadence_days))


def _older_than(now: datetime.datetime, cadences: int) -> Q:
    """Key results whose last check-in is older than `cadences` of their team's cadence.

    Spelled out per cadence (there are three), so the database needs no date arithmetic.
    """
    condition = Q(pk__in=[])
    for days in Cadence.values:
        limit = now - datetime.timedelta(days=days * cadences)
        condition |= Q(**{CADENCE: days, "last_checkin_at__lt": limit})
    return condition


def _never_since(now: datetime.datetime, cadences: int) -> Q:
    """Key results without a check-in whose cycle began, and that were created, more than
    `cadences` cadences ago (a key result added late is counted from its creation)."""
    condition = Q(pk__in=[])
    for days in Cadence.values:
        limit = now - datetime.timedelta(days=days * cadences)
        condition |= Q(
            **{
                CADENCE: days,
                "objective__cycle__starts_on__lte": timezone.localdate(limit),
                "created_at__lt": limit,
            }
        )
    return Q(last_checkin_at__isnull=True) & condition


def due_condition(now: datetime.datetime) -> Q:
    """Waiting for a check-in: none yet, or the last one older than the team's cadence
    (the same rule as `KeyResult.is_due`)."""
    return Q(last_checkin_at__isnull=True) | _older_than(now, 1)


def stale_condition(now: datetime.datetime) -> Q:
    """Two cadences have passed without a check-in (the same rule as `KeyResult.is_stale`)."""
    return _older_than(now, 2) | _never_since(now, 2)


def followed_up(now: datetime.datetime) -> QuerySet[KeyResult]:
    """Key results of active objectives in cycles that are active and running today."""
    today = timezone.localdate(now)
    return KeyResult.objects.filter(
        objective__status=Objective.Status.ACTIVE,
        objective__cycle__state=Cycle.State.ACTIVE,
        objective__cycle__starts_on__lte=today,
        objective__cycle__ends_on__gte=today,
    ).select_related(
        "objective",
        "objective__owner_unit",
        "objective__cycle",
        "objective__year",
        "owner",
    )


def due_key_results(
    team_ids: Iterable[int], cycle: Cycle | None, *, now: datetime.datetime | None = None
) -> list[KeyResult]:
    """The teams' key results of the cycle waiting for a check-in: one query, with objective,
    team and owner loaded. Empty unless the cycle is active and running."""
    if cycle is None:
        return []
    now = now or timezone.now()
    return list(
        followed_up(now)
        .filter(objective__cycle=cycle, objective__owner_unit_id__in=list(team_ids))
        .filter(due_condition(now))
        .order_by("objective__owner_unit__path", "objective_id", "id")
    )


def stale_key_results(
    team_ids: Iterable[int], cycle: Cycle | None, *, now: datetime.datetime | None = None
) -> list[KeyResult]:
    """The teams' key results of the cycle that have missed two cadences: one query, with
    objective, team and owner loaded."""
    if cycle is None:
        return []
    now = now or timezone.now()
    return list(
        followed_up(now)
        .filter(objective__cycle=cycle, objective__owner_unit_id__in=list(team_ids))
        .filter(stale_condition(now))
        .order_by("objective__owner_unit__path", "objective_id", "id")
    )


@dataclass
class Change:
    """The check-ins of one key result since the last meeting, and how far the value and the
    confidence moved."""

    key_result: KeyResult
    checkins: list[CheckIn]
    value_before: Decimal | None
    value_now: Decimal
    confidence_before: int | None = None
    confidence_now: int | None = None

    @property
    def delta(self) -> Decimal | None:
        return None if self.value_before is None else self.value_now - self.value_before

    @property
    def confidence_delta(self) -> int | None:
        if self.confidence_before is None or self.confidence_now is None:
            return None
        return self.confidence_now - self.confidence_before


@dataclass
class ConfidenceDrop:
    key_result: KeyResult
    checkin: CheckIn
    previous: int


@dataclass
class MeetingRow:
    """One key result in the meeting table: what changed since the last meeting, and the
    fingerprint of its check-ins when the page was read (the id of its newest check-in, "0"
    without one), which the bulk check-in compares to find rows changed meanwhile."""

    key_result: KeyResult
    change: Change | None
    fingerprint: str
    can_check_in: bool = False
    # Set by the view: the row's check-in form (kept from a POST with an error or a conflict).
    form: CheckInForm | None = None
    error: bool = False
    conflict: bool = False


@dataclass
class ObjectiveRows:
    objective: Objective
    rows: list[MeetingRow] = field(default_factory=list)


@dataclass
class MeetingPage:
    team: Unit
    cycle: Cycle | None
    last_meeting: FollowUpMeeting | None
    since: datetime.datetime | None
    changes: list[Change] = field(default_factory=list)
    drops: list[ConfidenceDrop] = field(default_factory=list)
    stale: list[KeyResult] = field(default_factory=list)
    due: list[KeyResult] = field(default_factory=list)
    notes: list[CheckIn] = field(default_factory=list)
    torchbearer: Membership | None = None
    key_result_count: int = 0
    objectives: list[ObjectiveRows] = field(default_factory=list)
    earlier_meetings: list[FollowUpMeeting] = field(default_factory=list)

    @property
    def rows(self) -> list[MeetingRow]:
        return [row for group in self.objectives for row in group.rows]

    @property
    def can_check_in_any(self) -> bool:
        return any(row.can_check_in for row in self.rows)


EARLIER_MEETINGS = 5  # shown below the last meeting's notes


def _visible_objectives(actor: Actor, team: Unit, cycle: Cycle) -> list[Objective]:
    """The team's objectives of the cycle that this person may see, except cancelled ones."""
    return list(
        objectives_visible_to(actor)
        .filter(owner_unit=team, cycle=cycle)
        .exclude(status=Objective.Status.CANCELLED)
        .select_related("owner_unit", "cycle", "year")
        .order_by("id")
    )


def _visible_key_results(objectives: list[Objective]) -> list[KeyResult]:
    """The key results of `objectives`, each given its loaded objective (no query per row)."""
    by_id = {o.pk: o for o in objectives}
    key_results = list(
        KeyResult.objects.filter(objective_id__in=list(by_id))
        .select_related("owner")
        .order_by("objective_id", "id")
    )
    for kr in key_results:
        kr.objective = by_id[kr.objective_id]
    return key_results


def _group(
    objectives: list[Objective],
    key_results: list[KeyResult],
    changes: list[Change],
    checkins: list[CheckIn],
) -> list[ObjectiveRows]:
    """The meeting table: each objective with its key results, their change and fingerprint."""
    change_of = {c.key_result.pk: c for c in changes}
    newest: dict[int, int] = {}
    for checkin in checkins:
        newest[checkin.key_result_id] = max(checkin.pk, newest.get(checkin.key_result_id, 0))
    groups = {o.pk: ObjectiveRows(o) for o in objectives}
    for kr in key_results:
        row = MeetingRow(kr, change_of.get(kr.pk), str(newest.get(kr.pk, 0)))
        groups[kr.objective_id].rows.append(row)
    return list(groups.values())


def _changes(
    key_results: list[KeyResult], checkins: list[CheckIn], since: datetime.datetime | None
) -> tuple[list[Change], list[ConfidenceDrop], list[CheckIn]]:
    """Check-ins after `since` grouped by key result, confidence drops among them, and the
    new notes. `checkins` holds every check-in of the key results, oldest first."""
    by_kr = {kr.pk: kr for kr in key_results}
    history: dict[int, list[CheckIn]] = {}
    for checkin in checkins:
        history.setdefault(checkin.key_result_id, []).append(checkin)
    changes: list[Change] = []
    drops: list[ConfidenceDrop] = []
    for kr_id, items in history.items():
        new = [c for c in items if since is None or c.created_at > since]
        if not new:
            continue
        first = items.index(new[0])
        previous = items[first - 1] if first > 0 else None
        kr = by_kr[kr_id]
        changes.append(
            Change(
                kr,
                new,
                previous.value if previous else None,
                new[-1].value,
                previous.confidence if previous else None,
                new[-1].confidence,
            )
        )
        for position, checkin in enumerate(items[first:], start=first):
            if position > 0 and checkin.confidence < items[position - 1].confidence:
                drops.append(ConfidenceDrop(kr, checkin, items[position - 1].confidence))
    changes.sort(key=lambda c: (c.key_result.objective_id, c.key_result.pk))
    notes = [c for c in checkins if c.note and (since is None or c.created_at > since)]
    notes.sort(key=lambda c: c.created_at, reverse=True)
    return changes, drops, notes


def meeting_page(
    actor: Actor, team: Unit, cycle: Cycle | None, *, now: datetime.datetime | None = None
) -> MeetingPage:
    """The team's follow-up meeting: every visible key result of the cycle grouped by
    objective (the meeting table, with the change since the last meeting and each row's
    fingerprint), what changed (check-ins grouped by key result with the value and confidence
    change), confidence drops, stale and due key results, new notes, and the last meetings
    with their notes. A fixed number of queries whatever the size of the team or organization;
    `can_check_in` of the rows is left to the view (see `mark_check_in_rights`)."""
    now = now or timezone.now()
    meetings = list(
        FollowUpMeeting.objects.filter(team=team).select_related("held_by")[: EARLIER_MEETINGS + 1]
    )
    last = meetings[0] if meetings else None
    torchbearer = (
        Membership.objects.filter(unit=team, role=Membership.Role.TORCHBEARER)
        .select_related("user")
        .first()
    )
    page = MeetingPage(team, cycle, last, last.held_at if last else None, torchbearer=torchbearer)
    page.earlier_meetings = meetings[1:]
    if cycle is None:
        return page
    objectives = _visible_objectives(actor, team, cycle)
    key_results = _visible_key_results(objectives)
    checkins = list(
        CheckIn.objects.filter(key_result__in=[kr.pk for kr in key_results])
        .select_related("author")
        .order_by("key_result_id", "created_at", "id")
    )
    by_id = {kr.pk: kr for kr in key_results}
    for checkin in checkins:
        checkin.key_result = by_id[checkin.key_result_id]
    page.changes, page.drops, page.notes = _changes(key_results, checkins, page.since)
    page.objectives = _group(objectives, key_results, page.changes, checkins)
    page.key_result_count = len(key_results)
    running = cycle.state == Cycle.State.ACTIVE and cycle.starts_on <= timezone.localdate(now)
    if running:
        page.stale = [kr for kr in key_results if kr.is_stale]
        stale_ids = {kr.pk for kr in page.stale}
        page.due = [kr for kr in key_results if kr.is_due and kr.pk not in stale_ids]
    return page
