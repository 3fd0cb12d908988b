"""Page-shaped reads of retrospectives, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.learning.models import Learning
from soihtu.learning.selectors import related_learnings_for_objectives
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.organization.roles import Actor
from soihtu.retrospectives.access import START_EARLY_DAYS, RetroContext
from soihtu.retrospectives.models import (
    KeyResultScore,
    ObjectiveReview,
    Retrospective,
    RetrospectiveParticipant,
    unreviewed_objectives,
)


@dataclass
class RetroPage:
    context: RetroContext
    objectives: list[Objective]
    members: list[Membership]
    unfinished: list[Objective]
    related: list[Learning]

    @property
    def participants(self) -> list[Membership]:
        """The team's members who took part."""
        return [m for m in self.members if m.took_part]  # type: ignore[attr-defined]

    @property
    def unreviewed(self) -> list[Objective]:
        """The objectives without a review outcome yet."""
        outcomes = {o.pk: o.review.outcome for o in self.objectives if o.review}  # type: ignore[attr-defined]
        return unreviewed_objectives(self.objectives, outcomes)

    @property
    def participant_share(self) -> int:
        """Share of the team's members who took part, in percent."""
        return round(100 * len(self.participants) / len(self.members)) if self.members else 0


def _key_results(retrospective: Retrospective | None) -> Prefetch[str, QuerySet[KeyResult], str]:
    """Key results with the team's adjusted score and its reason, if any."""
    scores = KeyResultScore.objects.filter(
        retrospective_id=retrospective.pk if retrospective else 0, key_result=OuterRef("pk")
    )
    return Prefetch(
        "key_results",
        queryset=KeyResult.objects.annotate(
            adjusted=Subquery(scores.values("adjusted_score")[:1]),
            adjust_reason=Subquery(scores.values("reason")[:1]),
        ),
    )


def retro_page(actor: Actor, context: RetroContext) -> RetroPage:
    """The team's objectives of the cycle with their key results, proposed and adjusted
    scores and the team's reviews; the team's members and who took part; the learnings of
    teams working on the same organization objectives. Eight queries."""
    retrospective = context.retrospective
    objectives = list(
        Objective.objects.filter(owner_unit=context.team, cycle=context.cycle)
        .exclude(status=Objective.Status.CANCELLED)
        .with_progress()
        .select_related("cycle", "year", "owner_unit")
        .prefetch_related(_key_results(retrospective))
    )
    reviews: dict[int, ObjectiveReview] = {}
    if retrospective is not None:
        reviews = {r.objective_id: r for r in retrospective.objective_reviews.all()}
    for objective in objectives:
        objective.review = reviews.get(objective.pk)  # type: ignore[attr-defined]
        for kr in objective.key_results.all():
            kr.objective = objective
            adjusted = kr.adjusted  # type: ignore[attr-defined]
            kr.adjustment = (  # type: ignore[attr-defined]
                KeyResultScore(adjusted_score=adjusted, reason=kr.adjust_reason)  # type: ignore[attr-defined]
                if adjusted is not None
                else None
            )
    took_part = RetrospectiveParticipant.objects.filter(
        retrospective_id=retrospective.pk if retrospective else 0, user_id=OuterRef("user_id")
    )
    members: list[Membership] = list(
        Membership.objects.filter(unit=context.team)
        .annotate(took_part=Exists(took_part))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    unfinished = [o for o in objectives if (o.progress_value or 0.0) < 1.0]  # type: ignore[attr-defined]
    related = related_learnings_for_objectives(
        actor, [o.pk for o in objectives], exclude_team_id=context.team.pk
    )
    return RetroPage(context, objectives, members, unfinished, related)


@dataclass
class RetrospectiveDue:
    team_id: int
    cycle: Cycle
    in_review: bool  # False: active and ending within two weeks


def retrospective_due(
    team_ids: list[int], today: datetime.date
) -> dict[int, list[RetrospectiveDue]]:
    """For each team, its cycles in review whose retrospective is not completed, and its active
    cycles that end within 14 days: two queries. For the torchbearer's desk."""
    team_ids = list(team_ids)
    result: dict[int, list[RetrospectiveDue]] = {t: [] for t in team_ids}
    cycles = list(
        Cycle.objects.filter(
            Q(state=Cycle.State.REVIEW)
            | Q(state=Cycle.State.ACTIVE, ends_on__lte=today + datetime.timedelta(START_EARLY_DAYS))
            | Q(team_cycles__team_id__in=team_ids, team_cycles__state=Cycle.State.REVIEW)
        )
        .distinct()
        .select_related("year")
        .prefetch_related(
            Prefetch(
                "team_cycles",
                queryset=TeamCycle.objects.filter(team_id__in=team_ids),
                to_attr="own_team_cycles",
            ),
            Prefetch(
                "retrospectives",
                queryset=Retrospective.objects.filter(
                    team_id__in=team_ids, completed_at__isnull=False
                ),
                to_attr="completed_retros",
            ),
        )
    )
    soon = today + datetime.timedelta(START_EARLY_DAYS)
    for cycle in cycles:
        states = {tc.team_id: tc.state for tc in cycle.own_team_cycles}  # type: ignore[attr-defined]
        done = {r.team_id for r in cycle.completed_retros}  # type: ignore[attr-defined]
        for team_id in team_ids:
            state = states.get(team_id)
            if team_id in done or state == Cycle.State.CLOSED or cycle.state == Cycle.State.CLOSED:
                continue
            if cycle.state == Cycle.State.REVIEW or state == Cycle.State.REVIEW:
                result[team_id].append(RetrospectiveDue(team_id, cycle, True))
            elif (state or cycle.state) == Cycle.State.ACTIVE and cycle.ends_on <= soon:
                result[team_id].append(RetrospectiveDue(team_id, cycle, False))
    return result
