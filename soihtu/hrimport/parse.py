"""Reading an HR file: CSV bytes to units and people, with every problem and its line number.

Nothing here touches the database: the whole file is checked on its own first (see
docs/hr-import.md for the columns), then `plan` compares it with the organization.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.organization.models import PATH_STEP, Unit

if TYPE_CHECKING:
    from _csv import Reader

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_LISTED_ERRORS = 100

REQUIRED_COLUMNS = (
    "employee_id",
    "email",
    "unit_code",
    "unit_name",
    "parent_unit_code",
    "supervisor",
)
NAME_COLUMNS = ("name", "first_name", "last_name")
YES = frozenset({"1", "yes", "y", "true", "kyllä", "kylla", "k", "ja", "x"})
NO = frozenset({"", "0", "no", "n", "false", "ei", "e", "nej"})


def _max_length(model: type[User] | type[Unit], name: str) -> int:
    length = getattr(model._meta.get_field(name), "max_length", None)
    assert isinstance(length, int)
    return length


# A unit's materialized path holds PATH_STEP characters per level.
MAX_LEVELS = _max_length(Unit, "path") // PATH_STEP

MAX_LENGTHS = {
    "employee_id": _max_length(User, "employee_id"),
    "first_name": _max_length(User, "first_name"),
    "last_name": _max_length(User, "last_name"),
    "email": _max_length(User, "email"),
    "unit_code": _max_length(Unit, "code"),
    "unit_name": _max_length(Unit, "name"),
    "parent_unit_code": _max_length(Unit, "code"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, at a line (None: the file as a whole)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(error)s") % {"line": self.line, "error": self.message}


class HrFileError(Exception):
    """The file cannot be imported; `problems` lists why, by line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.message))
        super().__init__("; ".join(str(p) for p in self.problems[:3]))

    @property
    def listed(self) -> list[Problem]:
        return self.problems[:MAX_LISTED_ERRORS]

    @property
    def not_listed(self) -> int:
        return max(0, len(self.problems) - MAX_LISTED_ERRORS)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    parent_code: str
    line: int


