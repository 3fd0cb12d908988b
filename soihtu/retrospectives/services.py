"""Writes of retrospectives: transactional and audited. Each refuses with RetrospectiveError,
writing nothing, when the retrospective is not open or the input breaks a rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, audited_save, snapshot
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.learning.models import Learning, internal_by_default
from soihtu.learning.services import learnings_publish
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.services import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS
from soihtu.organization.models import Membership, Unit
from soihtu.retrospectives.access import ends_soon, team_state
from soihtu.retrospectives.models import (
    KeyResultScore,
    ObjectiveReview,
    Retrospective,
    RetrospectiveParticipant,
)

RETRO_FIELDS = ["started_at", "completed_at", "what_worked", "what_we_change"]
REVIEW_FIELDS = [
    "outcome",
    "why",
    "learned",
    "try_next",
    "internal",
    "adjusted_score",
    "adjust_reason",
]
SCORE_FIELDS = ["key_result", "adjusted_score", "reason"]
TEAM_CYCLE_FIELDS = ["state", "closed_at"]
STEP = Decimal("0.1")


class RetrospectiveError(Exception):
    """The write was refused; `message` says why, for the person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _locked_state(team: Unit, cycle: Cycle) -> str:
    """The team's state in the cycle, with its TeamCycle row locked."""
    team_cycle = TeamCycle.objects.select_for_update().filter(team=team, cycle=cycle).first()
    return team_state(cycle, team_cycle.state if team_cycle else None)


def _open_retrospective(*, actor: User, team: Unit, cycle: Cycle) -> Retrospective:
    """The team's retrospective, created if needed; refuses unless it is open."""
    state = _locked_state(team, cycle)
    retrospective = Retrospective.objects.select_for_update().filter(team=team, cycle=cycle).first()
    if state != Cycle.State.REVIEW or (retrospective is not None and retrospective.is_completed):
        raise RetrospectiveError(_("The retrospective is not open."))
    if retrospective is None:
        retrospective = Retrospective.objects.create(team=team, cycle=cycle, started_by=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=retrospective,
            before=None,
            after=snapshot(retrospective, RETRO_FIELDS),
        )
    return retrospective


def _took_part(retrospective: Retrospective, user: User) -> None:
    RetrospectiveParticipant.objects.get_or_create(retrospective=retrospective, user=user)


def _check_score(score: Decimal | None, reason: str) -> None:
    if score is None:
        return
    if not Decimal(0) <= score <= Decimal(1) or score != score.quantize(STEP):
        raise RetrospectiveError(_("A score is between 0.0 and 1.0, in steps of 0.1."))
    if not reason.strip():
        raise RetrospectiveError(_("Give a reason when you adjust a score."))


def _team_cycle_update(*, actor: User, team: Unit, cycle: Cycle, **changes: Any) -> TeamCycle:
    team_cycle, created = TeamCycle.objects.get_or_create(
        team=team, cycle=cycle, defaults={"state": cycle.state}
    )
    before = None if created else snapshot(team_cycle, TEAM_CYCLE_FIELDS)
    for name, value in changes.items():
        setattr(team_cycle, name, value)
    team_cycle.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        instance=team_cycle,
        before=before,
        after=snapshot(team_cycle, TEAM_CYCLE_FIELDS),
    )
    return team_cycle


@transaction.atomic
def retrospective_start(*, actor: User, team: Unit, cycle: Cycle) -> Retrospective:
    """Open the team's retrospective: moves an active cycle that ends within two weeks (or has
    ended) into review for this team; a cycle already in review just gets its retrospective."""
    state = _locked_state(team, cycle)
    if state == Cycle.State.ACTIVE:
        if not ends_soon(cycle):
            raise RetrospectiveError(
                _("The retrospective can start in the last two weeks of the cycle.")
            )
        _team_cycle_update(actor=actor, team=team, cycle=cycle, state=Cycle.State.REVIEW)
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    _took_part(retrospective, actor)
    return retrospective


def _check_objective(objective: Objective, team: Unit, cycle: Cycle) -> None:
    if objective.owner_unit_id != team.pk or objective.cycle_id != cycle.pk:
        raise RetrospectiveError(_("This objective is not the team's objective in this cycle."))


