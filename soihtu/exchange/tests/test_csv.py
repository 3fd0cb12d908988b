"""Objectives and key results as CSV: columns, encoding, decimals, filters, restricted rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from soihtu.conftest import World, client_for, make_kr, make_objective
from soihtu.exchange.csv_export import KEY_RESULT_COLUMNS, OBJECTIVE_COLUMNS
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Unit


def _get(world: World, name: str, **params: str) -> tuple[str, list[list[str]]]:
    response = client_for(world.admin).get(reverse(f"exchange:{name}"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    delimiter = "," if params.get("format") == "standard" else ";"
    return response["Content-Disposition"], list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _by_id(rows: list[list[str]], pk: int) -> dict[str, str]:
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == str(pk))
    return dict(zip(header, row, strict=True))


def test_objectives_have_stable_columns_and_finnish_letters(world: World) -> None:
    disposition, rows = _get(world, "objectives_csv")
    assert rows[0] == OBJECTIVE_COLUMNS
    assert disposition == 'attachment; filename="objectives-all.csv"'
    row = _by_id(rows, world.objective_a.pk)
    assert row["title"] == "Nopeampi palvelu"
    assert row["unit"] == "Team A"
    assert (row["year"], row["cycle"], row["kind"], row["status"]) == (
        "2026",
        "T3",
        "committed",
        "active",
    )
    assert row["themes"] == "Trust"
    assert row["contributes_to"] == str(world.org_objective.pk)
    assert row["key_results"] == "2"
    assert _by_id(rows, world.org_objective.pk)["title"] == "Asiakkaat luottavat meihin"


def test_restricted_objectives_are_included_for_the_admin(world: World) -> None:
    _disposition, rows = _get(world, "objectives_csv")
    row = _by_id(rows, world.restricted_a.pk)
    assert (row["title"], row["visibility"]) == ("Sisäinen kehitys", "restricted")


def _checked_in(world: World) -> KeyResult:
    KeyResult.objects.filter(pk=world.kr_a1.pk).update(
        current_value=Decimal("7.5"), confidence=8, last_checkin_at=timezone.now()
    )
    return world.kr_a1


def test_excel_format_writes_decimal_commas(world: World) -> None:
    kr = _checked_in(world)
    _disposition, rows = _get(world, "key_results_csv")
    assert rows[0] == KEY_RESULT_COLUMNS
    row = _by_id(rows, kr.pk)
    assert (row["start_value"], row["target_value"], row["current_value"]) == ("12", "5", "7,5")
    assert row["progress_percent"] == "64"
    assert (row["confidence"], row["last_checkin_date"]) == ("8", "2026-11-27")
    assert row["owner"] == "Member A"
    assert row["objective_title"] == "Nopeampi palvelu"


def test_standard_format_writes_commas_and_decimal_points(world: World) -> None:
    kr = _checked_in(world)
    _disposition, rows = _get(world, "key_results_csv", format="standard")
    assert _by_id(rows, kr.pk)["current_value"] == "7.5"
    _disposition, rows = _get(world, "objectives_csv", format="standard")
    assert _by_id(rows, world.objective_a.pk)["score"] == "0.3"


def test_a_cycle_brings_its_objectives_and_the_years_objectives(world: World) -> None:
    old = make_objective(world.team_a, year=world.year, cycle=world.closed_cycle, title="Vanha")
    make_kr(old, "Vanha avaintulos")
    disposition, rows = _get(world, "objectives_csv", cycle=str(world.closed_cycle.pk))
    assert disposition == 'attachment; filename="objectives-2026-t2.csv"'
    assert {r[1] for r in rows[1:]} == {"Vanha", "Asiakkaat luottavat meihin"}
    _disposition, rows = _get(world, "key_results_csv", cycle=str(world.closed_cycle.pk))
    assert {r[7] for r in rows[1:]} == {"Vanha avaintulos", "Asiakastyytyväisyys"}


def test_a_title_that_looks_like_a_formula_stays_text(world: World) -> None:
    make_objective(world.team_a, year=world.year, cycle=world.cycle, title="=HYPERLINK(1)")
    _disposition, rows = _get(world, "objectives_csv")
    assert "'=HYPERLINK(1)" in {r[1] for r in rows[1:]}


@pytest.mark.parametrize("params", [{"cycle": "999999"}, {"cycle": "x"}, {"format": "xml"}])
def test_unknown_choices_are_refused(world: World, params: dict[str, str]) -> None:
    response = client_for(world.admin).get(reverse("exchange:objectives_csv"), params)
    assert response.status_code == 400


@pytest.mark.parametrize("dialect", ["excel", "standard"])
def test_formula_looking_text_is_written_as_text_and_negative_numbers_as_numbers(
    world: World, dialect: str
) -> None:
    Unit.objects.filter(pk=world.team_a.pk).update(name="@SUM(1)", code="+1")
    KeyResult.objects.filter(pk=world.kr_a1.pk).update(
        title="-2+3",
        unit_of_measure="=1+1",
        start_value=Decimal("-5.5"),
        target_value=Decimal("-10"),
    )
    _disposition, rows = _get(world, "key_results_csv", format=dialect)
    row = _by_id(rows, world.kr_a1.pk)
    assert (row["title"], row["unit"], row["unit_code"]) == ("'-2+3", "'@SUM(1)", "'+1")
    assert row["unit_of_measure"] == "'=1+1"
    assert row["start_value"] == ("-5,5" if dialect == "excel" else "-5.5")
    _disposition, rows = _get(world, "objectives_csv", format=dialect)
    assert _by_id(rows, world.objective_a.pk)["unit"] == "'@SUM(1)"
