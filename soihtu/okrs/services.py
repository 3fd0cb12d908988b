"""Writes of objectives and key results: transactional, audited, safe against lost updates."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.core.errors import EditConflictError
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import (
    ContributorCount,
    KeyResult,
    Objective,
    UnitProgress,
    UnitProgressRefresh,
    contributor_counts_sql,
    subtree_rollup_sql,
)
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


def _objective_id(row: Objective | KeyResult) -> int:
    return row.pk if isinstance(row, Objective) else row.objective_id


def _versioned_update[Row: (Objective, KeyResult)](
    row: Row,
    *,
    actor: User,
    version: int,
    changes: dict[str, Any],
    fields: list[str],
    relations: dict[str, Any] | None = None,
) -> Row:
    """Claim the row at the version the editor saw, apply the changes and audit them.

    The conditional UPDATE bumps the version only if nobody saved the row in between;
    otherwise EditConflictError is raised and nothing is written.
    """
    model = type(row)
    claimed = model.objects.filter(pk=row.pk, version=version).update(version=F("version") + 1)
    if claimed != 1:
        raise EditConflictError
    row = model.objects.select_for_update().get(pk=row.pk)
    before = snapshot(row, fields)
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    for name, value in (relations or {}).items():
        getattr(row, name).set(value)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=row,
        before=before,
        after=snapshot(row, fields),
        objective_id=_objective_id(row),
    )
    return row


def _audited_delete(row: Objective | KeyResult, *, actor: User, fields: list[str]) -> None:
    row = type(row).objects.select_for_update().get(pk=row.pk)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=row,
        before=snapshot(row, fields),
        after=None,
        objective_id=_objective_id(row),
    )
    row.delete()


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
    relations: dict[str, Any] = {
        k: changes.pop(k) for k in ("themes", "contributes_to") if k in changes
    }
    return _versioned_update(
        objective,
        actor=actor,
        version=version,
        changes=changes | {"updated_at": timezone.now()},
        relations=relations,
        fields=OBJECTIVE_FIELDS,
    )


@transaction.atomic
def objective_delete(*, actor: User, objective: Objective) -> None:
    """Delete an objective with its key results and check-ins; the audit trail keeps them."""
    _audited_delete(objective, actor=actor, fields=OBJECTIVE_FIELDS)


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
    return _versioned_update(
        key_result, actor=actor, version=version, changes=changes, fields=KEY_RESULT_FIELDS
    )


@transaction.atomic
def key_result_delete(*, actor: User, key_result: KeyResult) -> None:
    """Delete a key result and its check-ins; the audit trail keeps its last definition."""
    _audited_delete(key_result, actor=actor, fields=KEY_RESULT_FIELDS)


def _contributor_counts_refresh() -> None:
    """ContributorCount for every organization objective (of every year): two queries and
    one insert."""
    roots = list(
        Objective.objects.filter(owner_unit__parent__isnull=True, cycle__isnull=True).values_list(
            "pk", flat=True
        )
    )
    counts: dict[int, list[int]] = {pk: [0, 0] for pk in roots}
    restricted, params = (
        Objective.objects.filter(visibility=Objective.Visibility.RESTRICTED)
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        for index, (hidden, hidden_params) in enumerate([(restricted, params), ("SELECT -1", ())]):
            if roots:
                cursor.execute(
                    contributor_counts_sql(len(roots), hidden),
                    [*roots, *hidden_params, *hidden_params],
                )
                for root, count in cursor.fetchall():
                    counts[int(root)][index] = int(count)
    ContributorCount.objects.all().delete()
    ContributorCount.objects.bulk_create(
        ContributorCount(objective_id=pk, open_contributors=open_, all_contributors=all_)
        for pk, (open_, all_) in counts.items()
    )


def unit_progress_refresh() -> int:
    """Recompute every unit's progress roll-up for every cycle (UnitProgress) from the open
    objectives, and the organization objectives' contributor counts, in one transaction:
    readers see the old figures or the new ones, never half. Run by the scheduler every few
    minutes (followup_schedule); pages show the time. Two refreshes at once take turns on the
    refresh row. Returns the number of roll-up rows."""
    with transaction.atomic():
        UnitProgressRefresh.objects.bulk_create(
            [UnitProgressRefresh(pk=1, refreshed_at=timezone.now())], ignore_conflicts=True
        )
        stamp = UnitProgressRefresh.objects.select_for_update().get(pk=1)
        inner, params = (
            Objective.objects.filter(visibility=Objective.Visibility.OPEN)
            .with_progress()
            .annotate(upath=F("owner_unit__path"))
            .order_by()
            .values("upath", "progress_value", "cycle_id", "year_id")
            .query.sql_with_params()
        )
        cycles = Cycle._meta.db_table
        # Each cycle's period holds its own objectives and its year's (cycle_id NULL).
        per_cycle = f"""
            SELECT o.upath, o.progress_value, c.id AS period_cycle
            FROM ({inner}) o JOIN {cycles} c
              ON c.id = o.cycle_id OR (o.cycle_id IS NULL AND c.year_id = o.year_id)
        """  # noqa: S608 - table names from the models; values are parameters
        rollup = subtree_rollup_sql(per_cycle, keys=("period_cycle",))
        units = Unit._meta.db_table
        sql = f"""
            INSERT INTO {UnitProgress._meta.db_table} (unit_id, cycle_id, objectives, progress_sum)
            SELECT u.id, r.period_cycle, r.objectives, r.progress_sum
            FROM ({rollup}) r JOIN {units} u ON u.path = r.unit_path
        """  # noqa: S608 - table names from the models; values are parameters
        UnitProgress.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = cursor.rowcount
        _contributor_counts_refresh()
        stamp.refreshed_at = timezone.now()
        stamp.save(update_fields=["refreshed_at"])
    return int(written)
