"""What importing an upload would create, worked out without writing anything.

The preview shows a Plan and the import carries out the same Plan, rebuilt from the stored file:
objectives with their key results, contribution links and first check-ins, the objectives that
are already in Soihtu (skipped), and every row or column that cannot be imported, with the
reason and the row number as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.cycles.models import Cycle, Period, Year
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.vivagoals import parse
from soihtu.vivagoals.models import VivaUpload
from soihtu.vivagoals.parse import Field, RowKind, Status
from soihtu.vivagoals.planned import (
    Column,
    Issue,
    Plan,
    PlannedCheckIn,
    PlannedKeyResult,
    PlannedObjective,
    SkippedObjective,
    cycle_id,
    period_label,
)

MILESTONE_DONE = Decimal(1)


@dataclass
class _Item:
    """One readable row of the file."""

    row: int
    kind: RowKind
    title: str
    cells: dict[str, str]

    def cell(self, name: str) -> str:
        return self.cells.get(name, "")


class _Parent(Enum):
    NONE = "none"
    MISSING = "missing"
    AMBIGUOUS = "ambiguous"
    LOOP = "loop"


type _Found = tuple[_Item | None, _Parent]


@dataclass
class _Target:
    """The fallback unit and period chosen on the mapping page."""

    unit: Unit
    year: Year
    cycle: Cycle | None


class _Lookups:
    """What the plan reads from the database, each in one query."""

    def __init__(self, items: list[_Item]) -> None:
        self.units: dict[str, list[Unit]] = {}
        for unit in Unit.objects.all():
            self.units.setdefault(unit.name.strip().casefold(), []).append(unit)
        self.years = {y.number: y for y in Year.objects.all()}
        self.cycles = list(Cycle.objects.select_related("year"))
        self.cycle_names: dict[str, Cycle] = {}
        for cycle in self.cycles:
            for alias in (f"{cycle.year.number} {cycle.name}", f"{cycle.name} {cycle.year.number}"):
                self.cycle_names[" ".join(alias.casefold().split())] = cycle
        emails = {
            owner.casefold()
            for item in items
            for owner in parse.split_owners(item.cell(Field.OWNER))
            if "@" in owner
        }
        self.people: dict[str, list[User]] = {}
        people = User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails, is_active=True, anonymized_at__isnull=True
        )
        for person in people if emails else []:
            self.people.setdefault(person.email.casefold(), []).append(person)
        titles = {i.cell(Field.PARENT).casefold() for i in items if i.cell(Field.PARENT)}
        self.existing_by_title: dict[str, list[Objective]] = {}
        found = Objective.objects.annotate(t=Lower("title")).filter(t__in=titles)
        for objective in found if titles else []:
            self.existing_by_title.setdefault(objective.title.casefold(), []).append(objective)


def _overlap(span: parse.PeriodSpan, period: Period) -> int:
    first = max(span.starts_on, period.starts_on)
    last = min(span.ends_on, period.ends_on)
    return max((last - first).days + 1, 0)


class _Planner:
    """Works out a Plan: one instance per build, holding the rows and what they resolve to."""

    def __init__(self, upload: VivaUpload, table: parse.Table, today: datetime.date) -> None:
        assert upload.unit is not None
        assert upload.year is not None
        self.upload = upload
        self.table = table
        self.today = today
        self.target = _Target(upload.unit, upload.year, upload.cycle)
        self.index: dict[str, int] = {}
        for position, name in enumerate(upload.columns):
            if name != Field.IGNORE and name not in self.index and position < len(table.headers):
                self.index[name] = position
        self.problems: list[Issue] = []
        self.notes: list[Issue] = []
        self.items: list[_Item] = []
        self.by_id: dict[str, _Item] = {}
        self.by_title: dict[str, list[_Item]] = {}
        self.above: dict[int, _Found] = {}
        self.planned: dict[int, PlannedObjective | SkippedObjective | None] = {}
        self.read_rows()
        self.db = _Lookups(self.items)

    def problem(self, row: int | None, message: str) -> None:
        self.problems.append(Issue(row, message))

    def note(self, row: int | None, message: str) -> None:
        self.notes.append(Issue(row, message))

    # -- rows -------------------------------------------------------------------------------

    def read_rows(self) -> None:
        for row in self.table.rows:
            cells = {name: row.cells[i] for name, i in self.index.items()}
            if row.overflow:
                self.note(
                    row.number,
                    _("More cells than the file has columns: the extra cells are ignored."),
                )
            item = self._item(row.number, cells)
            if item is not None:
                self.items.append(item)

    def _item(self, number: int, cells: dict[str, str]) -> _Item | None:
        title = cells.get(Field.TITLE, "")
        raw_kind = cells.get(Field.TYPE, "")
        kind = parse.row_kind(raw_kind)
        if not title:
            self.problem(number, _("No title."))
            return None
        if not raw_kind:
            self.problem(number, _("No type: the row must say objective or key result."))
            return None
        if kind is None:
            self.problem(
                number,
                _("Type “%(type)s” is neither an objective nor a key result.") % {"type": raw_kind},
            )
            return None
        viva_id = cells.get(Field.ID, "")
        if viva_id and viva_id in self.by_id:
            self.problem(
                number,
                _("The same ID as row %(row)s: skipped as a duplicate.")
                % {"row": self.by_id[viva_id].row},
            )
            return None
        if len(title) > TITLE_MAX:
            self.note(number, _("The title is shortened to %(n)s characters.") % {"n": TITLE_MAX})
            title = title[:TITLE_MAX]
        item = _Item(number, kind, title, cells)
        if viva_id:
            self.by_id[viva_id] = item
        self.by_title.setdefault(title.casefold(), []).append(item)
        if kind == RowKind.INITIATIVE:
            self.problem(
                number,
                _(
                    "Initiatives and projects are not imported: Soihtu has objectives and key "
                    "results only."
                ),
            )
        return item

    # -- parents ----------------------------------------------------------------------------

    def parent(self, item: _Item) -> _Found:
        """The row named in the parent cell: by ID first, then by title (an objective when
        several rows share the title)."""
        ref = item.cell(Field.PARENT)
        if not ref:
            return None, _Parent.NONE
        if ref in self.by_id and self.by_id[ref] is not item:
            return self.by_id[ref], _Parent.NONE
        found = [c for c in self.by_title.get(ref.casefold(), []) if c is not item]
        if len(found) > 1:
            found = [c for c in found if c.kind == RowKind.OBJECTIVE]
        if len(found) == 1:
            return found[0], _Parent.NONE
        return None, _Parent.AMBIGUOUS if found else _Parent.MISSING

    def objective_above(self, item: _Item) -> _Found:
        """The nearest objective up the parent chain (Viva Goals nests key results and
        initiatives, Soihtu does not)."""
        if item.row in self.above:
            return self.above[item.row]
        seen = {item.row}
        current = item
        while True:
            parent, why = self.parent(current)
            if parent is None:
                found: _Found = (None, why)
                break
            if parent.row in seen:
                found = (None, _Parent.LOOP)
                break
            if parent.kind == RowKind.OBJECTIVE:
                found = (parent, _Parent.NONE)
                break
            seen.add(parent.row)
            current = parent
        self.above[item.row] = found
        return found

    def parent_reason(self, item: _Item, why: _Parent) -> str:
        ref = item.cell(Field.PARENT)
        if why == _Parent.LOOP:
            return _("The parents in the file form a loop.")
        if why == _Parent.AMBIGUOUS:
            return _("Parent “%(parent)s” matches several rows.") % {"parent": ref}
        return _("Parent “%(parent)s” is not in the file.") % {"parent": ref}

    # -- the plan ---------------------------------------------------------------------------

    def build(self) -> Plan:
        objectives = [i for i in self.items if i.kind == RowKind.OBJECTIVE]
        owner_or_values = {Field.OWNER, Field.START, Field.TARGET, Field.CURRENT}
        for item in objectives:
            self.planned[item.row] = self.objective(item)
        self.skip_existing()
        for item in objectives:
            self.link(item)
        self.break_loops()
        for item in self.items:
            if item.kind == RowKind.KEY_RESULT:
                self.key_result(item)
        if any(item.cell(f) for item in objectives for f in owner_or_values):
            self.note(
                None,
                _(
                    "The owners and values of objective rows are not imported: in Soihtu an "
                    "objective belongs to a unit, and its progress comes from its key results."
                ),
            )
        columns = [
            Column(header or _("Column %(n)s") % {"n": i + 1}, name)
            for i, (header, name) in enumerate(
                zip(self.table.headers, self.upload.columns, strict=False)
            )
        ]
        key = _issue_order
        return Plan(
            columns=columns,
            objectives=[p for p in self.planned.values() if isinstance(p, PlannedObjective)],
            skipped=[p for p in self.planned.values() if isinstance(p, SkippedObjective)],
            problems=sorted(self.problems, key=key),
            notes=sorted(self.notes, key=key),
        )

    # -- objectives -------------------------------------------------------------------------

    def objective(self, item: _Item) -> PlannedObjective | None:
        unit = self.unit_for(item)
        period = self.period_for(item, unit)
        if period is None:
            return None
        description = item.cell(Field.DESCRIPTION)
        if len(description) > TEXT_MAX:
            self.note(
                item.row, _("The description is shortened to %(n)s characters.") % {"n": TEXT_MAX}
            )
        return PlannedObjective(
            row=item.row,
            title=item.title,
            description=description[:TEXT_MAX],
            unit=unit,
            year=period[0],
            cycle=period[1],
            status=self.objective_status(item),
        )

    def unit_for(self, item: _Item) -> Unit:
        name = item.cell(Field.TEAM)
        if not name:
            return self.target.unit
        found = self.db.units.get(name.casefold(), [])
        if len(found) == 1:
            return found[0]
        message = (
            _("Several units are called “%(team)s”: the objective goes to %(unit)s.")
            if found
            else _("Team “%(team)s” is not a unit in Soihtu: the objective goes to %(unit)s.")
        )
        self.note(item.row, message % {"team": name, "unit": self.target.unit.name})
        return self.target.unit

    def period_for(self, item: _Item, unit: Unit) -> tuple[Year, Cycle | None] | None:
        raw = item.cell(Field.PERIOD)
        found = self.match_period(raw) if raw else None
        fallback = (self.target.year, self.target.cycle)
        if raw and found is None:
            self.note(
                item.row,
                _("Time period “%(period)s” is not a Soihtu cycle or year: %(used)s is used.")
                % {"period": raw, "used": period_label(*fallback)},
            )
        year, cycle = found or fallback
        if cycle is None and unit.is_team:
            if self.target.cycle is None:
                self.problem(
                    item.row,
                    _(
                        "A team's objective belongs to a cycle: choose a cycle, not a year, for "
                        "the rows whose time period does not match."
                    ),
                )
                return None
            if found is not None:
                self.note(
                    item.row,
                    _("A team's objective belongs to a cycle: %(used)s is used.")
                    % {"used": period_label(*fallback)},
                )
            year, cycle = fallback
        return year, cycle

    def match_period(self, raw: str) -> tuple[Year, Cycle | None] | None:
        """A cycle named like the period ("2026 T3"), else the cycle covering most of the
        period's dates (at least half of them), else the year."""
        named = self.db.cycle_names.get(" ".join(raw.casefold().split()))
        if named is not None:
            return named.year, named
        span = parse.parse_period(raw)
        if span is None:
            return None
        if span.year is not None:
            year = self.db.years.get(span.year)
            return (year, None) if year is not None else None
        length = (span.ends_on - span.starts_on).days + 1
        best = max(self.db.cycles, key=lambda c: _overlap(span, c), default=None)
        if best is not None and _overlap(span, best) * 2 >= length:
            return best.year, best
        for year in self.db.years.values():
            if _overlap(span, year) * 2 >= length:
                return year, None
        return None

    def objective_status(self, item: _Item) -> str:
        raw = item.cell(Field.STATUS)
        status = parse.status_of(raw)
        if raw and status is None:
            self.note(
                item.row,
                _("Status “%(status)s” is not known: imported as active.") % {"status": raw},
            )
        if status == Status.COMPLETED:
            return Objective.Status.COMPLETED
        if status == Status.CANCELLED:
            return Objective.Status.CANCELLED
        return Objective.Status.ACTIVE

    def skip_existing(self) -> None:
        """Objectives whose unit already has one with the same title in the same period are
        not imported again (importing a file twice creates nothing the second time)."""
        planned = [p for p in self.planned.values() if isinstance(p, PlannedObjective)]
        if not planned:
            return
        existing: dict[tuple[int, int, int | None, str], Objective] = {}
        for objective in Objective.objects.filter(
            owner_unit__in={p.unit.pk for p in planned}, year__in={p.year.pk for p in planned}
        ).order_by("id"):
            key = (objective.owner_unit_id, objective.year_id, objective.cycle_id)
            existing.setdefault((*key, objective.title.casefold()), objective)
        for p in planned:
            found = existing.get((p.unit.pk, p.year.pk, cycle_id(p), p.title.casefold()))
            if found is not None:
                self.planned[p.row] = SkippedObjective(p.row, p.title, found)

    def link(self, item: _Item) -> None:
        """The contribution link of an objective to the objective above it in the file, or to
        one already in Soihtu with the parent's title in the same year."""
        planned = self.planned.get(item.row)
        if not isinstance(planned, PlannedObjective):
            return
        parent, why = self.objective_above(item)
        if why == _Parent.NONE and parent is None:
            return
        if parent is None:
            if why == _Parent.MISSING and self.link_existing(item, planned):
                return
            self.note(
                item.row,
                self.parent_reason(item, why) + " " + _("Imported without a contribution link."),
            )
            return
        target = self.planned.get(parent.row)
        if target is None:
            reason = _("Its parent (row %(row)s) is not imported.") % {"row": parent.row}
        elif _year_of(target) != planned.year.pk:
            reason = _("Its parent (row %(row)s) is in another year.") % {"row": parent.row}
        else:
            planned.parent_title = target.title
            if isinstance(target, SkippedObjective):
                planned.parent_existing = target.existing
            else:
                planned.parent_row = target.row
            return
        self.note(item.row, reason + " " + _("Imported without a contribution link."))

    def break_loops(self) -> None:
        """Objectives whose parents lead back to themselves keep all links but the one that
        closes the loop."""
        planned = {r: p for r, p in self.planned.items() if isinstance(p, PlannedObjective)}
        done: set[int] = set()
        for start in planned.values():
            path: list[PlannedObjective] = []
            on_path: set[int] = set()
            current: PlannedObjective | None = start
            while current is not None and current.row not in done:
                if current.row in on_path:
                    path[-1].parent_row, path[-1].parent_title = None, ""
                    self.note(
                        path[-1].row,
                        _("The parents in the file form a loop.")
                        + " "
                        + _("Imported without a contribution link."),
                    )
                    break
                path.append(current)
                on_path.add(current.row)
                current = planned.get(current.parent_row) if current.parent_row else None
            done |= on_path

    def link_existing(self, item: _Item, planned: PlannedObjective) -> bool:
        title = item.cell(Field.PARENT).casefold()
        found = [
            o
            for o in self.db.existing_by_title.get(title, [])
            if o.year_id == planned.year.pk and o.status != Objective.Status.CANCELLED
        ]
        if len(found) != 1:
            return False
        planned.parent_existing = found[0]
        planned.parent_title = found[0].title
        return True

    # -- key results ------------------------------------------------------------------------

    def key_result(self, item: _Item) -> None:
        objective_item, why = self.objective_above(item)
        if objective_item is None:
            reason = (
                _("A key result needs a parent objective; this row has none.")
                if why == _Parent.NONE
                else self.parent_reason(item, why)
            )
            self.problem(item.row, reason)
            return
        target = self.planned.get(objective_item.row)
        if target is None:
            self.problem(
                item.row,
                _("Its objective (row %(row)s) is not imported.") % {"row": objective_item.row},
            )
            return
        if isinstance(target, SkippedObjective):
            target.key_results += 1
            return
        planned = self.key_result_values(item, target)
        if planned is None:
            return
        direct, _why = self.parent(item)
        if direct is not None and direct is not objective_item:
            self.note(
                item.row,
                _("Under “%(parent)s” in Viva Goals: added to its objective “%(objective)s”.")
                % {"parent": direct.title, "objective": target.title},
            )
        target.key_results.append(planned)

    def number(self, item: _Item, name: Field, *, required: bool) -> tuple[bool, Decimal | None]:
        """(readable, value) of a number cell; a problem when `required`, else a note."""
        raw = item.cell(name)
        try:
            return True, parse.parse_number(raw, self.upload.delimiter)
        except ValueError as error:
            message = (
                _("%(column)s “%(value)s” is too large.")
                if isinstance(error, parse.TooLargeError)
                else _("%(column)s “%(value)s” is not a number.")
            ) % {"column": Field(name).label, "value": raw}
            if required:
                self.problem(item.row, message)
            else:
                self.note(item.row, message + " " + _("No check-in is recorded."))
            return False, None

    def key_result_values(
        self, item: _Item, objective: PlannedObjective
    ) -> PlannedKeyResult | None:
        ok_start, start = self.number(item, Field.START, required=True)
        ok_target, target = self.number(item, Field.TARGET, required=True)
        if not ok_start or not ok_target:
            return None
        _ok, current = self.number(item, Field.CURRENT, required=False)
        progress = self.progress(item)
        status = self.kr_status(item)
        milestone, unit = parse.unit_of_measure(item.cell(Field.UNIT_OF_MEASURE))
        value: Decimal | None
        from_progress = False
        if milestone or (start is None and target is None):
            value = _milestone_value(current, progress, status, done_at=target)
            kind, start, target, unit = KeyResult.Kind.MILESTONE, Decimal(0), MILESTONE_DONE, ""
        elif target is None:
            self.problem(item.row, _("No target value."))
            return None
        else:
            start = start or Decimal(0)
            if target == start:
                self.problem(
                    item.row,
                    _("The start and target values are the same: there is nothing to measure."),
                )
                return None
            kind = KeyResult.Kind.INCREASE if target > start else KeyResult.Kind.DECREASE
            value = current
            if value is None and progress is not None:
                value = (start + (target - start) * progress / 100).quantize(Decimal("0.0001"))
                from_progress = True
        return PlannedKeyResult(
            row=item.row,
            title=item.title,
            kind=kind,
            start_value=start,
            target_value=target,
            unit_of_measure=unit,
            owner=self.owner(item),
            checkin=self.checkin(item, objective, value, status, from_progress),
        )

    def progress(self, item: _Item) -> Decimal | None:
        raw = item.cell(Field.PROGRESS)
        try:
            return parse.parse_percent(raw, self.upload.delimiter)
        except ValueError:
            self.note(
                item.row,
                _("Progress “%(value)s” is not a number: it is not used.") % {"value": raw},
            )
            return None

    def kr_status(self, item: _Item) -> Status | None:
        raw = item.cell(Field.STATUS)
        status = parse.status_of(raw)
        if raw and status is None:
            self.note(
                item.row,
                _("Status “%(status)s” is not known: the check-in's confidence is %(n)s.")
                % {"status": raw, "n": parse.DEFAULT_CONFIDENCE},
            )
        return status

    def checkin(
        self,
        item: _Item,
        objective: PlannedObjective,
        value: Decimal | None,
        status: Status | None,
        from_progress: bool,
    ) -> PlannedCheckIn | None:
        """The current value as a first check-in, dated today or the period's last day."""
        if value is None:
            return None
        period: Period = objective.cycle or objective.year
        measured_on = min(self.today, period.ends_on)
        if measured_on < period.starts_on:
            self.note(
                item.row,
                _("The period has not begun: the current value is not recorded as a check-in."),
            )
            return None
        confidence = parse.CONFIDENCE[status] if status else parse.DEFAULT_CONFIDENCE
        return PlannedCheckIn(value, confidence, measured_on, from_progress)

    def owner(self, item: _Item) -> User | None:
        """The first owner who is a person in Soihtu, by e-mail; the others are noted."""
        owner: User | None = None
        for name in dict.fromkeys(parse.split_owners(item.cell(Field.OWNER))):
            found = self.db.people.get(name.casefold(), [])
            if len(found) == 1 and owner in (None, found[0]):
                owner = found[0]
            elif len(found) == 1:
                self.note(
                    item.row,
                    _("A key result has one owner: %(owner)s is not imported as its owner.")
                    % {"owner": name},
                )
            elif len(found) > 1:
                self.note(
                    item.row,
                    _("Several people have the e-mail address %(owner)s: no owner is set.")
                    % {"owner": name},
                )
            elif "@" not in name:
                self.note(
                    item.row,
                    _("Owner “%(owner)s” is not an e-mail address: no owner is set.")
                    % {"owner": name},
                )
            else:
                self.note(
                    item.row,
                    _("No one in Soihtu has the e-mail address %(owner)s: no owner is set.")
                    % {"owner": name},
                )
        return owner


def _year_of(target: PlannedObjective | SkippedObjective) -> int:
    if isinstance(target, SkippedObjective):
        return target.existing.year_id
    return target.year.pk


def _milestone_value(
    current: Decimal | None,
    progress: Decimal | None,
    status: Status | None,
    *,
    done_at: Decimal | None,
) -> Decimal | None:
    """Done (1) or not done (0) from whatever the row tells; None when it tells nothing."""
    if current is None and progress is None and status is None:
        return None
    done = (
        (progress is not None and progress >= 100)
        or status == Status.COMPLETED
        or (current is not None and current >= (done_at or MILESTONE_DONE))
    )
    return MILESTONE_DONE if done else Decimal(0)


def _issue_order(issue: Issue) -> tuple[int, int]:
    return (0, 0) if issue.row is None else (1, issue.row)


def build_plan(upload: VivaUpload, today: datetime.date | None = None) -> Plan:
    """The plan for an upload whose mapping has been chosen (reads, never writes)."""
    table = parse.read_table(upload.content, upload.delimiter)
    return _Planner(upload, table, today or timezone.localdate()).build()
