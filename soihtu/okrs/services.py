"""Writes of objectives and key results: transactional, audited, safe against lost updates."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.core.errors import EditConflictError
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import StrategyTheme, Unit

OBJECTIVE_FIELDS = [
    "title",
    "description",
    "owner_unit",
    "year",
    "cycle",
    "kind",
    "status",
    "visibility",
    "themes",
    "contributes_to",
]
KEY_RESULT_FIELDS = [
    "title",
    "kind",
    "start_value",
    "target_value",
    "unit_of_measure",
    "owner",
    "weight",
]


def _bump_version(model: type[Objective] | type[KeyResult], pk: int, version: int) -> None:
    """Claim the row for this edit; raise EditConflictError if someone saved it in between."""
    updated = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1)
    if updated != 1:
        raise EditConflictError


@transaction.atomic
def objective_create(
    *,
    actor: User,
    owner_unit: Unit,
    year: Year,
    cycle: Cycle | None,
    title: str,
    description: str = "",
    kind: str = Objective.Kind.COMMITTED,
    status: str = Objective.Status.ACTIVE,
    visibility: str = Objective.Visibility.OPEN,
    themes: Iterable[StrategyTheme] = (),
    contributes_to: Iterable[Objective] = (),
) -> Objective:
    """Create an objective with its themes and the objectives it contributes to."""
    objective = Objective.objects.create(
        owner_unit=owner_unit,
        year=year,
        cycle=cycle,
        title=title,
        description=description,
        kind=kind,
        status=status,
        visibility=visibility,
        created_by=actor,
    )
    objective.themes.set(themes)
    objective.contributes_to.set(contributes_to)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=objective,
        before=None,
        after=snapshot(objective, OBJECTIVE_FIELDS),
        objective_id=objective.pk,
    )
    return objective


@transaction.atomic
def objective_update(
    *, actor: User, objective: Objective, version: int, changes: dict[str, Any]
) -> Objective:
    """Apply `changes` (field -> value; themes and contributes_to as iterables) to an objective.

    `version` is the version the editor saw; if the objective has changed since, EditConflictError
    is raised and nothing is written.
    """
    _bump_version(Objective, objective.pk, version)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    before = snapshot(objective, OBJECTIVE_FIELDS)
    relations = {k: changes.pop(k) for k in ("themes", "contributes_to") if k in changes}
    for name, value in changes.items():
        setattr(objective, name, value)
    objective.updated_at = timezone.now()
    objective.save()
    for name, value in relations.items():
        getattr(objective, name).set(value)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=objective,
        before=before,
        after=snapshot(objective, OBJECTIVE_FIELDS),
        objective_id=objective.pk,
    )
    return objective


@transaction.atomic
def objective_delete(*, actor: User, objective: Objective) -> None:
    """Delete an objective with its key results and check-ins; the audit trail keeps them."""
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=objective,
        before=snapshot(objective, OBJECTIVE_FIELDS),
        after=None,
        objective_id=objective.pk,
    )
    objective.delete()


@transaction.atomic
def key_result_create(
    *,
    actor: User,
    objective: Objective,
    title: str,
    kind: str,
    start_value: Decimal,
    target_value: Decimal,
    unit_of_measure: str = "",
    owner: User | None = None,
    weight: int = 1,
) -> KeyResult:
    """Add a key result to an objective."""
    key_result = KeyResult.objects.create(
        objective=objective,
        title=title,
        kind=kind,
        start_value=start_value,
        target_value=target_value,
        unit_of_measure=unit_of_measure,
        owner=owner,
        weight=weight,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=key_result,
        before=None,
        after=snapshot(key_result, KEY_RESULT_FIELDS),
        objective_id=objective.pk,
    )
    return key_result


@transaction.atomic
def key_result_update(
    *, actor: User, key_result: KeyResult, version: int, changes: dict[str, Any]
) -> KeyResult:
    """Change a key result's definition; EditConflictError if it changed since `version`."""
    _bump_version(KeyResult, key_result.pk, version)
    key_result = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    before = snapshot(key_result, KEY_RESULT_FIELDS)
    for name, value in changes.items():
        setattr(key_result, name, value)
    key_result.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=key_result,
        before=before,
        after=snapshot(key_result, KEY_RESULT_FIELDS),
        objective_id=key_result.objective_id,
    )
    return key_result


@transaction.atomic
def key_result_delete(*, actor: User, key_result: KeyResult) -> None:
    """Delete a key result and its check-ins; the audit trail keeps its last definition."""
    key_result = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=key_result,
        before=snapshot(key_result, KEY_RESULT_FIELDS),
        after=None,
        objective_id=key_result.objective_id,
    )
    key_result.delete()
