"""Writes of retrospectives: transactional and audited. Each refuses with RetrospectiveError,
writing nothing, when the retrospective is not open or the input breaks a rule."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, audited_save, snapshot
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.learning.models import Learning, internal_by_default
from soihtu.learning.services import learnings_publish
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.services import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS
from soihtu.organization.models import Membership, Unit
from soihtu.retrospectives.access import ends_soon, team_state
from soihtu.retrospectives.models import (
    KeyResultScore,
    ObjectiveReview,
    Retrospective,
    RetrospectiveParticipant,
    unreviewed_objectives,
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


@dataclass
class Conflicts:
    """Blocks of the page that someone else saved after the person opened them: per block,
    the fingerprint of what is saved now (reviews by objective, scores by key result)."""

    reviews: dict[int, str] = field(default_factory=dict)
    scores: dict[int, str] = field(default_factory=dict)
    notes: str | None = None

    def __bool__(self) -> bool:
        return bool(self.reviews or self.scores or self.notes is not None)


class RetrospectiveConflictError(RetrospectiveError):
    """Someone else saved a block that this person changed too; nothing was written."""

    def __init__(self, conflicts: Conflicts) -> None:
        super().__init__(
            _(
                "Someone else saved part of the retrospective while you were writing, so "
                "nothing was saved. Your text is kept: check the marked parts and save again."
            )
        )
        self.conflicts = conflicts


class UnreviewedObjectivesError(RetrospectiveError):
    """Completing would leave objectives without a review, and that was not confirmed."""

    def __init__(self, objectives: list[Objective]) -> None:
        super().__init__(
            _(
                "Some objectives have not been reviewed yet. To complete the retrospective "
                "without their reviews, tick “Complete anyway” and complete again."
            )
        )
        self.objectives = objectives


Values = dict[str, Any]


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, Decimal):
        return str(value.normalize())
    return value


def fingerprint(values: Mapping[str, Any]) -> str:
    """A short digest of one block of the retrospective page (an objective's review, a key
    result's score, the team notes): equal for equal values, whatever the line endings and
    surrounding spaces of the texts. The page carries the digest of what the person saw, so a
    save can tell what they changed and whether someone else saved the block meanwhile."""
    normal = json.dumps({k: _normal(v) for k, v in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(normal.encode()).hexdigest()[:24]


def review_values(review: ObjectiveReview | None, objective: Objective) -> Values:
    """The values of an objective's review block as saved (a new review's defaults if none)."""
    if review is None:
        return {
            "outcome": "",
            "why": "",
            "learned": "",
            "try_next": "",
            "internal": internal_by_default(objective),
            "adjusted_score": None,
            "adjust_reason": "",
        }
    return {name: getattr(review, name) for name in REVIEW_FIELDS}


def score_values(row: KeyResultScore | None) -> Values:
    """The values of a key result's score block as saved."""
    if row is None:
        return {"adjusted_score": None, "reason": ""}
    return {"adjusted_score": row.adjusted_score, "reason": row.reason}


def notes_values(retrospective: Retrospective | None) -> Values:
    """The values of the team notes block as saved."""
    if retrospective is None:
        return {"what_worked": "", "what_we_change": ""}
    return {
        "what_worked": retrospective.what_worked,
        "what_we_change": retrospective.what_we_change,
    }


@dataclass(frozen=True)
class Edit[Target]:
    """One block of the page as submitted: its values, and `seen`, the fingerprint of the
    values the person saw when they opened the page."""

    target: Target
    values: Values
    seen: str

    @property
    def changed(self) -> bool:
        return fingerprint(self.values) != self.seen


@dataclass(frozen=True)
class ParticipantsEdit:
    """The people a leader ticked, and those ticked when the page was opened."""

    ticked: frozenset[int]
    seen: frozenset[int]

    @property
    def changed(self) -> bool:
        return self.ticked != self.seen


def _locked_state(team: Unit, cycle: Cycle) -> str:
    """The team's state in the cycle, with its TeamCycle row locked."""
    team_cycle = TeamCycle.objects.select_for_update().filter(team=team, cycle=cycle).first()
    return team_state(cycle, team_cycle.state if team_cycle else None)


