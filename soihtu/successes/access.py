"""May this person share a success for a team, or see one? Views fetch through here only.

Successes are open to everyone signed in (they are meant to be seen); sharing one takes part in
the team's rituals (TAKE_PART). Linked objectives that are restricted are shown only to the
people who may see them (the selectors filter them).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission
from soihtu.successes.models import Success


def can_share(actor: Actor, team_id: int) -> bool:
    return actor.can(Permission.TAKE_PART, team_id)


def get_team_for_share(actor: Actor, unit_id: int) -> Unit:
    """The team if this person may share a success for it: 404 for no such team, else 403."""
    team = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.TEAM).first()
    if team is None:
        raise Http404
    if not can_share(actor, team.pk):
        raise PermissionDenied
    return team


def get_success_for_user(actor: Actor, success_id: int) -> Success:
    """Any success, for anyone signed in; 404 when there is none."""
    success = Success.objects.select_related("team", "cycle__year").filter(pk=success_id).first()
    if success is None:
        raise Http404
    return success
