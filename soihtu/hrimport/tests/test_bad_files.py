"""Every kind of bad file is refused with line-numbered errors, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from soihtu.conftest import World
from soihtu.hrimport import parse
from soihtu.hrimport.parse import HrFileError, split_name
from soihtu.hrimport.services import hr_import_run
from soihtu.hrimport.tests.files import (
    HEADER,
    WORLD_UNITS,
    code_the_world,
    csv_bytes,
    unit_rows,
    world_file,
    world_rows,
)
from soihtu.hrimport.tests.helpers import db_state

Row = list[str]
UNITS = unit_rows(WORLD_UNITS)  # lines 2–8
TEAM_A = ["TA", "Team A", "UA"]


def person(employee_id: str, name: str = "Maija Meikäläinen", email: str = "") -> Row:
    return [employee_id, name, email or f"{employee_id.lower()}@example.fi", *TEAM_A, "0"]


def with_rows(*rows: Row) -> bytes:
    return csv_bytes([*UNITS, *rows])  # the first extra row is on line 9


BAD_FILES: dict[str, tuple[Callable[[], bytes], list[tuple[int | None, str]]]] = {
    "missing column": (
        lambda: csv_bytes([["1", "A B", "a@example.fi", *TEAM_A]], header=HEADER[:-1]),
        [(1, "supervisor")],
    ),
    "no name column": (
        lambda: csv_bytes([], header=[c for c in HEADER if c != "name"]),
        [(1, "name")],
    ),
    "duplicate column": (
        lambda: csv_bytes([], header=[*HEADER, "email"]),
        [(1, "email")],
    ),
    "duplicate employee id": (
        lambda: with_rows(person("E10"), person("E10", email="other@example.fi")),
        [(10, "line 9")],
    ),
    "duplicate email in another case": (
        lambda: with_rows(person("E10", email="a@example.fi"), person("E11", email="A@Example.fi")),
        [(10, "line 9")],
    ),
    "invalid email": (lambda: with_rows(person("E10", email="not-an-address")), [(9, "email")]),
    "unit with two names": (
        lambda: with_rows(["E10", "A B", "a@example.fi", "TA", "Team Alpha", "UA", "0"]),
        [(9, "line 5")],
    ),
    "unit with two parents": (
        lambda: with_rows(["E10", "A B", "a@example.fi", "TA", "Team A", "D2", "0"]),
        [(9, "UA")],
    ),
    "unknown parent": (
        lambda: with_rows(["", "", "", "TX", "Team X", "NOPE", ""]),
        [(9, "NOPE")],
    ),
    "own parent": (
        lambda: with_rows(["", "", "", "TX", "Team X", "TX", ""]),
        [(9, "TX")],
    ),
    "loop of parents": (
        lambda: with_rows(["", "", "", "X1", "X 1", "X2", ""], ["", "", "", "X2", "X 2", "X1", ""]),
        [(9, "X1 → X2 → X1")],
    ),
    "two roots": (lambda: with_rows(["", "", "", "ORG2", "Toinen", "", ""]), [(9, "ORG")]),
    "no root": (
        lambda: csv_bytes(unit_rows([("A", "A", "B"), ("B", "B", "A")])),
        [(None, "parent_unit_code"), (2, "A → B → A")],
    ),
    "empty email": (lambda: with_rows(["E10", "A B", "", *TEAM_A, "0"]), [(9, "email")]),
    "empty name": (lambda: with_rows(["E10", "", "a@example.fi", *TEAM_A, "0"]), [(9, "name")]),
    "empty unit code": (
        lambda: with_rows(["E10", "A B", "a@example.fi", "", "Team A", "UA", "0"]),
        [(9, "unit_code")],
    ),
    "empty unit name": (
        lambda: with_rows(["E10", "A B", "a@example.fi", "TA", "", "UA", "0"]),
        [(9, "unit_name")],
    ),
    "name without employee id": (
        lambda: with_rows(["", "A B", "a@example.fi", *TEAM_A, "0"]),
        [(9, "employee id")],
    ),
    "too long unit name": (
        lambda: with_rows(["E10", "A B", "a@example.fi", "TA", "T" * 201, "UA", "0"]),
        [(9, "200")],
    ),
    "too long employee id": (lambda: with_rows(person("E" * 65)), [(9, "64")]),
    "too long last name": (lambda: with_rows(person("E10", name="A " + "B" * 151)), [(9, "150")]),
    "bad supervisor flag": (
        lambda: with_rows(["E10", "A B", "a@example.fi", *TEAM_A, "maybe"]),
        [(9, "maybe")],
    ),
    "wrong number of columns": (
        lambda: with_rows(["E10", "A B", "a@example.fi", *TEAM_A]),
        [(9, "6")],
    ),
    "empty file": (lambda: b"", [(None, "empty")]),
    "only a header": (lambda: csv_bytes([]), [(None, "no rows")]),
    "latin-1": (
        lambda: csv_bytes([*UNITS, person("E10")]).decode().encode("latin-1"),
        [(None, "UTF-8")],
    ),
    "utf-16": (
        lambda: csv_bytes([*UNITS, person("E10")]).decode().encode("utf-16"),
        [(None, "UTF-8")],
    ),
    "binary garbage": (lambda: bytes(range(256)) * 4, [(None, "UTF-8")]),
    "nul bytes": (lambda: b"employee_id\x00,name\n", [(None, "UTF-8")]),
}


@pytest.fixture
def coded(world: World) -> World:
    code_the_world(world)
    return world


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_refused_with_line_numbers_and_changes_nothing(coded: World, name: str) -> None:
    make, expected = BAD_FILES[name]
    before = db_state()

    with pytest.raises(HrFileError) as error:
        hr_import_run(data=make(), file_name="bad.csv", dry_run=False)

    problems = error.value.problems
    found = [(p.line, p.message) for p in problems]
    for line, text in expected:
        assert any(p_line == line and text in message for p_line, message in found), found
    assert db_state() == before


def test_unclosed_quote_names_the_line_it_reached(coded: World) -> None:
    data = with_rows(person("E10")) + b'E11,"A B,a@example.fi,TA,Team A,UA,0\r\n'

    with pytest.raises(HrFileError) as error:
        hr_import_run(data=data, file_name="bad.csv", dry_run=False)

    [problem] = error.value.problems
    assert problem.line == 10
    assert "quotation mark" in problem.message


def test_every_problem_is_found_and_the_list_is_capped(coded: World) -> None:
    rows = [person(f"E{i}", email="bad") for i in range(150)]
    with pytest.raises(HrFileError) as error:
        hr_import_run(data=with_rows(*rows), file_name="bad.csv", dry_run=False)

    assert len(error.value.problems) == 150
    assert len(error.value.listed) == 100
    assert error.value.not_listed == 50
    assert [p.line for p in error.value.listed[:3]] == [9, 10, 11]


def test_too_many_rows(coded: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_ROWS", 10)
    before = db_state()
    with pytest.raises(HrFileError) as error:
        hr_import_run(
            data=with_rows(*[person(f"E{i}") for i in range(5)]), file_name="x", dry_run=False
        )
    assert "10" in str(error.value.problems[0])
    assert db_state() == before


def test_too_large_file(coded: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_BYTES", 100)
    with pytest.raises(HrFileError) as error:
        hr_import_run(data=world_file(coded), file_name="x", dry_run=False)
    assert "MB" in str(error.value.problems[0])


def test_too_deep_tree(coded: World) -> None:
    chain = [(f"L{i}", f"Level {i}", f"L{i - 1}" if i else "ORG") for i in range(42)]
    with pytest.raises(HrFileError) as error:
        hr_import_run(
            data=csv_bytes(unit_rows([*WORLD_UNITS, *chain])), file_name="x", dry_run=False
        )
    [problem] = error.value.problems
    # L41 would be 42 levels below the organization: its path would not fit in 255 characters.
    assert problem.line == 2 + len(WORLD_UNITS) + 41


@pytest.mark.parametrize(
    ("variant", "make"),
    [
        ("semicolons", lambda rows: csv_bytes(rows, delimiter=";")),
        ("byte order mark", lambda rows: csv_bytes(rows, bom=True)),
        ("both", lambda rows: csv_bytes(rows, delimiter=";", bom=True)),
        ("crlf and blank lines", lambda rows: csv_bytes(rows).replace(b"\r\n", b"\r\n\r\n")),
    ],
)
def test_good_encodings_and_delimiters_are_read_alike(
    coded: World, variant: str, make: Callable[[list[Row]], bytes]
) -> None:
    result = hr_import_run(data=make(world_rows(coded)), file_name="x", dry_run=True)
    assert result.plan.diff.is_empty, variant


def test_first_and_last_name_columns_are_used_when_given(coded: World) -> None:
    header = [*HEADER, "first_name", "last_name"]
    rows = [[*row, "", ""] for row in world_rows(coded)]
    rows[-1][-2:] = ["Parent", "Supervisor"]
    rows[-1][1] = "ignored when the split columns are given"
    assert hr_import_run(
        data=csv_bytes(rows, header=header), file_name="x", dry_run=True
    ).plan.diff.is_empty


def test_quoted_values_may_span_lines_and_errors_name_the_first(coded: World) -> None:
    data = with_rows(
        ["E10", "A B", "a@example.fi", "TA", "Team\nA", "UA", "0"], person("E11", email="x")
    )
    with pytest.raises(HrFileError) as error:
        hr_import_run(data=data, file_name="x", dry_run=False)
    assert [p.line for p in error.value.problems] == [9, 11]


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Matti Virtanen", "Matti", "Virtanen"),
        ("Anna-Liisa Maria Virtanen", "Anna-Liisa Maria", "Virtanen"),
        ("Virtanen, Matti", "Matti", "Virtanen"),
        ("  von  Wright ,  Georg Henrik ", "Georg Henrik", "von Wright"),
        ("Madonna", "", "Madonna"),
    ],
)
def test_names_are_split_into_first_and_last(name: str, first: str, last: str) -> None:
    assert split_name(name) == (first, last)
