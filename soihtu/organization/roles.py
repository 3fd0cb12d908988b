"""The one table that maps roles to permissions, and the request's view of who is acting.

Every access decision in Soihtu goes through `Actor` (built once per request from the person's
memberships) and the ROLE_PERMISSIONS table below. Roles apply to the unit the membership is
in, not to the units below it: a division's supervisor does not edit a team's objectives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.http import HttpRequest

from soihtu.accounts.models import User
from soihtu.organization.models import Membership, Unit

Role = Membership.Role


class Permission(StrEnum):
    EDIT_OKRS = "edit_okrs"  # create, edit and delete the unit's objectives and key results
    CHECK_IN = "check_in"  # record check-ins on the unit's key results
    # Lead the team's rituals: open planning, accept, merge or decline proposals, activate the
    # cycle, set the check-in cadence, complete the retrospective, manage the team's ideas.
    LEAD_RITUALS = "lead_rituals"
    # Take part in them: propose, comment, support, take part in the retrospective, share a
    # success, record an idea for the team.
    TAKE_PART = "take_part"


LEADER = frozenset(
    {Permission.EDIT_OKRS, Permission.CHECK_IN, Permission.LEAD_RITUALS, Permission.TAKE_PART}
)
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.SUPERVISOR: LEADER,
    Role.TORCHBEARER: LEADER,
    Role.MEMBER: frozenset({Permission.CHECK_IN, Permission.TAKE_PART}),
}


@dataclass(frozen=True)
class Actor:
    """A signed-in person with their roles per unit and the units they belong to."""

    user: User
    is_org_admin: bool
    roles: dict[int, str] = field(default_factory=dict)  # unit id -> role
    unit_ids: frozenset[int] = frozenset()  # units with a membership, and every unit above them

    def can(self, permission: Permission, unit_id: int) -> bool:
        if self.is_org_admin:
            return True
        role = self.roles.get(unit_id)
        return role is not None and permission in ROLE_PERMISSIONS[role]

    def belongs_to(self, unit_id: int) -> bool:
        return self.is_org_admin or unit_id in self.unit_ids

    @property
    def team_ids(self) -> list[int]:
        return list(self.roles)


def build_actor(user: User) -> Actor:
    """Two queries: the person's memberships, and the units above them."""
    memberships = list(Membership.objects.filter(user=user).select_related("unit"))
    roles = {m.unit_id: m.role for m in memberships}
    paths = {p for m in memberships for p in m.unit.ancestor_paths()}
    unit_ids = frozenset(Unit.objects.filter(path__in=paths).values_list("id", flat=True))
    return Actor(user=user, is_org_admin=user.is_org_admin, roles=roles, unit_ids=unit_ids)


def actor_for(request: HttpRequest) -> Actor:
    """The Actor of this request, built once and kept on the request."""
    actor: Actor | None = getattr(request, "_soihtu_actor", None)
    if actor is None:
        assert isinstance(request.user, User)
        actor = build_actor(request.user)
        request._soihtu_actor = actor  # type: ignore[attr-defined]
    return actor
