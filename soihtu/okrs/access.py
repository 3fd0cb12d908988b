"""May this person see or change this objective or key result? Views fetch through here only.

Restricted objects answer 404 to people who may not see them; visible objects that the person
may not change answer 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission


def can_see_objective(actor: Actor, objective: Objective) -> bool:
    return not objective.is_restricted or actor.belongs_to(objective.owner_unit_id)


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
