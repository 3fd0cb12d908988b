"""Writes of choosing goals together: transactional and audited.

Every refusal raises PlanningError with a message for the person, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification
from soihtu.okrs import services as okr_services
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.planning.models import (
    MEASURE_MAX,
    Proposal,
    ProposalAuthor,
    ProposalComment,
    ProposalSupport,
)
from soihtu.planning.selectors import participation

PROPOSAL_FIELDS = [
    "team",
    "cycle",
    "kind",
    "title",
    "description",
    "target_objective",
    "measure",
    "status",
    "decline_reason",
    "merged_into",
    "accepted_objective",
    "accepted_key_result",
]
TEAM_CYCLE_FIELDS = [
    "team",
    "cycle",
    "state",
    "planning_opened_at",
    "planning_opened_by",
    "activated_at",
    "activated_by",
    "participation_percent",
    "activated_below_half",
]


class PlanningError(Exception):
    """A planning write that the rules do not allow; nothing was written."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class NeedsConfirmationError(PlanningError):
    """Activating with fewer than half of the members taking part needs a confirmation."""


def _text(value: str, *, limit: int, required: bool, what: str | Promise) -> str:
    value = value.strip()
    if required and not value:
        raise PlanningError(_("%(what)s is required.") % {"what": what})
    if len(value) > limit:
        raise PlanningError(
            _("%(what)s can be at most %(limit)s characters.") % {"what": what, "limit": limit}
        )
    return value


def _planning_team_cycle(team: Unit, cycle: Cycle, *, lock: bool = False) -> TeamCycle:
    """The team's cycle if planning is open in it, else PlanningError."""
    rows = TeamCycle.objects.filter(team=team, cycle=cycle)
    team_cycle = (rows.select_for_update() if lock else rows).first()
    if team_cycle is None or team_cycle.state != Cycle.State.PLANNING:
        raise PlanningError(
            _("Planning is not open for this team in this cycle, so nothing was changed.")
        )
    return team_cycle


def _lock_open(proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update().select_related("team", "cycle").get(pk=proposal.pk)
    )
    _planning_team_cycle(proposal.team, proposal.cycle)
    if not proposal.is_open:
        raise PlanningError(_("This proposal has already been settled."))
    return proposal


def _audit(
    actor: User, action: str, row: Proposal | TeamCycle, before: dict[str, object] | None
) -> None:
    fields = PROPOSAL_FIELDS if isinstance(row, Proposal) else TEAM_CYCLE_FIELDS
    audit_record(
        actor=actor, action=action, instance=row, before=before, after=snapshot(row, fields)
    )


@transaction.atomic
def planning_open(*, actor: User, team: Unit, cycle: Cycle) -> TeamCycle:
    """Open choosing goals together for a team in a cycle that is not closed.

    Idempotent while planning is open; refused once the team's cycle is under way.
    """
    if cycle.is_closed:
        raise PlanningError(_("This cycle is closed. Planning can only open for a later cycle."))
    team_cycle, created = TeamCycle.objects.select_for_update().get_or_create(
        team=team, cycle=cycle, defaults={"state": Cycle.State.PLANNING}
    )
    if team_cycle.state != Cycle.State.PLANNING:
        raise PlanningError(_("This team's cycle is already under way."))
    if team_cycle.planning_opened_at is not None:
        return team_cycle
    before = None if created else snapshot(team_cycle, TEAM_CYCLE_FIELDS)
    team_cycle.planning_opened_at = timezone.now()
    team_cycle.planning_opened_by = actor
    team_cycle.save()
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
    _audit(actor, action, team_cycle, before)
    return team_cycle


def _target_for(team: Unit, cycle: Cycle, objective: Objective | None) -> Objective | None:
    if objective is not None and (
        objective.owner_unit_id != team.pk or objective.cycle_id != cycle.pk
    ):
        raise PlanningError(_("Choose one of this team's objectives in this cycle."))
    return objective


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    team: Unit,
    cycle: Cycle,
    kind: str,
    title: str,
    description: str = "",
    target_objective: Objective | None = None,
    measure: str = "",
) -> Proposal:
    """Propose an objective or a key result while the team's planning is open."""
    _planning_team_cycle(team, cycle)
    if kind not in Proposal.Kind.values:
        raise PlanningError(_("Choose whether you propose an objective or a key result."))
    is_key_result = kind == Proposal.Kind.KEY_RESULT
    proposal = Proposal.objects.create(
        team=team,
        cycle=cycle,
        kind=kind,
        title=_text(title, limit=TITLE_MAX, required=True, what=_("Title")),
        description=_text(description, limit=TEXT_MAX, required=False, what=_("Description")),
        target_objective=_target_for(team, cycle, target_objective) if is_key_result else None,
        measure=_text(measure, limit=MEASURE_MAX, required=False, what=_("How to measure"))
        if is_key_result
        else "",
        created_by=actor,
    )
    ProposalAuthor.objects.create(proposal=proposal, user=actor)
    _audit(actor, AuditEvent.Action.CREATE, proposal, None)
    return proposal


