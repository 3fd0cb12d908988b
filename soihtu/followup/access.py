"""May this person see or change the follow-up of this team? Views fetch teams through here.

Everyone signed in may read a team's follow-up meeting page, its presentation and its print
view (restricted objectives are left out for people outside the team); setting the cadence and
recording a meeting need LEAD_RITUALS (the team's supervisor and torchbearer, and the OKR
office). Checking in from the meeting table follows the check-in rule of each key result.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.followup.selectors import MeetingPage
from soihtu.okrs.access import can_check_in
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission


def can_lead(actor: Actor, unit: Unit) -> bool:
    return actor.can(Permission.LEAD_RITUALS, unit.pk)


def get_team_for_user(actor: Actor, unit_id: int) -> Unit:
    """The unit, readable by everyone signed in; 404 when it does not exist."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def get_team_for_lead(actor: Actor, unit_id: int) -> Unit:
    """The unit if the person may lead its rituals: 404 when missing, 403 otherwise."""
    unit = get_team_for_user(actor, unit_id)
    if not can_lead(actor, unit):
        raise PermissionDenied
    return unit


def mark_check_in_rights(actor: Actor, page: MeetingPage) -> None:
    """Set `can_check_in` on the rows of the meeting table this person may check in on (the
    check-in rule of `okrs.access.can_check_in`), never in a closed cycle."""
    closed = page.cycle is not None and page.cycle.is_closed
    for row in page.rows:
        row.can_check_in = not closed and can_check_in(actor, row.key_result)
