"""Objectives and key results as CSV for spreadsheets (columns: see docs/export-import.md).

The column names and the coded values (kind, status, visibility) are stable English keys, so
that a spreadsheet built on the file keeps working whatever the language; names of units,
strategy themes and people are as the organization wrote them. Two dialects: `excel` (the
default) separates with semicolons and writes decimal commas, as Excel expects in Finnish and
Swedish; `standard` writes commas and decimal points. Both start with a UTF-8 byte order mark,
so that Excel reads ä and ö right.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from soihtu.core.spreadsheet import Writable, csv_writer
from soihtu.cycles.models import Cycle
from soihtu.exchange.export import decimal_text
from soihtu.okrs.models import KeyResult, Objective
from soihtu.retrospectives.models import ObjectiveReview

BOM = "\ufeff"
OBJECTIVE_COLUMNS = [
    "id",
    "title",
    "unit",
    "unit_code",
    "year",
    "cycle",
    "kind",
    "status",
    "visibility",
    "themes",
    "contributes_to",
    "progress_percent",
    "score",
    "adjusted_score",
    "key_results",
]
KEY_RESULT_COLUMNS = [
    "id",
    "objective_id",
    "objective_title",
    "unit",
    "unit_code",
    "year",
    "cycle",
    "title",
    "kind",
    "start_value",
    "target_value",
    "current_value",
    "unit_of_measure",
    "weight",
    "progress_percent",
    "confidence",
    "status",
    "owner",
    "last_checkin_date",
]
LIST_SEPARATOR = " | "


class Dialect(StrEnum):
    EXCEL = "excel"
    STANDARD = "standard"


class _Cells:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def number(self, value: Decimal | float | None) -> str:
        if value is None:
            return ""
        written = decimal_text(value) if isinstance(value, Decimal) else str(value)
        return written.replace(".", ",") if self.dialect == Dialect.EXCEL else written


def _period_filter(cycle: Cycle | None, prefix: str = "") -> Q:
    """The cycle's objectives and its year's objectives set for the whole year."""
    if cycle is None:
        return Q()
    return Q(**{f"{prefix}cycle": cycle}) | Q(
        **{f"{prefix}cycle__isnull": True, f"{prefix}year_id": cycle.year_id}
    )


def objectives_for_csv(cycle: Cycle | None) -> QuerySet[Objective]:
    """Every objective (restricted ones too: only org admins export), three queries."""
    adjusted = (
        ObjectiveReview.objects.filter(objective=OuterRef("pk"), adjusted_score__isnull=False)
        .order_by("-updated_at", "-pk")
        .values("adjusted_score")[:1]
    )
    return (
        Objective.objects.filter(_period_filter(cycle))
        .with_progress()
        .annotate(key_result_count=Count("key_results"), adjusted=Subquery(adjusted))
        .select_related("owner_unit", "year", "cycle")
        .prefetch_related("themes", Prefetch("contributes_to", Objective.objects.only("pk")))
        .order_by("pk")
    )


def key_results_for_csv(cycle: Cycle | None) -> QuerySet[KeyResult]:
    """Every key result of the chosen objectives, with what its status needs: one query."""
    return (
        KeyResult.objects.filter(_period_filter(cycle, "objective__"))
        .select_related("objective__owner_unit", "objective__year", "objective__cycle", "owner")
        .order_by("pk")
    )


def objective_rows(objectives: Iterable[Objective], dialect: Dialect) -> Iterable[list[str]]:
    cells = _Cells(dialect)
    for o in objectives:
        yield [
            str(o.pk),
            o.title,
            o.owner_unit.name,
            o.owner_unit.code,
            str(o.year.number),
            o.cycle.name if o.cycle else "",
            o.kind,
            o.status,
            o.visibility,
            LIST_SEPARATOR.join(t.name for t in o.themes.all()),
            LIST_SEPARATOR.join(str(t.pk) for t in o.contributes_to.all()),
            str(o.progress_percent),
            cells.number(o.score),
            cells.number(o.adjusted),  # type: ignore[attr-defined]
            str(o.key_result_count),  # type: ignore[attr-defined]
        ]


def key_result_rows(key_results: Iterable[KeyResult], dialect: Dialect) -> Iterable[list[str]]:
    cells = _Cells(dialect)
    for kr in key_results:
        objective = kr.objective
        last = kr.last_checkin_at
        yield [
            str(kr.pk),
            str(objective.pk),
            objective.title,
            objective.owner_unit.name,
            objective.owner_unit.code,
            str(objective.year.number),
            objective.cycle.name if objective.cycle else "",
            kr.title,
            kr.kind,
            cells.number(kr.start_value),
            cells.number(kr.target_value),
            cells.number(kr.current_value),
            kr.unit_of_measure,
            str(kr.weight),
            str(kr.percent),
            "" if kr.confidence is None else str(kr.confidence),
            kr.status,
            kr.owner.display_name if kr.owner else "",
            timezone.localdate(last).isoformat() if last else "",
        ]


def write_csv(
    out: Writable, header: list[str], rows: Iterable[list[str]], dialect: Dialect
) -> None:
    out.write(BOM)
    writer = csv_writer(out, delimiter=";" if dialect == Dialect.EXCEL else ",")
    writer.writerow(header)
    writer.writerows(rows)


def objectives_csv(out: Writable, *, cycle: Cycle | None, dialect: Dialect) -> None:
    write_csv(out, OBJECTIVE_COLUMNS, objective_rows(objectives_for_csv(cycle), dialect), dialect)


def key_results_csv(out: Writable, *, cycle: Cycle | None, dialect: Dialect) -> None:
    rows = key_result_rows(key_results_for_csv(cycle), dialect)
    write_csv(out, KEY_RESULT_COLUMNS, rows, dialect)
