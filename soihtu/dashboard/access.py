"""Who may see the practice dashboard, and for which part of the organization.

Org admins see the whole organization and may narrow it to one division. A person with a
supervisor membership anywhere sees the dashboard of their own division: the unit right under
the organization that contains the unit they supervise. Everyone else is refused (403), and so
is a chosen division outside the person's reach.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.organization.models import PATH_STEP, Membership, Unit
from soihtu.organization.roles import Actor

DIVISION_PATH = 2 * PATH_STEP  # the organization's path step, then the division's


@dataclass(frozen=True)
class DashboardScope:
    """The division shown (None: the whole organization) and the divisions the person may pick."""

    division: Unit | None
    divisions: list[Unit]
    whole_organization_allowed: bool

    @property
    def path_prefix(self) -> str:
        return self.division.path if self.division is not None else ""


def supervised_unit_ids(actor: Actor) -> list[int]:
    return [unit_id for unit_id, role in actor.roles.items() if role == Membership.Role.SUPERVISOR]


def may_see_dashboard(actor: Actor) -> bool:
    return actor.is_org_admin or bool(supervised_unit_ids(actor))


def dashboard_scope(actor: Actor, division_id: str | None) -> DashboardScope:
    """The dashboard's scope for this person and the asked division (a query-string value):
    one query. 403 without the right to see it, 404 for a division that does not exist,
    403 for a division outside the person's reach."""
    if not may_see_dashboard(actor):
        raise PermissionDenied
    supervised = supervised_unit_ids(actor)
    units = list(Unit.objects.filter(depth=1) | Unit.objects.filter(pk__in=supervised))
    all_divisions = sorted((u for u in units if u.depth == 1), key=lambda u: u.path)
    paths = [u.path for u in units if u.pk in supervised]
    # Supervising the organization itself reaches every division.
    whole = actor.is_org_admin or any(len(p) == PATH_STEP for p in paths)
    if whole:
        reachable = all_divisions
    else:
        reachable = [d for d in all_divisions if any(p[:DIVISION_PATH] == d.path for p in paths)]
    if not division_id:
        division = None if whole or not reachable else reachable[0]
        return DashboardScope(
            division=division, divisions=reachable, whole_organization_allowed=whole
        )
    try:
        wanted = int(division_id)
    except ValueError:
        raise Http404 from None
    chosen = next((d for d in all_divisions if d.pk == wanted), None)
    if chosen is None:
        raise Http404
    if chosen not in reachable:
        raise PermissionDenied
    return DashboardScope(division=chosen, divisions=reachable, whole_organization_allowed=whole)
