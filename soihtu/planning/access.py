"""Who may read and take part in choosing a team's goals. Views fetch through here only.

Everyone signed in may read a team's planning (openness breaks silos). The team's members
(TAKE_PART) propose, comment and support; its supervisor and torchbearer (LEAD_RITUALS) open
planning, settle proposals and activate the cycle. Org admins may do everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.cycles.models import Cycle
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission
from soihtu.planning.models import Proposal


def can_take_part(actor: Actor, team_id: int) -> bool:
    return actor.can(Permission.TAKE_PART, team_id)


def can_lead(actor: Actor, team_id: int) -> bool:
    return actor.can(Permission.LEAD_RITUALS, team_id)


def get_team(actor: Actor, unit_id: int) -> Unit:
    """A team (not a higher unit) anyone signed in may read, else 404."""
    team = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.TEAM).first()
    if team is None:
        raise Http404
    return team


def get_team_and_cycle(actor: Actor, unit_id: int, cycle_id: int) -> tuple[Unit, Cycle]:
    cycle = Cycle.objects.select_related("year").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return get_team(actor, unit_id), cycle


def get_team_and_cycle_to_lead(actor: Actor, unit_id: int, cycle_id: int) -> tuple[Unit, Cycle]:
    """404 for an unknown team or cycle, 403 for someone who does not lead the team."""
    team, cycle = get_team_and_cycle(actor, unit_id, cycle_id)
    if not can_lead(actor, team.pk):
        raise PermissionDenied
    return team, cycle


def get_team_and_cycle_to_take_part(
    actor: Actor, unit_id: int, cycle_id: int
) -> tuple[Unit, Cycle]:
    team, cycle = get_team_and_cycle(actor, unit_id, cycle_id)
    if not can_take_part(actor, team.pk):
        raise PermissionDenied
    return team, cycle


def get_proposal(actor: Actor, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("team", "cycle__year", "target_objective")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def get_proposal_to_take_part(actor: Actor, proposal_id: int) -> Proposal:
    """The proposal if the person is a member of its team: 403 otherwise."""
    proposal = get_proposal(actor, proposal_id)
    if not can_take_part(actor, proposal.team_id):
        raise PermissionDenied
    return proposal


def get_proposal_to_lead(actor: Actor, proposal_id: int) -> Proposal:
    """The proposal if the person leads its team (supervisor, torchbearer): 403 otherwise."""
    proposal = get_proposal(actor, proposal_id)
    if not can_lead(actor, proposal.team_id):
        raise PermissionDenied
    return proposal
