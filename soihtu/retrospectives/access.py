"""May this person see or take part in a team's retrospective? Views fetch through here only.

The retrospective belongs to the team: its people (and org admins) see it; everyone else gets
404 and reads the published learnings in the library instead. Members take part (reviews,
scores, notes); leaders (LEAD_RITUALS) start it, record participants and complete it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission
from soihtu.retrospectives.models import Retrospective

START_EARLY_DAYS = 14


def team_state(cycle: Cycle, own_state: str | None) -> str:
    """The team's state in the cycle: its own TeamCycle's state (`own_state`, None without
    one), except that a cycle in review puts every team that has not closed yet into review."""
    if own_state == Cycle.State.CLOSED:
        return Cycle.State.CLOSED
    if cycle.state in {Cycle.State.REVIEW, Cycle.State.CLOSED}:
        return cycle.state
    return own_state or cycle.state


def ends_soon(cycle: Cycle, today: datetime.date | None = None) -> bool:
    """The cycle ends within two weeks, or has ended."""
    today = today or timezone.localdate()
    return (cycle.ends_on - today).days <= START_EARLY_DAYS


@dataclass
class RetroContext:
    """A team's retrospective in a cycle, as one person sees it."""

    team: Unit
    cycle: Cycle
    team_cycle_state: str | None
    retrospective: Retrospective | None
    can_take_part: bool
    can_lead: bool

    @property
    def state(self) -> str:
        return team_state(self.cycle, self.team_cycle_state)

    @property
    def is_open(self) -> bool:
        completed = self.retrospective is not None and self.retrospective.is_completed
        return self.state == Cycle.State.REVIEW and not completed

    @property
    def can_edit(self) -> bool:
        """The page shows its form: the retrospective is open and the person takes part."""
        return self.is_open and self.can_take_part

    @property
    def can_start(self) -> bool:
        return self.can_lead and self.state == Cycle.State.ACTIVE and ends_soon(self.cycle)


def get_retro_for_user(actor: Actor, unit_id: int, cycle_id: int) -> RetroContext:
    """The team's retrospective context if the person belongs to the team, else 404: 3 queries."""
    team = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.TEAM).first()
    if team is None or not actor.belongs_to(team.pk):
        raise Http404
    own_state = TeamCycle.objects.filter(team=team, cycle=OuterRef("pk")).values("state")[:1]
    cycle = (
        Cycle.objects.select_related("year")
        .annotate(team_cycle_state=Subquery(own_state))
        .filter(pk=cycle_id)
        .first()
    )
    if cycle is None:
        raise Http404
    retrospective = Retrospective.objects.filter(team=team, cycle=cycle).first()
    return RetroContext(
        team=team,
        cycle=cycle,
        team_cycle_state=cycle.team_cycle_state,  # type: ignore[attr-defined]
        retrospective=retrospective,
        can_take_part=actor.can(Permission.TAKE_PART, team.pk),
        can_lead=actor.can(Permission.LEAD_RITUALS, team.pk),
    )


def get_retro_for_taking_part(actor: Actor, unit_id: int, cycle_id: int) -> RetroContext:
    """404 when hidden, 403 without TAKE_PART in the team."""
    context = get_retro_for_user(actor, unit_id, cycle_id)
    if not context.can_take_part:
        raise PermissionDenied
    return context


def get_retro_for_leading(actor: Actor, unit_id: int, cycle_id: int) -> RetroContext:
    """404 when hidden, 403 without LEAD_RITUALS in the team."""
    context = get_retro_for_user(actor, unit_id, cycle_id)
    if not context.can_lead:
        raise PermissionDenied
    return context
