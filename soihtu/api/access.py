"""Who is calling the API, and may they do this? The only place the API decides it.

A **personal token** acts as its person, with exactly the person's permissions (the same Actor the
pages build), limited to reading when the token is read-only.

A **service token** acts as a member of every unit in its scope (each scope unit with the units
below it), never beyond: it reads what is open to the whole organization and, inside its scope,
restricted objectives, retrospectives and ideas too. A read-and-write service token may edit
objectives and key results and check in inside its scope. It has no roles: it leads no rituals and
sees no survey results. Its writes are recorded in the name of the org admin who created it, and
it works only while that person is an active org admin (removing the role also revokes it).

Whatever the token, a refusal answers like the pages: 404 when the object is hidden, 403 when it is
visible but not theirs to change; a read-only token answers 403 to every write.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from soihtu.api.errors import forbidden
from soihtu.api.models import ApiToken
from soihtu.checkins.models import CheckIn
from soihtu.okrs import access as okrs_access
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission, build_actor

TOKEN_PREFIX = "sht_"  # noqa: S105 - the public marker of a token, not a secret
TOKEN_MAX_LENGTH = 100
SERVICE_PERMISSIONS = frozenset({Permission.EDIT_OKRS, Permission.CHECK_IN})


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ServiceActor(Actor):
    """A service token's view of the organization: membership-like in its scope units only."""

    writes: bool = False

    def can(self, permission: Permission, unit_id: int) -> bool:
        return self.writes and permission in SERVICE_PERMISSIONS and unit_id in self.unit_ids

    def belongs_to(self, unit_id: int) -> bool:
        return unit_id in self.unit_ids


@dataclass(frozen=True)
class ApiClient:
    """The caller of one API request: its token and the Actor it acts as."""

    token: ApiToken
    actor: Actor

    @property
    def writes(self) -> bool:
        return self.token.writes


def scope_unit_ids(token: ApiToken) -> frozenset[int]:
    """The ids of a service token's units and of every unit below them: two queries."""
    paths = list(token.units.values_list("path", flat=True))
    if not paths:
        return frozenset()
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    return frozenset(Unit.objects.filter(below).values_list("id", flat=True))


def _answered_for(token: ApiToken) -> bool:
    """Someone still answers for the token: its person can sign in (not deactivated or
    anonymized) and, for a service token, is still an org admin, the role that made it."""
    person = token.created_by
    if not person.is_active or person.is_anonymized:
        return False
    return person.is_org_admin or not token.is_service


def client_for_token(secret: str) -> ApiClient | None:
    """The client a bearer token stands for; None when the token is unknown, revoked or expired,
    or nobody answers for it any more (see _answered_for: the creator comes with the token, in
    the same query). Three or four queries."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > TOKEN_MAX_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("created_by")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.is_usable or not _answered_for(token):
        return None
    if token.is_service:
        actor: Actor = ServiceActor(
            user=token.created_by,
            is_org_admin=False,
            unit_ids=scope_unit_ids(token),
            writes=token.writes,
        )
    else:
        actor = build_actor(token.created_by)
    return ApiClient(token=token, actor=actor)


def require_write(client: ApiClient) -> None:
    """Read-only tokens may not write, whoever they belong to."""
    if not client.writes:
        raise forbidden(_("This token may only read: create a read-and-write token to write."))


def _require_in_scope(client: ApiClient, unit_id: int) -> None:
    # The Actor rules already keep a service token inside its scope, except the key result
    # owner's own right to check in: the owner would be the admin behind the token.
    if isinstance(client.actor, ServiceActor) and unit_id not in client.actor.unit_ids:
        raise forbidden()


def get_objective_for_edit(client: ApiClient, objective_id: int) -> Objective:
    """404 when hidden, 403 for a read-only token or without EDIT_OKRS in the owning unit."""
    require_write(client)
    objective = okrs_access.get_objective_for_edit(client.actor, objective_id)
    _require_in_scope(client, objective.owner_unit_id)
    return objective


def get_unit_for_okr_create(client: ApiClient, unit_id: int) -> Unit:
    """As the new-objective page: 404 for an unknown unit, 403 for a read-only token or
    without EDIT_OKRS in the unit."""
    require_write(client)
    unit = okrs_access.get_unit_for_okr_create(client.actor, unit_id)
    _require_in_scope(client, unit.pk)
    return unit


def get_key_result_for_edit(client: ApiClient, key_result_id: int) -> KeyResult:
    """404 when hidden, 403 for a read-only token or without EDIT_OKRS in the owning unit."""
    require_write(client)
    key_result = okrs_access.get_key_result_for_edit(client.actor, key_result_id)
    _require_in_scope(client, key_result.objective.owner_unit_id)
    return key_result


def get_key_result_for_checkin(client: ApiClient, key_result_id: int) -> KeyResult:
    """As the check-in page: members of the owning unit and the key result's owner; 404 when
    hidden, 403 otherwise, and always 403 for a read-only token."""
    require_write(client)
    key_result = okrs_access.get_key_result_for_checkin(client.actor, key_result_id)
    _require_in_scope(client, key_result.objective.owner_unit_id)
    return key_result


def get_checkin_for_user(actor: Actor, checkin_id: int) -> CheckIn:
    """A check-in of a key result the person may see, else 404."""
    checkin = CheckIn.objects.select_related("key_result__objective").filter(pk=checkin_id).first()
    if checkin is None or not okrs_access.can_see_objective(actor, checkin.key_result.objective):
        raise Http404
    return checkin


# The token pages (session sign-in, like every page).


def can_manage_service_tokens(actor: Actor) -> bool:
    return actor.is_org_admin


def require_service_token_admin(actor: Actor) -> None:
    """Only org admins create and revoke service tokens."""
    if not can_manage_service_tokens(actor):
        raise PermissionDenied


def get_token_for_revoke(actor: Actor, token_id: int) -> ApiToken:
    """One's own personal token, or (org admins) any service token; 404 for anything else, so
    that nobody learns which tokens others have."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise Http404
    own = token.kind == ApiToken.Kind.PERSONAL and token.created_by_id == actor.user.pk
    if not own and not (token.is_service and can_manage_service_tokens(actor)):
        raise Http404
    return token