@transaction.atomic
def proposal_comment(*, actor: User, proposal: Proposal, text: str) -> ProposalComment:
    """Comment on a proposal of a team whose planning is open."""
    _planning_team_cycle(proposal.team, proposal.cycle)
    text = _text(text, limit=TEXT_MAX, required=True, what=_("Comment"))
    comment = ProposalComment.objects.create(proposal=proposal, author=actor, text=text)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=comment,
        before=None,
        after={"proposal": proposal.pk, "text": text},
    )
    return comment


@transaction.atomic
def proposal_support(*, actor: User, proposal: Proposal) -> bool:
    """Support an open proposal; once per person (True when a support was added)."""
    proposal = _lock_open(proposal)
    support, created = ProposalSupport.objects.get_or_create(proposal=proposal, user=actor)
    if created:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=support,
            before=None,
            after={"proposal": proposal.pk, "user": actor.pk},
        )
    return created


@transaction.atomic
def proposal_unsupport(*, actor: User, proposal: Proposal) -> bool:
    """Withdraw one's support of an open proposal (True when there was one)."""
    proposal = _lock_open(proposal)
    support = ProposalSupport.objects.filter(proposal=proposal, user=actor).first()
    if support is None:
        return False
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=support,
        before={"proposal": proposal.pk, "user": actor.pk},
        after=None,
    )
    support.delete()
    return True


def _accept_key_result(
    *,
    actor: User,
    proposal: Proposal,
    objective: Objective | None,
    kind: str,
    start_value: Decimal,
    target_value: Decimal,
    unit_of_measure: str,
) -> KeyResult:
    objective = _target_for(proposal.team, proposal.cycle, objective or proposal.target_objective)
    if objective is None:
        raise PlanningError(_("Choose the objective that this key result measures."))
    if kind == KeyResult.Kind.INCREASE and target_value <= start_value:
        raise PlanningError(_("For an increase, the target must be above the start value."))
    if kind == KeyResult.Kind.DECREASE and target_value >= start_value:
        raise PlanningError(_("For a decrease, the target must be below the start value."))
    return okr_services.key_result_create(
        actor=actor,
        objective=objective,
        title=proposal.title,
        kind=kind,
        start_value=start_value,
        target_value=target_value,
        unit_of_measure=unit_of_measure[:30],
    )


@transaction.atomic
def proposal_accept(
    *,
    actor: User,
    proposal: Proposal,
    objective: Objective | None = None,
    kind: str = KeyResult.Kind.MILESTONE,
    start_value: Decimal = Decimal(0),
    target_value: Decimal = Decimal(1),
    unit_of_measure: str = "",
) -> Proposal:
    """Accept an open proposal: an objective proposal becomes a draft objective of the team in
    the cycle; a key-result proposal becomes a key result of `objective` (or of the objective it
    was proposed for), which must be one of the team's objectives in the cycle."""
    proposal = _lock_open(proposal)
    before = snapshot(proposal, PROPOSAL_FIELDS)
    if proposal.is_key_result:
        proposal.accepted_key_result = _accept_key_result(
            actor=actor,
            proposal=proposal,
            objective=objective,
            kind=kind,
            start_value=start_value,
            target_value=target_value,
            unit_of_measure=unit_of_measure,
        )
        proposal.accepted_objective_id = proposal.accepted_key_result.objective_id
    else:
        proposal.accepted_objective = okr_services.objective_create(
            actor=actor,
            owner_unit=proposal.team,
            year=proposal.cycle.year,
            cycle=proposal.cycle,
            title=proposal.title,
            description=proposal.description,
            status=Objective.Status.DRAFT,
        )
    return _settle(actor, proposal, before, Proposal.Status.ACCEPTED)


def _settle(actor: User, proposal: Proposal, before: dict[str, object], status: str) -> Proposal:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    _audit(actor, AuditEvent.Action.UPDATE, proposal, before)
    _authors_notify(actor, proposal)
    return proposal


