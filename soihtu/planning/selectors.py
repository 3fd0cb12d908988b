"""Page-shaped reads of choosing goals together. Participation is counted per team, as
numbers and shares of the team's members: never a list of who did or did not take part."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from soihtu.accounts.models import User
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.learning.models import Learning
from soihtu.learning.selectors import related_learnings_for_objectives
from soihtu.okrs.access import objectives_visible_to, shown_key_result, shown_objective
from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership, Unit
from soihtu.organization.roles import Actor
from soihtu.planning.models import Proposal, ProposalAuthor, ProposalComment, ProposalSupport

RECENT = datetime.timedelta(days=130)  # reaches back over the previous four-month cycle


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Participation:
    """How many of the team's members proposed, commented, supported, or took part at all."""

    members: int
    proposed: int = 0
    commented: int = 0
    supported: int = 0
    took_part: int = 0

    @property
    def percent(self) -> int:
        return _percent(self.took_part, self.members)

    @property
    def proposed_percent(self) -> int:
        return _percent(self.proposed, self.members)

    @property
    def commented_percent(self) -> int:
        return _percent(self.commented, self.members)

    @property
    def supported_percent(self) -> int:
        return _percent(self.supported, self.members)

    @property
    def below_half(self) -> bool:
        return self.took_part * 2 < self.members


def participation(team: Unit, cycle: Cycle) -> Participation:
    """The team's participation in choosing the goals of a cycle: one query."""
    in_planning = {"proposal__team": team, "proposal__cycle": cycle}
    members = User.objects.filter(memberships__unit=team).annotate(
        p=Exists(ProposalAuthor.objects.filter(user=OuterRef("pk"), **in_planning)),
        c=Exists(ProposalComment.objects.filter(author=OuterRef("pk"), **in_planning)),
        s=Exists(ProposalSupport.objects.filter(user=OuterRef("pk"), **in_planning)),
    )
    counts = members.aggregate(
        members=Count("pk"),
        proposed=Count("pk", filter=Q(p=True)),
        commented=Count("pk", filter=Q(c=True)),
        supported=Count("pk", filter=Q(s=True)),
        took_part=Count("pk", filter=Q(p=True) | Q(c=True) | Q(s=True)),
    )
    return Participation(**counts)


@dataclass
class PlanningPage:
    team: Unit
    cycle: Cycle
    team_cycle: TeamCycle | None
    proposals: list[Proposal]
    objectives: list[Objective]
    participation: Participation
    related_learnings: list[Learning] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.team_cycle is not None and self.team_cycle.state == Cycle.State.PLANNING

    @property
    def state(self) -> str:
        """The team's own state in the cycle, else the cycle's."""
        return self.team_cycle.state if self.team_cycle else self.cycle.state

    @property
    def state_label(self) -> str:
        return str(Cycle.State(self.state).label)

    @property
    def open_proposals(self) -> list[Proposal]:
        return [p for p in self.proposals if p.is_open]

    @property
    def settled_proposals(self) -> list[Proposal]:
        return [p for p in self.proposals if not p.is_open]


def _proposals(actor: Actor, team: Unit, cycle: Cycle) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(team=team, cycle=cycle)
        .select_related("target_objective", "accepted_objective", "accepted_key_result__objective")
        .select_related("merged_into")
        .annotate(
            support_count=Count("supports", distinct=True),
            viewer_supports=Exists(
                ProposalSupport.objects.filter(proposal=OuterRef("pk"), user=actor.user)
            ),
        )
        .prefetch_related(
            Prefetch("authors", queryset=ProposalAuthor.objects.select_related("user")),
            Prefetch("comments", queryset=ProposalComment.objects.select_related("author")),
        )
        .order_by("id")
    )


def _mark_links(actor: Actor, proposals: list[Proposal]) -> list[Proposal]:
    """Set `shown_target`, `shown_objective` and `shown_key_result`: the objective a proposal is
    for and what it was accepted as, only when this person may see them (else None)."""
    for proposal in proposals:
        proposal.shown_target = shown_objective(actor, proposal.target_objective)  # type: ignore[attr-defined]
        proposal.shown_objective = shown_objective(actor, proposal.accepted_objective)  # type: ignore[attr-defined]
        proposal.shown_key_result = shown_key_result(actor, proposal.accepted_key_result)  # type: ignore[attr-defined]
    return proposals


