"""May this person see or change this objective or key result? Views fetch through here only.

Restricted objects answer 404 to people who may not see them; visible objects that the person
may not change answer 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from soihtu.accounts.models import User
from soihtu.okrs.models import KeyResult, Objective, ObjectiveQuerySet
from soihtu.organization.models import Membership, Unit
from soihtu.organization.roles import Actor, Permission


def can_see_objective(actor: Actor, objective: Objective) -> bool:
    """Open objectives, and restricted ones of a unit the person belongs to (all for org
    admins). Everything that names a linked objective or key result (a title, a link, a count)
    follows this rule: see `shown_objective`, `objectives_visible_to` and the matrix in
    okrs/tests/test_linked_visibility.py."""
    return not objective.is_restricted or actor.belongs_to(objective.owner_unit_id)


def shown_objective(actor: Actor, objective: Objective | None) -> Objective | None:
    """A linked objective if this person may see it, else None: pages and messages name it
    only then."""
    return objective if objective is not None and can_see_objective(actor, objective) else None


def shown_key_result(actor: Actor, key_result: KeyResult | None) -> KeyResult | None:
    """A linked key result (with its objective loaded) if this person may see it, else None."""
    if key_result is None or not can_see_objective(actor, key_result.objective):
        return None
    return key_result


def objectives_visible_to(actor: Actor) -> ObjectiveQuerySet:
    """The objectives this person may see, as a queryset to filter or prefetch linked
    objectives with (the SQL form of `can_see_objective`)."""
    if actor.is_org_admin:
        return Objective.objects.all()
    return Objective.objects.visible_to_units(set(actor.unit_ids))


def objectives_hidden_from(actor: Actor) -> ObjectiveQuerySet:
    """The objectives this person may not see (none for the OKR office): the complement of
    `objectives_visible_to`, small (only restricted objectives of other units), so cheap to
    exclude in SQL."""
    hidden = Objective.objects.filter(visibility=Objective.Visibility.RESTRICTED)
    if actor.is_org_admin:
        return hidden.none()
    return hidden.exclude(owner_unit_id__in=set(actor.unit_ids))


def visible_to_owner_q(user_field: str, objective_field: str = "") -> Q:
    """SQL condition for reads with no Actor at hand (reminders to key result owners): the
    objective at `objective_field` ("" for the row itself) is visible to the person at
    `user_field`, both lookup paths from the filtered row. Open, or the person belongs to the
    owning unit or a unit below it (as `Actor.belongs_to` counts it), or is an org admin."""
    prefix = f"{objective_field}__" if objective_field else ""
    member = Membership.objects.filter(
        user=OuterRef(user_field), unit__path__startswith=OuterRef(f"{prefix}owner_unit__path")
    )
    admin = User.objects.filter(pk=OuterRef(user_field), is_org_admin=True)
    is_open = Q(**{f"{prefix}visibility": Objective.Visibility.OPEN})
    return is_open | Q(Exists(member)) | Q(Exists(admin))


def can_edit_unit_okrs(actor: Actor, unit_id: int) -> bool:
    return actor.can(Permission.EDIT_OKRS, unit_id)


def can_check_in(actor: Actor, key_result: KeyResult) -> bool:
    """Members of the owning unit, and the key result's owner, may check in."""
    if key_result.owner_id is not None and key_result.owner_id == actor.user.pk:
        return True
    return actor.can(Permission.CHECK_IN, key_result.objective.owner_unit_id)


def get_objective_for_user(actor: Actor, objective_id: int) -> Objective:
    """The objective if the person may see it, else 404."""
    objective = (
        Objective.objects.select_related("owner_unit", "year", "cycle__year")
        .with_progress()
        .filter(pk=objective_id)
        .first()
    )
    if objective is None or not can_see_objective(actor, objective):
        raise Http404
    return objective


def get_objective_for_edit(actor: Actor, objective_id: int) -> Objective:
    """The objective if the person may change it: 404 when hidden, 403 when only readable."""
    objective = get_objective_for_user(actor, objective_id)
    if not can_edit_unit_okrs(actor, objective.owner_unit_id):
        raise PermissionDenied
    return objective


def get_unit_for_okr_create(actor: Actor, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    if not can_edit_unit_okrs(actor, unit.pk):
        raise PermissionDenied
    return unit


def get_key_result_for_user(actor: Actor, key_result_id: int) -> KeyResult:
    key_result = (
        KeyResult.objects.select_related(
            "objective", "objective__owner_unit", "objective__cycle", "objective__year", "owner"
        )
        .filter(pk=key_result_id)
        .first()
    )
    if key_result is None or not can_see_objective(actor, key_result.objective):
        raise Http404
    return key_result


def get_key_result_for_edit(actor: Actor, key_result_id: int) -> KeyResult:
    key_result = get_key_result_for_user(actor, key_result_id)
    if not can_edit_unit_okrs(actor, key_result.objective.owner_unit_id):
        raise PermissionDenied
    return key_result


def get_key_result_for_checkin(actor: Actor, key_result_id: int) -> KeyResult:
    key_result = get_key_result_for_user(actor, key_result_id)
    if not can_check_in(actor, key_result):
        raise PermissionDenied
    return key_result


def mark_permissions(actor: Actor, objectives: list[Objective]) -> None:
    """Set `can_edit` on objectives and `can_check_in` on their prefetched key results,
    so templates show only the controls this person may use."""
    for objective in objectives:
        objective.can_edit = can_edit_unit_okrs(actor, objective.owner_unit_id)  # type: ignore[attr-defined]
        for key_result in objective.key_results.all():
            key_result.can_check_in = can_check_in(actor, key_result)  # type: ignore[attr-defined]