@dataclass(frozen=True)
class PersonSpec:
    employee_id: str
    first_name: str
    last_name: str
    email: str
    unit_code: str
    supervisor: bool
    line: int

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class HrFile:
    """A valid file: its units (in file order, by code), the root's code, and its people."""

    units: dict[str, UnitSpec]
    root_code: str
    people: list[PersonSpec]
    children: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for spec in self.units.values():
            if spec.parent_code:
                self.children.setdefault(spec.parent_code, []).append(spec.code)


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without a byte order mark), or HrFileError."""
    if not data.strip():
        raise HrFileError([Problem(None, _("The file is empty."))])
    if len(data) > MAX_BYTES:
        raise HrFileError([Problem(None, too_large_message())])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HrFileError([Problem(None, not_utf8_message())]) from None
    if "\x00" in text:
        raise HrFileError([Problem(None, not_utf8_message())])
    return text


def too_large_message() -> str:
    return _("The file is larger than %(size)s MB. Split the organization or remove columns.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def not_utf8_message() -> str:
    return _(
        "The file is not UTF-8 encoded CSV text. In Excel choose “Save as” → “CSV UTF-8 "
        "(comma delimited)”, or save it as UTF-8 in another program, and upload it again."
    )


def parse(data: bytes) -> HrFile:
    """Decode and read the whole file; HrFileError lists every problem found."""
    return parse_text(decode(data))


def parse_text(text: str) -> HrFile:
    reader = _Reader(text)
    reader.read()
    return reader.result()


def split_name(name: str) -> tuple[str, str]:
    """“Last, First” or “First … Last” (the last word is the last name) as (first, last)."""
    if "," in name:
        last, _comma, first = name.partition(",")
        return " ".join(first.split()), " ".join(last.split())
    words = name.split()
    if len(words) < 2:  # one word is taken as the last name
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


def parse_flag(raw: str) -> bool | None:
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


class _Reader:
    """Reads the rows, collecting problems; the checks of the whole tree come at the end."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []
        self.units: dict[str, UnitSpec] = {}
        self.people: list[PersonSpec] = []
        self.by_employee_id: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.columns: dict[str, int] = {}

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(line, message))

    def read(self) -> None:
        first_line = self.text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=delimiter, strict=True)
        self.read_to = 0
        try:
            self._read_rows(reader)
        except csv.Error as error:
            self.add(self.read_to + 1, unreadable_message(str(error)))

    def _read_rows(self, reader: Reader) -> None:
        header = next(reader, None)
        if header is None or not self._header(header):
            return
        rows = 0
        self.read_to = reader.line_num
        for row in reader:
            line, self.read_to = self.read_to + 1, reader.line_num
            if not any(value.strip() for value in row):
                continue
            rows += 1
            if rows > MAX_ROWS:
                self.problems = [Problem(None, too_many_rows_message())]
                return
            if len(row) != len(self.columns_in_order):
                self.add(line, columns_count_message(len(self.columns_in_order), len(row)))
                continue
            self._row(line, {name: row[i].strip() for name, i in self.columns.items()})

    def _header(self, header: list[str]) -> bool:
        names = [name.strip().lower() for name in header]
        self.columns_in_order = names
        duplicates = sorted({n for n in names if n and names.count(n) > 1})
        if duplicates:
            self.add(
                1, _("the column %(columns)s appears twice") % {"columns": ", ".join(duplicates)}
            )
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        has_split_name = "first_name" in names and "last_name" in names
        if "name" not in names and not has_split_name:
            missing.append("name")
        if missing:
            self.add(1, missing_columns_message(missing))
        self.columns = {n: i for i, n in enumerate(names) if n in REQUIRED_COLUMNS + NAME_COLUMNS}
        return not (missing or duplicates)

    def _row(self, line: int, row: dict[str, str]) -> None:
        for name, limit in MAX_LENGTHS.items():
            if len(row.get(name, "")) > limit:
                self.add(line, too_long_message(name, limit))
                return
        unit = self._unit(line, row)
        if row["employee_id"]:
            self._person(line, row, unit)
        elif any(row.get(n) for n in (*NAME_COLUMNS, "email")) or parse_flag(row["supervisor"]):
            self.add(line, _("the employee id is empty (a row without one only defines a unit)"))

    def _unit(self, line: int, row: dict[str, str]) -> UnitSpec | None:
        code, name, parent = row["unit_code"], row["unit_name"], row["parent_unit_code"]
        if not code or not name:
            self.add(line, empty_message("unit_code" if not code else "unit_name"))
            return None
        known = self.units.get(code)
        if known is None:
            self.units[code] = known = UnitSpec(code=code, name=name, parent_code=parent, line=line)
        elif known.name != name:
            self.add(line, unit_conflict_message(code, "unit_name", known.name, known.line))
        elif known.parent_code != parent:
            self.add(
                line,
                unit_conflict_message(code, "parent_unit_code", known.parent_code, known.line),
            )
        if parent == code:
            self.add(line, _("the unit %(code)s is its own parent unit") % {"code": code})
        return known

    def _person(self, line: int, row: dict[str, str], unit: UnitSpec | None) -> None:
        employee_id, email = row["employee_id"], row["email"]
        first, last = row.get("first_name", ""), row.get("last_name", "")
        if not (first or last):
            first, last = split_name(row.get("name", ""))
        supervisor = parse_flag(row["supervisor"])
        errors = [
            self._duplicate(self.by_employee_id, employee_id, line, "employee_id"),
            self._email(line, email),
            None if last or first else empty_message("name"),
            None if supervisor is not None else supervisor_message(row["supervisor"]),
            *(
                too_long_message(column, MAX_LENGTHS[column])
                for column, value in (("first_name", first), ("last_name", last))
                if len(value) > MAX_LENGTHS[column]
            ),
        ]
        for error in errors:
            if error:
                self.add(line, error)
        if unit is None or any(errors):
            return
        self.people.append(
            PersonSpec(
                employee_id=employee_id,
                first_name=first,
                last_name=last,
                email=email,
                unit_code=unit.code,
                supervisor=bool(supervisor),
                line=line,
            )
        )

    def _email(self, line: int, email: str) -> str | None:
        if not email:
            return empty_message("email")
        try:
            validate_email(email)
        except ValidationError:
            return _("“%(email)s” is not a valid email address") % {"email": email}
        return self._duplicate(self.by_email, email.lower(), line, "email")

    @staticmethod
    def _duplicate(seen: dict[str, int], value: str, line: int, column: str) -> str | None:
        if value in seen:
            return duplicate_message(column, value, seen[value])
        seen[value] = line
        return None

    def result(self) -> HrFile:
        if not self.problems:
            self._check_tree()
        if not self.problems and not self.units:
            self.add(None, _("The file has no rows."))
        if self.problems:
            raise HrFileError(self.problems)
        root = next(u for u in self.units.values() if not u.parent_code)
        return HrFile(units=self.units, root_code=root.code, people=self.people)

    def _check_tree(self) -> None:
        roots = [u for u in self.units.values() if not u.parent_code]
        if not roots and self.units:
            self.add(None, no_root_message())
        for extra in roots[1:]:
            self.add(extra.line, second_root_message(extra.code, roots[0].code, roots[0].line))
        unknown = [
            u for u in self.units.values() if u.parent_code and u.parent_code not in self.units
        ]
        for unit in unknown:
            self.add(unit.line, unknown_parent_message(unit.parent_code))
        if not unknown:
            self._check_chains()

    def _check_chains(self) -> None:
        """Every unit reaches the root, without loops and within MAX_LEVELS levels."""
        depth: dict[str, int] = {}
        broken: set[str] = set()
        for start in self.units:
            chain: list[str] = []
            code = start
            while code and code not in depth and code not in broken and code not in chain:
                chain.append(code)
                code = self.units[code].parent_code
            if code in chain:
                loop = chain[chain.index(code) :]
                line = min(self.units[c].line for c in loop)
                self.add(line, loop_message([*loop, code]))
            if code in chain or code in broken:
                broken.update(chain)
                continue
            base = depth[code] if code else -1
            for offset, item in enumerate(reversed(chain), start=1):
                depth[item] = base + offset
                if depth[item] == MAX_LEVELS:
                    self.add(self.units[item].line, too_deep_message())


