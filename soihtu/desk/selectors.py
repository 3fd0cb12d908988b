"""The torchbearer's desk: what is due now for one team, gathered from every ritual."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from soihtu.cycles.models import Cycle, TeamCycle, current_among
from soihtu.followup.selectors import due_key_results, stale_key_results
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Unit
from soihtu.planning.selectors import waiting_proposals
from soihtu.retrospectives.selectors import RetrospectiveDue, retrospective_due
from soihtu.successes.selectors import Reached, reached_not_shared


@dataclass
class PlanningItem:
    cycle: Cycle
    state: str  # the team's own state in the cycle
    waiting: int  # open proposals waiting for an answer


@dataclass
class DeskPage:
    team: Unit
    current: Cycle | None
    planning: PlanningItem | None
    stale: list[KeyResult]
    due: list[KeyResult]
    retrospectives: list[RetrospectiveDue]
    reached: Reached

    @property
    def nothing_due(self) -> bool:
        waiting = self.planning is not None and self.planning.state == Cycle.State.PLANNING
        return not (waiting or self.stale or self.due or self.retrospectives or self.reached)


def _current_and_next(cycles: list[Cycle]) -> tuple[Cycle | None, Cycle | None]:
    """The current cycle and the one after it (`cycles` in date order)."""
    current = current_among(cycles)
    later = [c for c in cycles if current is None or c.starts_on > current.starts_on]
    return current, (later[0] if later else None)


def _planning(team: Unit, current: Cycle | None, following: Cycle | None) -> PlanningItem | None:
    """Planning of the next cycle, or of the current one while the team is still choosing."""
    candidates = [c for c in (current, following) if c is not None]
    own = {
        tc.cycle_id: tc.state for tc in TeamCycle.objects.filter(team=team, cycle__in=candidates)
    }
    waiting = waiting_proposals([team.pk]).get(team.pk, 0)
    if current is not None and own.get(current.pk) == Cycle.State.PLANNING:
        return PlanningItem(current, Cycle.State.PLANNING, waiting)
    if following is not None:
        state = own.get(following.pk, "")
        return PlanningItem(following, state, waiting if state == Cycle.State.PLANNING else 0)
    return None


def desk_page(team: Unit) -> DeskPage:
    """Everything due now for a team, each item pointing to where it is done: a fixed number of
    queries (cycles, team cycles, proposals, due and stale key results, retrospectives,
    reached goals)."""
    cycles = list(Cycle.objects.select_related("year").order_by("starts_on"))
    current, following = _current_and_next(cycles)
    stale = stale_key_results([team.pk], current)
    stale_ids = {kr.pk for kr in stale}
    due = [kr for kr in due_key_results([team.pk], current) if kr.pk not in stale_ids]
    return DeskPage(
        team=team,
        current=current,
        planning=_planning(team, current, following),
        stale=stale,
        due=due,
        retrospectives=retrospective_due([team.pk], timezone.localdate()).get(team.pk, []),
        reached=reached_not_shared([team.pk], current),
    )
