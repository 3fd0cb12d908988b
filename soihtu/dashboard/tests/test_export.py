"""The CSV carries the same numbers as the page, block by block."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from soihtu.conftest import client_for
from soihtu.dashboard.csv_export import HEADER, dashboard_rows
from soihtu.dashboard.tests.fixtures import Practice
from soihtu.organization.models import StrategyTheme, Unit


def _csv(practice: Practice, **params: int) -> list[list[str]]:
    response = client_for(practice.world.admin).get(reverse("dashboard:csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="okr-dashboard-2026-11-27.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_matches_the_page(practice: Practice) -> None:
    page = client_for(practice.world.admin).get(reverse("dashboard:index")).context["page"]
    rows = _csv(practice)
    assert rows[0] == HEADER
    assert rows[1:] == dashboard_rows(page)
    sections = {r[0] for r in rows[1:]}
    assert sections == {
        "totals",
        "torchbearers",
        "coverage",
        "coverage_by_division",
        "participation",
        "checkin_regularity",
        "retrospectives",
        "learnings",
        "successes",
        "ideas",
        "final_scores",
        "strategy_themes",
    }


def test_csv_numbers(practice: Practice) -> None:
    rows = {(r[0], r[1], r[2], r[3]): r[4:7] for r in _csv(practice)[1:]}
    assert rows["coverage", "2026 T3", "", "teams"] == ["2", "3", "67"]
    assert rows["participation", "2026 T3", "", "members_took_part"] == ["2", "4", "50"]
    assert rows["checkin_regularity", "2026 T3", "", "key_results_within_cadence"] == [
        "1",
        "4",
        "25",
    ]
    assert rows["final_scores", "2026 T2", "committed", "0.7-1.0"] == ["1", "2", "50"]
    assert rows["torchbearers", "", "", "teams_with_torchbearer"] == ["1", "3", "33"]


def test_csv_of_a_division(practice: Practice) -> None:
    rows = {
        (r[0], r[1], r[2], r[3]): r[4:7]
        for r in _csv(practice, division=practice.world.division.pk)[1:]
    }
    assert rows["totals", "", "", "people"] == ["6", "", ""]
    assert rows["learnings", "2026 T3", "", "published"] == ["0", "", ""]


def test_csv_writes_formula_looking_names_as_text(practice: Practice) -> None:
    world = practice.world
    Unit.objects.filter(pk=world.division.pk).update(name="@SUM(1)")
    StrategyTheme.objects.filter(pk=world.themes[1].pk).update(name_en="+1")
    rows = _csv(practice)[1:]
    groups = {(r[0], r[2]) for r in rows}
    assert ("coverage_by_division", "'@SUM(1)") in groups
    assert ("strategy_themes", "'+1") in groups
    assert not any(cell.startswith("'") for r in rows for cell in r[4:])
