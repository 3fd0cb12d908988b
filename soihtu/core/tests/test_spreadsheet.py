"""CSV cells that a spreadsheet would run as a formula are written as text; numbers stay
numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from soihtu.core.spreadsheet import csv_dict_writer, csv_writer, safe_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x")',
        "+1",
        "-1+cmd|' /C calc'!A0",
        "@SUM(1)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "\0=1+1",
        "=",
        "-",
    ],
)
def test_text_that_begins_like_a_formula_gets_a_leading_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Nopeampi palvelu", "", "a=1", "50 %", "1+1", " =1", "'=1", "Ä-ryhmä"]
)
def test_other_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-5, 5, -2.5, Decimal("-7.25"), 0, None, True])
def test_numbers_and_other_values_are_unchanged(value: object) -> None:
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["-5", "-7,5", "-7.25", "-0"])
def test_text_that_is_only_a_negative_number_stays_a_number(text: str) -> None:
    assert safe_cell(text) == text


def test_the_writer_neutralizes_every_cell_of_every_row() -> None:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow(["title", "value"])
    writer.writerows([["=1+1", -5], ["@A1", Decimal("-2.5")], ["ok", "-3,5"]])
    assert list(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == [
        ["title", "value"],
        ["'=1+1", "-5"],
        ["'@A1", "-2.5"],
        ["ok", "-3,5"],
    ]


def test_the_dict_writer_neutralizes_every_value() -> None:
    out = io.StringIO()
    writer = csv_dict_writer(out, fieldnames=["title", "progress"])
    writer.writeheader()
    writer.writerows([{"title": "+1", "progress": -5}, {"title": "Turva"}])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["title", "progress"],
        ["'+1", "-5"],
        ["Turva", ""],
    ]