@transaction.atomic
def objective_review_save(
    *,
    actor: User,
    team: Unit,
    cycle: Cycle,
    objective: Objective,
    outcome: str,
    why: str = "",
    learned: str = "",
    try_next: str = "",
    internal: bool | None = None,
    adjusted_score: Decimal | None = None,
    adjust_reason: str = "",
) -> ObjectiveReview:
    """Save the team's review of one objective: outcome, why, what we learned, what we try
    next, and optionally its own score with a reason. `internal` None keeps the team's earlier
    choice, or for a new review the default (`learning.models.internal_by_default`: internal
    for a restricted objective)."""
    _check_objective(objective, team, cycle)
    _check_score(adjusted_score, adjust_reason)
    if outcome not in ObjectiveReview.Outcome.values and outcome != "":
        raise RetrospectiveError(_("Choose whether the objective was reached."))
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    review = ObjectiveReview.objects.filter(
        retrospective=retrospective, objective=objective
    ).first()
    before = snapshot(review, REVIEW_FIELDS) if review is not None else None
    review = review or ObjectiveReview(retrospective=retrospective, objective=objective)
    review.outcome, review.why, review.learned, review.try_next = outcome, why, learned, try_next
    if internal is not None:
        review.internal = internal
    elif review.pk is None:
        review.internal = internal_by_default(objective)
    review.adjusted_score = adjusted_score
    review.adjust_reason = adjust_reason.strip() if adjusted_score is not None else ""
    review.updated_at = timezone.now()
    audited_save(
        actor=actor, instance=review, fields=REVIEW_FIELDS, before=before, objective_id=objective.pk
    )
    _took_part(retrospective, actor)
    return review


@transaction.atomic
def key_result_score_adjust(
    *,
    actor: User,
    team: Unit,
    cycle: Cycle,
    key_result: KeyResult,
    adjusted_score: Decimal | None,
    reason: str = "",
) -> KeyResultScore | None:
    """Set the team's own score for a key result (with a reason), or clear it with None."""
    _check_objective(key_result.objective, team, cycle)
    _check_score(adjusted_score, reason)
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    row = KeyResultScore.objects.filter(retrospective=retrospective, key_result=key_result).first()
    before = snapshot(row, SCORE_FIELDS) if row is not None else None
    if adjusted_score is None:
        if row is not None:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                instance=row,
                before=before,
                after=None,
                objective_id=key_result.objective_id,
            )
            row.delete()
        _took_part(retrospective, actor)
        return None
    row = row or KeyResultScore(retrospective=retrospective, key_result=key_result)
    row.adjusted_score, row.reason, row.updated_at = adjusted_score, reason.strip(), timezone.now()
    audited_save(
        actor=actor,
        instance=row,
        fields=SCORE_FIELDS,
        before=before,
        objective_id=key_result.objective_id,
    )
    _took_part(retrospective, actor)
    return row


@transaction.atomic
def team_notes_save(
    *, actor: User, team: Unit, cycle: Cycle, what_worked: str, what_we_change: str
) -> Retrospective:
    """Save the team's notes on its way of working."""
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    before = snapshot(retrospective, RETRO_FIELDS)
    retrospective.what_worked, retrospective.what_we_change = what_worked, what_we_change
    retrospective.save(update_fields=["what_worked", "what_we_change"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=retrospective,
        before=before,
        after=snapshot(retrospective, RETRO_FIELDS),
    )
    _took_part(retrospective, actor)
    return retrospective


@transaction.atomic
def participants_set(
    *, actor: User, team: Unit, cycle: Cycle, user_ids: Iterable[int]
) -> list[int]:
    """Record who took part, as ticked by a leader from the team's members."""
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    members = set(Membership.objects.filter(unit=team).values_list("user_id", flat=True))
    wanted = set(user_ids)
    if not wanted <= members:
        raise RetrospectiveError(_("Only the team's members can be recorded as taking part."))
    current = set(retrospective.participants.values_list("user_id", flat=True))
    retrospective.participants.filter(user_id__in=current - wanted).delete()
    RetrospectiveParticipant.objects.bulk_create(
        [RetrospectiveParticipant(retrospective=retrospective, user_id=u) for u in wanted - current]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=retrospective,
        before={"participants": sorted(current)},
        after={"participants": sorted(wanted)},
    )
    return sorted(wanted)


def next_cycle(cycle: Cycle) -> Cycle | None:
    """The next cycle of the year, else the first cycle of the next year, if it exists."""
    return (
        Cycle.objects.filter(
            Q(year_id=cycle.year_id, starts_on__gt=cycle.starts_on)
            | Q(year__number=cycle.year.number + 1)
        )
        .select_related("year")
        .order_by("year__number", "starts_on")
        .first()
    )


def unfinished_objectives(team: Unit, cycle: Cycle) -> list[Objective]:
    """The team's objectives of the cycle that did not reach a score of 1.0."""
    return [
        o
        for o in Objective.objects.filter(owner_unit=team, cycle=cycle)
        .exclude(status=Objective.Status.CANCELLED)
        .with_progress()
        if (o.progress_value or 0.0) < 1.0  # type: ignore[attr-defined]
    ]


def _carried_start(key_result: KeyResult) -> Decimal:
    """Start the copy from where the key result got to, when that still leaves a way to go."""
    current, start, target = (
        key_result.current_value,
        key_result.start_value,
        key_result.target_value,
    )
    if current is None:
        return start
    if key_result.kind == KeyResult.Kind.INCREASE and start < current < target:
        return current
    if key_result.kind == KeyResult.Kind.DECREASE and target < current < start:
        return current
    return start


def _carry_over(*, actor: User, objective: Objective, target: Cycle) -> Objective:
    copy = Objective.objects.create(
        title=objective.title,
        description=objective.description,
        owner_unit_id=objective.owner_unit_id,
        year_id=target.year_id,
        cycle=target,
        kind=objective.kind,
        status=Objective.Status.DRAFT,
        visibility=objective.visibility,
        created_by=actor,
    )
    copy.themes.set(objective.themes.all())
    if target.year_id == objective.year_id:
        copy.contributes_to.set(objective.contributes_to.all())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=copy,
        before=None,
        after=snapshot(copy, OBJECTIVE_FIELDS),
        objective_id=copy.pk,
    )
    for kr in objective.key_results.all():
        new = KeyResult.objects.create(
            objective=copy,
            title=kr.title,
            kind=kr.kind,
            start_value=_carried_start(kr),
            target_value=kr.target_value,
            unit_of_measure=kr.unit_of_measure,
            owner_id=kr.owner_id,
            weight=kr.weight,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=new,
            before=None,
            after=snapshot(new, KEY_RESULT_FIELDS),
            objective_id=copy.pk,
        )
    return copy


