"""What a plan holds: the objectives, key results and check-ins an import would create, the
objectives it skips, and the issues it reports. Built by soihtu.vivagoals.plan."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.vivagoals.parse import Field


@dataclass(frozen=True)
class Issue:
    """A row that is not imported (a problem) or is imported differently (a note)."""

    row: int | None  # None: about a column or the whole file
    message: str


@dataclass(frozen=True)
class PlannedCheckIn:
    value: Decimal
    confidence: int
    measured_on: datetime.date
    from_progress: bool


@dataclass
class PlannedKeyResult:
    row: int
    title: str
    kind: str
    start_value: Decimal
    target_value: Decimal
    unit_of_measure: str
    owner: User | None
    checkin: PlannedCheckIn | None

    @property
    def kind_label(self) -> str:
        return str(KeyResult.Kind(self.kind).label)

    @property
    def is_milestone(self) -> bool:
        return self.kind == KeyResult.Kind.MILESTONE


@dataclass
class PlannedObjective:
    row: int
    title: str
    description: str
    unit: Unit
    year: Year
    cycle: Cycle | None
    status: str
    parent_row: int | None = None  # an objective of this import that it contributes to
    parent_existing: Objective | None = None  # or one already in Soihtu
    parent_title: str = ""
    key_results: list[PlannedKeyResult] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.cycle)

    @property
    def status_label(self) -> str:
        return str(Objective.Status(self.status).label)

    @property
    def contributes(self) -> bool:
        return self.parent_row is not None or self.parent_existing is not None


def cycle_id(objective: PlannedObjective) -> int | None:
    return objective.cycle.pk if objective.cycle is not None else None


@dataclass
class SkippedObjective:
    """An objective whose title the unit already has in the same period: not imported again."""

    row: int
    title: str
    existing: Objective
    key_results: int = 0


@dataclass(frozen=True)
class Column:
    header: str
    field: str

    @property
    def field_label(self) -> str:
        return str(Field(self.field).label)

    @property
    def imported(self) -> bool:
        return self.field != Field.IGNORE


@dataclass
class Plan:
    columns: list[Column]
    objectives: list[PlannedObjective]
    skipped: list[SkippedObjective]
    problems: list[Issue]
    notes: list[Issue]

    @property
    def key_result_count(self) -> int:
        return sum(len(o.key_results) for o in self.objectives)

    @property
    def link_count(self) -> int:
        return sum(1 for o in self.objectives if o.contributes)

    @property
    def checkin_count(self) -> int:
        return sum(1 for o in self.objectives for k in o.key_results if k.checkin is not None)

    @property
    def ignored_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.imported]

    @property
    def is_empty(self) -> bool:
        return not self.objectives

    @property
    def fingerprint(self) -> str:
        """Changes whenever what the import would write changes: the import refuses to run
        when it differs from the one the preview showed."""
        data = [
            [
                o.row, o.title, o.description, o.unit.pk, o.year.pk, cycle_id(o),
                o.status, o.parent_row, o.parent_existing.pk if o.parent_existing else None,
                [
                    [
                        k.row, k.title, k.kind, str(k.start_value), str(k.target_value),
                        k.unit_of_measure, k.owner.pk if k.owner else None,
                        [str(k.checkin.value), k.checkin.confidence, str(k.checkin.measured_on)]
                        if k.checkin else None,
                    ]
                    for k in o.key_results
                ],
            ]
            for o in self.objectives
        ]  # fmt: skip
        skipped = [[s.row, s.existing.pk] for s in self.skipped]
        return hashlib.sha256(json.dumps([data, skipped]).encode()).hexdigest()


def period_label(year: Year, cycle: Cycle | None) -> str:
    return str(cycle) if cycle is not None else _("Year %(year)s") % {"year": year.number}
