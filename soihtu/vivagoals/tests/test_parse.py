"""Reading the file without a database: encodings, delimiters, headers and cell values."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from soihtu.vivagoals import parse
from soihtu.vivagoals.parse import Field, ImportFileError, RowKind, Status

FILES = Path(__file__).parent / "files"


def table_of(name: str) -> parse.Table:
    text = parse.decode((FILES / name).read_bytes())
    return parse.read_table(text, parse.detect_delimiter(text))


def mapped(name: str) -> dict[str, str]:
    """Header -> field of a sample file, as matched automatically."""
    table = table_of(name)
    return dict(zip(table.headers, parse.match_headers(table.headers), strict=True))


# -- encodings ------------------------------------------------------------------------------


def test_utf8_with_and_without_byte_order_mark_read_alike() -> None:
    text = "Title,Type\nPalvelu är bättre,Objective\n"
    assert parse.decode(text.encode()) == text
    assert parse.decode(b"\xef\xbb\xbf" + text.encode()) == text


def test_utf16_with_byte_order_mark_is_read() -> None:
    text = "Title\tType\nTiedon laatu\tObjective\n"
    assert parse.decode(text.encode("utf-16")) == text
    assert parse.decode(b"\xfe\xff" + text.encode("utf-16-be")) == text


def test_latin1_is_refused_with_a_hint() -> None:
    with pytest.raises(ImportFileError, match="not UTF-8 text"):
        parse.decode("Title\nPäätös\n".encode("latin-1"))


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # an image
        b"PK\x03\x04\x14\x00\x06\x00",  # an .xlsx is a zip file
        b"Title,Type\n\x00\x00\x00",  # ASCII with NUL bytes
    ],
)
def test_binary_files_are_refused(raw: bytes) -> None:
    with pytest.raises(ImportFileError):
        parse.decode(raw)


def test_broken_utf16_is_refused() -> None:
    with pytest.raises(ImportFileError, match="UTF-16"):
        parse.decode(b"\xff\xfeT\x00\x00\xd8")


# -- delimiters and rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("Title,Type,Parent", ","),
        ("Title;Type;Parent", ";"),
        ("Title\tType\tParent", "\t"),
        ('"Title; with a semicolon",Type,Parent', ","),
        ("Title", ","),
    ],
)
def test_delimiter_is_the_one_splitting_the_header_most(header: str, delimiter: str) -> None:
    assert parse.detect_delimiter(f"\n{header}\nA,B,C\n") == delimiter


def test_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    text = 'Title,Type\nA,Objective\n\n"Two\nlines",Objective\nC,Objective,extra\nD\n'
    table = parse.read_table(text, ",")
    assert [r.number for r in table.rows] == [2, 4, 5, 6]
    assert table.rows[1].cells == ("Two\nlines", "Objective")
    assert table.rows[2].overflow
    assert table.rows[3].cells == ("D", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (",,\n", "empty"),
        ("Title,Type\n", "no data rows"),
        ("Title,Type\n,\n", "no data rows"),
    ],
)
def test_files_without_rows_are_refused(text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse.read_table(text, ",")


def test_more_rows_than_the_limit_are_refused() -> None:
    text = "Title,Type\n" + "A,Objective\n" * (parse.MAX_ROWS + 1)
    with pytest.raises(ImportFileError, match="more than 10"):
        parse.read_table(text, ",")
    assert len(parse.read_table(text[: -len("A,Objective\n")], ",").rows) == parse.MAX_ROWS


def test_more_columns_than_the_limit_are_refused() -> None:
    text = ",".join(f"c{i}" for i in range(parse.MAX_COLUMNS + 1)) + "\n1\n"
    with pytest.raises(ImportFileError, match="columns"):
        parse.read_table(text, ",")


# -- headers of the sample files ------------------------------------------------------------


def test_minimal_file_maps_every_column() -> None:
    assert mapped("minimal.csv") == {
        "Title": Field.TITLE,
        "Type": Field.TYPE,
        "Parent": Field.PARENT,
        "Target": Field.TARGET,
    }


def test_full_export_maps_all_but_last_updated() -> None:
    assert mapped("full_export.csv") == {
        "ID": Field.ID,
        "Title": Field.TITLE,
        "Type": Field.TYPE,
        "Parent ID": Field.PARENT,
        "Owner Email": Field.OWNER,
        "Team": Field.TEAM,
        "Time Period": Field.PERIOD,
        "Start Value": Field.START,
        "Target Value": Field.TARGET,
        "Current Value": Field.CURRENT,
        "Progress": Field.PROGRESS,
        "Status": Field.STATUS,
        "Metric Type": Field.UNIT_OF_MEASURE,
        "Description": Field.DESCRIPTION,
        "Last Updated": Field.IGNORE,
    }


def test_semicolon_file_maps_other_spellings_and_leaves_unknown_columns() -> None:
    assert mapped("semicolon_bom.csv") == {
        "Name": Field.TITLE,
        "Object type": Field.TYPE,
        "Aligned to": Field.PARENT,
        "Owner e-mail": Field.OWNER,
        "Team name": Field.TEAM,
        "Period": Field.PERIOD,
        "Baseline": Field.START,
        "Target value": Field.TARGET,
        "Latest value": Field.IGNORE,
        "Health": Field.STATUS,
        "Unit": Field.UNIT_OF_MEASURE,
        "Strategic pillar": Field.IGNORE,
    }


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("OWNER_EMAIL", Field.OWNER),
        ("Owner E-Mail", Field.OWNER),
        ("Progress (%)", Field.PROGRESS),
        ("  time   period ", Field.PERIOD),
        ("Nimi", Field.TITLE),
        ("Lähtöarvo", Field.START),
        ("Målvärde", Field.TARGET),
        ("Ägare", Field.OWNER),
        ("Start date", Field.IGNORE),
    ],
)
def test_headers_match_whatever_their_spelling(header: str, field: str) -> None:
    assert parse.match_headers((header,)) == [field]


def test_second_column_for_the_same_field_is_left_unmapped() -> None:
    assert parse.match_headers(("Title", "Name", "Owner", "Owners")) == [
        Field.TITLE,
        Field.IGNORE,
        Field.OWNER,
        Field.IGNORE,
    ]


# -- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "delimiter", "value"),
    [
        ("", ",", None),
        ("  ", ",", None),
        ("12", ",", "12"),
        ("-3", ";", "-3"),
        ("12,5", ";", "12.5"),
        ("12,5", ",", "12.5"),
        ("1,234", ",", "1234"),
        ("1,234", ";", "1.234"),
        ("1,234.5", ",", "1234.5"),
        ("1.234,5", ";", "1234.5"),
        ("1\u00a0234,5", ";", "1234.5"),
        ("45 %", ",", "45"),
        ("€1,000", ",", "1000"),
        ("0.33333", ",", "0.3333"),
    ],
)
def test_numbers_are_read_as_spreadsheets_write_them(
    raw: str, delimiter: str, value: str | None
) -> None:
    expected = None if value is None else Decimal(value).quantize(Decimal("0.0001"))
    assert parse.parse_number(raw, delimiter) == expected


@pytest.mark.parametrize("raw", ["lots", "1e5", "1,2,3", "12-5", "1000000000000", "N/A"])
def test_non_numbers_and_too_large_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=re.escape(raw)):
        parse.parse_number(raw, ",")


@pytest.mark.parametrize(
    ("raw", "percent"),
    [("45%", 45), ("45", 45), ("0.45", 45), ("1", 1), ("150 %", 100), ("-5", 0), ("", None)],
)
def test_progress_is_a_percentage(raw: str, percent: int | None) -> None:
    value = parse.parse_percent(raw)
    assert (None if value is None else round(value)) == percent


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("Objective", RowKind.OBJECTIVE),
        ("Key Result", RowKind.KEY_RESULT),
        ("key-result", RowKind.KEY_RESULT),
        ("KR", RowKind.KEY_RESULT),
        ("Avaintulos", RowKind.KEY_RESULT),
        ("Initiative", RowKind.INITIATIVE),
        ("Project", RowKind.INITIATIVE),
        ("Epic", None),
    ],
)
def test_row_types(raw: str, kind: RowKind | None) -> None:
    assert parse.row_kind(raw) == kind


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("On track", Status.ON_TRACK),
        ("At Risk", Status.AT_RISK),
        ("Behind", Status.BEHIND),
        ("Completed", Status.COMPLETED),
        ("Closed", Status.COMPLETED),
        ("Postponed", Status.NEUTRAL),
        ("Not started", Status.NEUTRAL),
        ("Cancelled", Status.CANCELLED),
        ("Sideways", None),
    ],
)
def test_statuses(raw: str, status: Status | None) -> None:
    assert parse.status_of(raw) == status


@pytest.mark.parametrize(
    ("raw", "result"),
    [
        ("Milestone", (True, "")),
        ("Percentage", (False, "%")),
        ("Number", (False, "")),
        ("Currency (EUR)", (False, "EUR")),
        ("min", (False, "min")),
    ],
)
def test_units_of_measure(raw: str, result: tuple[bool, str]) -> None:
    assert parse.unit_of_measure(raw) == result


def test_owners_split_on_commas_semicolons_and_lines() -> None:
    assert parse.split_owners("a@x.fi, b@x.fi;c@x.fi\nd@x.fi,") == [
        "a@x.fi",
        "b@x.fi",
        "c@x.fi",
        "d@x.fi",
    ]


D = datetime.date


@pytest.mark.parametrize(
    ("raw", "span"),
    [
        ("Q1 2026", (D(2026, 1, 1), D(2026, 3, 31), None)),
        ("2026 Q4", (D(2026, 10, 1), D(2026, 12, 31), None)),
        ("q1-2026", (D(2026, 1, 1), D(2026, 3, 31), None)),
        ("Q1/2026", (D(2026, 1, 1), D(2026, 3, 31), None)),
        ("FY26", (D(2026, 1, 1), D(2026, 12, 31), 2026)),
        ("FY 2026", (D(2026, 1, 1), D(2026, 12, 31), 2026)),
        ("2026", (D(2026, 1, 1), D(2026, 12, 31), 2026)),
        ("H1 2026", (D(2026, 1, 1), D(2026, 6, 30), None)),
        ("H2 2026", (D(2026, 7, 1), D(2026, 12, 31), None)),
        ("T3 2026", (D(2026, 9, 1), D(2026, 12, 31), None)),
        ("Jan 2026 - Apr 2026", (D(2026, 1, 1), D(2026, 4, 30), None)),
        ("January 2026 – April 2026", (D(2026, 1, 1), D(2026, 4, 30), None)),
        ("Jan-Apr 2026", (D(2026, 1, 1), D(2026, 4, 30), None)),
        ("Jan 2026 - Dec 2026", (D(2026, 1, 1), D(2026, 12, 31), 2026)),
        ("Q1 2026 - Q2 2026", (D(2026, 1, 1), D(2026, 6, 30), None)),
        ("1.1.2026 - 30.4.2026", (D(2026, 1, 1), D(2026, 4, 30), None)),
        ("2026-01-01 - 2026-04-30", (D(2026, 1, 1), D(2026, 4, 30), None)),
        ("01/31/2026 - 04/30/2026", (D(2026, 1, 31), D(2026, 4, 30), None)),
        ("tammikuu 2026", (D(2026, 1, 1), D(2026, 1, 31), None)),
        ("maj 2026", (D(2026, 5, 1), D(2026, 5, 31), None)),
    ],
)
def test_time_periods(raw: str, span: tuple[datetime.date, datetime.date, int | None]) -> None:
    assert parse.parse_period(raw) == parse.PeriodSpan(*span)


@pytest.mark.parametrize("raw", ["", "soon", "Q5 2026", "H3 2026", "Apr 2026 - Jan 2026", "Q1"])
def test_time_periods_not_understood(raw: str) -> None:
    assert parse.parse_period(raw) is None
