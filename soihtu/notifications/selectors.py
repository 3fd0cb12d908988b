"""Reads of notifications: what a team's check-in summary says, and the team's webhooks page.

Summaries tell only about open objectives: a webhook posts outside Soihtu, where the
restriction to the owning unit cannot be kept. They name no people either.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle
from soihtu.followup.selectors import (
    due_key_results,
    period_index,
    stale_key_results,
)
from soihtu.notifications.models import Delivery, Notification, TeamWebhook
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit

RECENT_DELIVERIES = 20
SUMMARIZED = [Objective.Status.ACTIVE, Objective.Status.COMPLETED]


@dataclass(frozen=True)
class SummaryPeriod:
    """The cadence period a summary tells about: the last one that has ended."""

    cycle: Cycle
    cadence: int
    index: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def key(self) -> str:
        """The summary's unique key for its webhook: posted once per period."""
        return f"summary:{self.cycle.pk}:{self.cadence}:{self.index}"


def summary_period(cycle: Cycle, cadence: int, now: datetime.datetime) -> SummaryPeriod | None:
    """The period just ended in `now`'s cadence period of the cycle; None in the first period,
    before there is anything to tell."""
    index = period_index(cycle, cadence, now) - 1
    if index < 0:
        return None
    return SummaryPeriod(
        cycle,
        cadence,
        index,
        _local_midnight(cycle, cadence * index),
        _local_midnight(cycle, cadence * (index + 1)),
    )


def _local_midnight(cycle: Cycle, days: int) -> datetime.datetime:
    """Midnight, local time, `days` after the cycle began: counted in calendar days, so that a
    change to or from summer time does not move a period's edge off midnight."""
    day = cycle.starts_on + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


@dataclass
class CheckedIn:
    """A key result with check-ins in the period: the latest of them, and how many."""

    key_result: KeyResult
    latest: CheckIn
    count: int


@dataclass
class TeamSummary:
    team: Unit
    period: SummaryPeriod
    objectives: list[Objective] = field(default_factory=list)
    checked_in: list[CheckedIn] = field(default_factory=list)
    due: list[KeyResult] = field(default_factory=list)
    stale: list[KeyResult] = field(default_factory=list)


def running_active_cycles(now: datetime.datetime) -> list[Cycle]:
    """Active cycles running today: the ones whose key results are followed up."""
    today = timezone.localdate(now)
    return list(
        Cycle.objects.filter(
            state=Cycle.State.ACTIVE, starts_on__lte=today, ends_on__gte=today
        ).select_related("year")
    )


def _checked_in(
    checkins: list[CheckIn], period: SummaryPeriod, objective_ids: set[int]
) -> list[CheckedIn]:
    by_kr: dict[int, CheckedIn] = {}
    for checkin in checkins:
        kr = checkin.key_result
        if kr.objective_id not in objective_ids:
            continue
        if not period.starts_at <= checkin.created_at < period.ends_at:
            continue
        seen = by_kr.get(kr.pk)
        by_kr[kr.pk] = CheckedIn(kr, checkin, 1 if seen is None else seen.count + 1)
    return sorted(by_kr.values(), key=lambda c: (c.key_result.objective_id, c.key_result.pk))


def team_summaries(
    periods: dict[int, SummaryPeriod], cycle: Cycle, now: datetime.datetime
) -> dict[int, TeamSummary]:
    """The check-in summary of each team (team id → its period) in the cycle, in five queries
    whatever the number of teams: the teams, their open objectives with progress, the
    check-ins of the periods, and the due and the stale key results. Teams without an open
    objective in the cycle have no summary."""
    team_ids = list(periods)
    if not team_ids:
        return {}
    teams = {t.pk: t for t in Unit.objects.filter(pk__in=team_ids)}
    objectives = list(
        Objective.objects.filter(
            cycle=cycle,
            owner_unit_id__in=team_ids,
            visibility=Objective.Visibility.OPEN,
            status__in=SUMMARIZED,
        )
        .with_progress()
        .order_by("owner_unit_id", "id")
    )
    if not objectives:
        return {}
    earliest = min(p.starts_at for p in periods.values())
    checkins = list(
        CheckIn.objects.filter(
            key_result__objective__in=[o.pk for o in objectives],
            created_at__gte=earliest,
            created_at__lt=max(p.ends_at for p in periods.values()),
        )
        .select_related("key_result")
        .order_by("created_at", "id")
    )
    open_ids = {o.pk for o in objectives}
    due = [kr for kr in due_key_results(team_ids, cycle, now=now) if kr.objective_id in open_ids]
    stale = [
        kr for kr in stale_key_results(team_ids, cycle, now=now) if kr.objective_id in open_ids
    ]
    summaries: dict[int, TeamSummary] = {}
    for objective in objectives:
        team_id = objective.owner_unit_id
        if team_id not in summaries:
            summaries[team_id] = TeamSummary(teams[team_id], periods[team_id])
        summaries[team_id].objectives.append(objective)
    stale_ids = {kr.pk for kr in stale}
    for summary in summaries.values():
        ids = {o.pk for o in summary.objectives}
        summary.checked_in = _checked_in(checkins, summary.period, ids)
        summary.stale = [kr for kr in stale if kr.objective_id in ids]
        summary.due = [kr for kr in due if kr.objective_id in ids and kr.pk not in stale_ids]
    return summaries


@dataclass
class TeamPage:
    team: Unit
    webhooks: list[TeamWebhook]
    deliveries: list[Delivery]


def team_webhooks(team_ids: Iterable[int]) -> QuerySet[TeamWebhook]:
    return TeamWebhook.objects.filter(unit_id__in=list(team_ids)).select_related("unit")


def team_page(team: Unit) -> TeamPage:
    """The team's webhooks and their most recent deliveries: two queries."""
    webhooks = list(team_webhooks([team.pk]).order_by("id"))
    by_id = {w.pk: w for w in webhooks}
    deliveries = list(
        Delivery.objects.filter(webhook__unit=team)
        .defer("payload")
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )
    for delivery in deliveries:
        delivery.webhook = by_id[delivery.webhook_id]
    return TeamPage(team, webhooks, deliveries)


INBOX_PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxPage:
    """A page of the person's notifications, newest first (the unread count is the bell's)."""

    page: Page[Notification]


def inbox_page(user: User, page_number: str | int | None = None) -> InboxPage:
    """The person's notifications (only their own), newest first, a page at a time with who
    caused each: two queries (the count and the page)."""
    rows = Notification.objects.filter(recipient=user).select_related("actor")
    return InboxPage(Paginator(rows, INBOX_PAGE_SIZE).get_page(page_number))