def planning_page(actor: Actor, team: Unit, cycle: Cycle) -> PlanningPage:
    """A team's planning in a cycle: the proposals with their credits, comments and supports
    (and whether the viewer supports each), the team's objectives in the cycle, and the team's
    participation, and the learnings of other teams that worked on the same organization
    objectives as the team's objectives of this cycle and of the cycle before it (the months
    just before). Linked objectives and key results the person may not see are neither named
    nor used (`_mark_links`). A constant number of queries."""
    recent = list(
        objectives_visible_to(actor)
        .filter(
            owner_unit=team,
            cycle__starts_on__lte=cycle.starts_on,
            cycle__ends_on__gte=cycle.starts_on - RECENT,
        )
        .order_by("id")
    )
    return PlanningPage(
        team=team,
        cycle=cycle,
        team_cycle=TeamCycle.objects.filter(team=team, cycle=cycle).first(),
        proposals=_mark_links(actor, list(_proposals(actor, team, cycle))),
        objectives=[o for o in recent if o.cycle_id == cycle.pk],
        participation=participation(team, cycle),
        related_learnings=related_learnings_for_objectives(
            actor, [o.pk for o in recent], exclude_team_id=team.pk, limit=5
        ),
    )


@dataclass
class RecordRow:
    """One cycle of a team's planning record."""

    cycle: Cycle
    team_cycle: TeamCycle | None
    participation: Participation
    proposals: int = 0
    accepted: int = 0
    declined: int = 0

    @property
    def activated_below_half(self) -> bool:
        return self.team_cycle is not None and self.team_cycle.activated_below_half


@dataclass
class PlanningRecord:
    team: Unit
    members: int
    rows: list[RecordRow] = field(default_factory=list)


def _people_per_cycle(
    rows: Iterable[tuple[int, int | None]], members: set[int]
) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    for cycle_id, user_id in rows:
        if user_id in members:
            people[cycle_id].add(user_id)
    return people


def planning_record(team: Unit) -> PlanningRecord:
    """Per cycle, newest first: the team's participation in choosing goals (counts and shares
    of the current members), the proposals settled, and whether the cycle was activated with
    fewer than half taking part. A constant number of queries."""
    members = set(Membership.objects.filter(unit=team).values_list("user_id", flat=True))
    in_team = {"proposal__team": team}
    proposed = _people_per_cycle(
        ProposalAuthor.objects.filter(**in_team).values_list("proposal__cycle_id", "user_id"),
        members,
    )
    commented = _people_per_cycle(
        ProposalComment.objects.filter(**in_team).values_list("proposal__cycle_id", "author_id"),
        members,
    )
    supported = _people_per_cycle(
        ProposalSupport.objects.filter(**in_team).values_list("proposal__cycle_id", "user_id"),
        members,
    )
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Proposal.objects.filter(team=team).values("cycle_id", "status").annotate(n=Count("id"))
    ):
        statuses[row["cycle_id"]][row["status"]] = row["n"]
    team_cycles = {tc.cycle_id: tc for tc in TeamCycle.objects.filter(team=team)}
    cycle_ids = set(team_cycles) | set(statuses)
    cycles = Cycle.objects.filter(pk__in=cycle_ids).select_related("year").order_by("-starts_on")
    record = PlanningRecord(team=team, members=len(members))
    for cycle in cycles:
        counts = statuses[cycle.pk]
        took_part = proposed[cycle.pk] | commented[cycle.pk] | supported[cycle.pk]
        record.rows.append(
            RecordRow(
                cycle=cycle,
                team_cycle=team_cycles.get(cycle.pk),
                participation=Participation(
                    members=len(members),
                    proposed=len(proposed[cycle.pk]),
                    commented=len(commented[cycle.pk]),
                    supported=len(supported[cycle.pk]),
                    took_part=len(took_part),
                ),
                proposals=sum(counts.values()),
                accepted=counts.get(Proposal.Status.ACCEPTED, 0),
                declined=counts.get(Proposal.Status.DECLINED, 0),
            )
        )
    return record


def open_proposals_count(team: Unit, cycle: Cycle) -> int:
    """Open proposals waiting for the team's leaders in a cycle: one query."""
    return Proposal.objects.filter(team=team, cycle=cycle, status=Proposal.Status.OPEN).count()


def waiting_proposals(team_ids: Iterable[int]) -> dict[int, int]:
    """For a torchbearer's desk: team id -> open proposals in the team's open planning (teams
    without any are left out). One query."""
    planning = TeamCycle.objects.filter(
        team=OuterRef("team"), cycle=OuterRef("cycle"), state=Cycle.State.PLANNING
    )
    rows = (
        Proposal.objects.filter(team_id__in=list(team_ids), status=Proposal.Status.OPEN)
        .filter(Exists(planning))
        .values("team_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["team_id"]: row["n"] for row in rows}


def proposers_of(objective: Objective) -> list[User]:
    """The people credited for proposals accepted as this objective or as its key results:
    one query. (A UNION of the two kinds of acceptance, each found through its index: an OR
    across the joins would scan every key result and proposal of the organization.)"""
    accepted = (
        Proposal.objects.filter(accepted_objective=objective)
        .values("pk")
        .union(Proposal.objects.filter(accepted_key_result__objective=objective).values("pk"))
    )
    return list(
        User.objects.filter(proposal_credits__proposal__in=accepted)
        .distinct()
        .order_by("last_name", "first_name")
    )