SETTLED_EVENT: dict[str, str] = {
    Proposal.Status.ACCEPTED: Notification.Event.PROPOSAL_ACCEPTED,
    Proposal.Status.MERGED: Notification.Event.PROPOSAL_MERGED,
    Proposal.Status.DECLINED: Notification.Event.PROPOSAL_DECLINED,
}


def _authors_notify(actor: User, proposal: Proposal) -> None:
    """Tell the proposal's authors how it was decided (docs/notifications.md)."""
    detail = ""
    if proposal.status == Proposal.Status.MERGED and proposal.merged_into is not None:
        detail = proposal.merged_into.title
    elif proposal.status == Proposal.Status.DECLINED:
        detail = proposal.decline_reason
    people_notify(
        recipients=ProposalAuthor.objects.filter(proposal=proposal).values_list(
            "user_id", flat=True
        ),
        event=SETTLED_EVENT[proposal.status],
        actor=actor,
        subject=proposal.title,
        detail=detail,
        url=reverse("planning:team", args=[proposal.team_id, proposal.cycle_id])
        + f"#proposal-{proposal.pk}",
    )


@transaction.atomic
def proposal_merge(*, actor: User, proposals: Sequence[Proposal], into: Proposal) -> Proposal:
    """Merge open proposals into another open proposal of the same team and cycle: their
    authors are credited on it, and their supports carried over (once per person)."""
    into = _lock_open(into)
    others = [_lock_open(p) for p in proposals if p.pk != into.pk]
    if not others:
        raise PlanningError(_("Choose at least one other proposal to merge."))
    if any((p.team_id, p.cycle_id) != (into.team_id, into.cycle_id) for p in others):
        raise PlanningError(_("Only proposals of the same team and cycle can be merged."))
    ids = [p.pk for p in others]
    authors = ProposalAuthor.objects.filter(proposal_id__in=ids).values_list("user_id", flat=True)
    ProposalAuthor.objects.bulk_create(
        [ProposalAuthor(proposal=into, user_id=u) for u in set(authors)], ignore_conflicts=True
    )
    supporters = ProposalSupport.objects.filter(proposal_id__in=ids).values_list(
        "user_id", flat=True
    )
    ProposalSupport.objects.bulk_create(
        [ProposalSupport(proposal=into, user_id=u) for u in set(supporters)], ignore_conflicts=True
    )
    for other in others:
        before = snapshot(other, PROPOSAL_FIELDS)
        other.merged_into = into
        _settle(actor, other, before, Proposal.Status.MERGED)
    return into


@transaction.atomic
def proposal_decline(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Decline an open proposal with a reason that the team can read."""
    proposal = _lock_open(proposal)
    before = snapshot(proposal, PROPOSAL_FIELDS)
    proposal.decline_reason = _text(reason, limit=TEXT_MAX, required=True, what=_("Reason"))
    return _settle(actor, proposal, before, Proposal.Status.DECLINED)


@transaction.atomic
def cycle_activate(
    *, actor: User, team: Unit, cycle: Cycle, confirm_low_participation: bool = False
) -> TeamCycle:
    """End planning: the team's cycle becomes active and its draft objectives active.

    With fewer than half of the members taking part, NeedsConfirmationError is raised unless
    `confirm_low_participation`; the record then shows the activation was below half.
    """
    team_cycle = _planning_team_cycle(team, cycle, lock=True)
    share = participation(team, cycle)
    if share.below_half and not confirm_low_participation:
        raise NeedsConfirmationError(
            _(
                "Fewer than half of the team's members took part in choosing the goals. "
                "Confirm that you want to activate the cycle anyway."
            )
        )
    before = snapshot(team_cycle, TEAM_CYCLE_FIELDS)
    team_cycle.state = Cycle.State.ACTIVE
    team_cycle.activated_at = timezone.now()
    team_cycle.activated_by = actor
    team_cycle.participation_percent = share.percent
    team_cycle.activated_below_half = share.below_half
    team_cycle.save()
    _audit(actor, AuditEvent.Action.UPDATE, team_cycle, before)
    _activate_drafts(actor, team, cycle)
    return team_cycle


def _activate_drafts(actor: User, team: Unit, cycle: Cycle) -> None:
    drafts = list(
        Objective.objects.select_for_update().filter(
            owner_unit=team, cycle=cycle, status=Objective.Status.DRAFT
        )
    )
    now = timezone.now()
    for objective in drafts:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=objective,
            before={"status": Objective.Status.DRAFT},
            after={"status": Objective.Status.ACTIVE},
            objective_id=objective.pk,
        )
    Objective.objects.filter(pk__in=[o.pk for o in drafts]).update(
        status=Objective.Status.ACTIVE, updated_at=now, version=F("version") + 1
    )