def _mark_completed(*, actor: User, objectives: list[Objective], reviews: dict[int, str]) -> None:
    """Objectives the team reviewed as reached (or, unreviewed, that scored 1.0) are completed."""
    for objective in objectives:
        outcome = reviews.get(objective.pk, "")
        reached = outcome == ObjectiveReview.Outcome.REACHED or (
            not outcome and (objective.progress_value or 0.0) >= 1.0  # type: ignore[attr-defined]
        )
        if reached and objective.status == Objective.Status.ACTIVE:
            before = snapshot(objective, OBJECTIVE_FIELDS)
            objective.status = Objective.Status.COMPLETED
            objective.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=objective,
                before=before,
                after=snapshot(objective, OBJECTIVE_FIELDS),
                objective_id=objective.pk,
            )


@dataclass
class Completion:
    retrospective: Retrospective
    learnings: list[Learning]
    next_cycle: Cycle | None
    carried: list[Objective] = field(default_factory=list)


@transaction.atomic
def retrospective_complete(
    *, actor: User, team: Unit, cycle: Cycle, carry_over: Iterable[int] = ()
) -> Completion:
    """Complete the retrospective: close the cycle for the team, publish its learnings, mark
    reached objectives completed and copy the chosen unfinished ones as drafts into the next
    cycle. Refuses (writing nothing) when carry-over is asked and there is no next cycle."""
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    chosen = set(carry_over)
    objectives = list(
        Objective.objects.filter(owner_unit=team, cycle=cycle)
        .with_progress()
        .prefetch_related("themes", "contributes_to", "key_results")
    )
    unfinished = {o.pk for o in unfinished_objectives(team, cycle)}
    if not chosen <= unfinished:
        raise RetrospectiveError(_("Only the team's unfinished objectives can be carried over."))
    target = next_cycle(cycle)
    if chosen and target is None:
        raise RetrospectiveError(
            _("There is no next cycle yet, so objectives cannot be carried over.")
        )
    reviews = list(retrospective.objective_reviews.select_related("objective"))
    prefetch = {o.pk: o for o in objectives}
    for review in reviews:
        review.objective = prefetch.get(review.objective_id, review.objective)
    before = snapshot(retrospective, RETRO_FIELDS)
    retrospective.completed_at, retrospective.completed_by = timezone.now(), actor
    retrospective.save(update_fields=["completed_at", "completed_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=retrospective,
        before=before,
        after=snapshot(retrospective, RETRO_FIELDS),
    )
    _took_part(retrospective, actor)
    _team_cycle_update(
        actor=actor, team=team, cycle=cycle, state=Cycle.State.CLOSED, closed_at=timezone.now()
    )
    learnings = learnings_publish(actor=actor, retrospective=retrospective, reviews=reviews)
    _mark_completed(
        actor=actor, objectives=objectives, reviews={r.objective_id: r.outcome for r in reviews}
    )
    carried = [
        _carry_over(actor=actor, objective=o, target=target)  # type: ignore[arg-type]
        for o in objectives
        if o.pk in chosen
    ]
    return Completion(retrospective, learnings, target, carried)