def _locked_open(team: Unit, cycle: Cycle) -> Retrospective | None:
    """The team's retrospective, locked (None if not created yet); refuses unless it is open."""
    state = _locked_state(team, cycle)
    retrospective = Retrospective.objects.select_for_update().filter(team=team, cycle=cycle).first()
    if state != Cycle.State.REVIEW or (retrospective is not None and retrospective.is_completed):
        raise RetrospectiveError(_("The retrospective is not open."))
    return retrospective


def _open_retrospective(*, actor: User, team: Unit, cycle: Cycle) -> Retrospective:
    """The team's retrospective, created if needed; refuses unless it is open."""
    retrospective = _locked_open(team, cycle)
    if retrospective is None:
        retrospective = Retrospective.objects.create(team=team, cycle=cycle, started_by=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=retrospective,
            before=None,
            after=snapshot(retrospective, RETRO_FIELDS),
        )
        people_notify(
            recipients=Membership.objects.filter(unit=team).values_list("user_id", flat=True),
            event=Notification.Event.RETROSPECTIVE_OPENED,
            actor=actor,
            subject=team.name,
            url=reverse("retrospectives:team", args=[team.pk, cycle.pk]),
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


def _check_review(objective: Objective, team: Unit, cycle: Cycle, values: Values) -> None:
    _check_objective(objective, team, cycle)
    _check_score(values.get("adjusted_score"), values.get("adjust_reason", ""))
    if values.get("outcome", "") not in {*ObjectiveReview.Outcome.values, ""}:
        raise RetrospectiveError(_("Choose whether the objective was reached."))


def _review_write(
    *,
    actor: User,
    retrospective: Retrospective,
    objective: Objective,
    review: ObjectiveReview | None,
    outcome: str,
    why: str = "",
    learned: str = "",
    try_next: str = "",
    internal: bool | None = None,
    adjusted_score: Decimal | None = None,
    adjust_reason: str = "",
) -> ObjectiveReview:
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
    return review


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
    values: Values = {
        "outcome": outcome,
        "why": why,
        "learned": learned,
        "try_next": try_next,
        "internal": internal,
        "adjusted_score": adjusted_score,
        "adjust_reason": adjust_reason,
    }
    _check_review(objective, team, cycle, values)
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    review = ObjectiveReview.objects.filter(
        retrospective=retrospective, objective=objective
    ).first()
    review = _review_write(
        actor=actor, retrospective=retrospective, objective=objective, review=review, **values
    )
    _took_part(retrospective, actor)
    return review


def _score_write(
    *,
    actor: User,
    retrospective: Retrospective,
    key_result: KeyResult,
    row: KeyResultScore | None,
    adjusted_score: Decimal | None,
    reason: str = "",
) -> KeyResultScore | None:
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
    return row


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
    saved = _score_write(
        actor=actor,
        retrospective=retrospective,
        key_result=key_result,
        row=row,
        adjusted_score=adjusted_score,
        reason=reason,
    )
    _took_part(retrospective, actor)
    return saved


def _notes_write(
    *, actor: User, retrospective: Retrospective, what_worked: str, what_we_change: str
) -> None:
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


@transaction.atomic
def team_notes_save(
    *, actor: User, team: Unit, cycle: Cycle, what_worked: str, what_we_change: str
) -> Retrospective:
    """Save the team's notes on its way of working."""
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    _notes_write(
        actor=actor,
        retrospective=retrospective,
        what_worked=what_worked,
        what_we_change=what_we_change,
    )
    _took_part(retrospective, actor)
    return retrospective


def _participants_write(
    *, actor: User, retrospective: Retrospective, team: Unit, wanted: set[int]
) -> None:
    members = set(Membership.objects.filter(unit=team).values_list("user_id", flat=True))
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


@transaction.atomic
def participants_set(
    *, actor: User, team: Unit, cycle: Cycle, user_ids: Iterable[int]
) -> list[int]:
    """Record who took part, as ticked by a leader from the team's members."""
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    wanted = set(user_ids)
    _participants_write(actor=actor, retrospective=retrospective, team=team, wanted=wanted)
    return sorted(wanted)


def _conflicts(
    retrospective: Retrospective,
    reviews: Sequence[Edit[Objective]],
    scores: Sequence[Edit[KeyResult]],
    notes: Edit[None] | None,
) -> tuple[Conflicts, dict[int, ObjectiveReview], dict[int, KeyResultScore]]:
    """The changed blocks whose saved values are no longer those the person saw, with the
    saved rows of the changed blocks, locked."""
    stored_reviews = {
        r.objective_id: r
        for r in ObjectiveReview.objects.select_for_update().filter(
            retrospective=retrospective, objective_id__in=[e.target.pk for e in reviews]
        )
    }
    stored_scores = {
        s.key_result_id: s
        for s in KeyResultScore.objects.select_for_update().filter(
            retrospective=retrospective, key_result_id__in=[e.target.pk for e in scores]
        )
    }
    found = Conflicts()
    for review_edit in reviews:
        objective = review_edit.target
        now = fingerprint(review_values(stored_reviews.get(objective.pk), objective))
        if now != review_edit.seen:
            found.reviews[objective.pk] = now
    for score_edit in scores:
        now = fingerprint(score_values(stored_scores.get(score_edit.target.pk)))
        if now != score_edit.seen:
            found.scores[score_edit.target.pk] = now
    if notes is not None and fingerprint(notes_values(retrospective)) != notes.seen:
        found.notes = fingerprint(notes_values(retrospective))
    return found, stored_reviews, stored_scores


@transaction.atomic
def retrospective_save(
    *,
    actor: User,
    team: Unit,
    cycle: Cycle,
    reviews: Sequence[Edit[Objective]] = (),
    scores: Sequence[Edit[KeyResult]] = (),
    notes: Edit[None] | None = None,
    participants: ParticipantsEdit | None = None,
) -> int:
    """Save the whole retrospective page at once, all or nothing; returns the number of blocks
    written. Only the blocks the person changed (their values differ from `seen`) are written,
    so blocks that others saved meanwhile are left as they are. If someone else saved a block
    that this person changed too, RetrospectiveConflictError names those blocks (with what is
    saved now) and nothing is written. Participants are merged: those the leader ticked are
    added and those unticked removed, keeping whoever took part meanwhile."""
    reviews = [e for e in reviews if e.changed]
    scores = [e for e in scores if e.changed]
    notes = notes if notes is not None and notes.changed else None
    participants = participants if participants is not None and participants.changed else None
    for review_edit in reviews:
        _check_review(review_edit.target, team, cycle, review_edit.values)
    for score_edit in scores:
        _check_objective(score_edit.target.objective, team, cycle)
        _check_score(score_edit.values["adjusted_score"], score_edit.values["reason"])
    if not (reviews or scores or notes or participants):
        _locked_open(team, cycle)
        return 0
    retrospective = _open_retrospective(actor=actor, team=team, cycle=cycle)
    conflicts, stored_reviews, stored_scores = _conflicts(retrospective, reviews, scores, notes)
    if conflicts:
        raise RetrospectiveConflictError(conflicts)
    for review_edit in reviews:
        _review_write(
            actor=actor,
            retrospective=retrospective,
            objective=review_edit.target,
            review=stored_reviews.get(review_edit.target.pk),
            **review_edit.values,
        )
    for score_edit in scores:
        _score_write(
            actor=actor,
            retrospective=retrospective,
            key_result=score_edit.target,
            row=stored_scores.get(score_edit.target.pk),
            **score_edit.values,
        )
    if notes is not None:
        _notes_write(actor=actor, retrospective=retrospective, **notes.values)
    if reviews or scores or notes:
        _took_part(retrospective, actor)
    if participants is not None:
        current = set(retrospective.participants.values_list("user_id", flat=True))
        wanted = (current | (participants.ticked - participants.seen)) - (
            participants.seen - participants.ticked
        )
        _participants_write(actor=actor, retrospective=retrospective, team=team, wanted=wanted)
    return len(reviews) + len(scores) + (notes is not None) + (participants is not None)


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
    *,
    actor: User,
    team: Unit,
    cycle: Cycle,
    carry_over: Iterable[int] = (),
    complete_unreviewed: bool = False,
) -> Completion:
    """Complete the retrospective: close the cycle for the team, publish its learnings, mark
    reached objectives completed and copy the chosen unfinished ones as drafts into the next
    cycle. Refuses (writing nothing) when carry-over is asked and there is no next cycle, and
    with UnreviewedObjectivesError when objectives have no review outcome yet, unless
    `complete_unreviewed` confirms completing without them."""
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
    missing = unreviewed_objectives(objectives, {r.objective_id: r.outcome for r in reviews})
    if missing and not complete_unreviewed:
        raise UnreviewedObjectivesError(missing)
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