def unreadable_message(error: str) -> str:
    return _(
        "the CSV cannot be read from this line on (%(error)s): is a quotation mark left open?"
    ) % {"error": error}


def columns_count_message(expected: int, found: int) -> str:
    return _("the row has %(found)s columns, the header %(expected)s") % {
        "found": found,
        "expected": expected,
    }


def missing_columns_message(missing: list[str]) -> str:
    return _(
        "the header row lacks the columns %(columns)s (a name column can be name, or "
        "first_name and last_name)"
    ) % {"columns": ", ".join(missing)}


def too_many_rows_message() -> str:
    return _("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS}


def too_long_message(column: str, limit: int) -> str:
    return _("%(column)s is longer than %(limit)s characters") % {"column": column, "limit": limit}


def empty_message(column: str) -> str:
    return _("%(column)s is empty") % {"column": column}


def supervisor_message(value: str) -> str:
    return _("supervisor must be 1 or 0 (yes/no, kyllä/ei, true/false), not “%(value)s”") % {
        "value": value
    }


def duplicate_message(column: str, value: str, line: int) -> str:
    return _("%(column)s “%(value)s” is already on line %(line)s") % {
        "column": column,
        "value": value,
        "line": line,
    }


def unit_conflict_message(code: str, column: str, first: str, line: int) -> str:
    return _("the unit %(code)s has a different %(column)s on line %(line)s (“%(first)s”)") % {
        "code": code,
        "column": column,
        "line": line,
        "first": first,
    }


def no_root_message() -> str:
    return _(
        "No unit has an empty parent_unit_code: the organization itself must be the one unit "
        "without a parent."
    )


def second_root_message(code: str, root: str, line: int) -> str:
    return _(
        "the unit %(code)s has no parent unit, but the organization is already %(root)s "
        "(line %(line)s): only one unit may be without a parent"
    ) % {"code": code, "root": root, "line": line}


def unknown_parent_message(code: str) -> str:
    return _("the parent unit code %(code)s is not a unit of the file") % {"code": code}


def loop_message(codes: list[str]) -> str:
    return _("the parent units form a loop: %(chain)s") % {"chain": " → ".join(codes)}


def too_deep_message() -> str:
    return _("the unit is more than %(levels)s levels below the organization") % {
        "levels": MAX_LEVELS - 1
    }
