from __future__ import annotations

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.dashboard.measures import coverage_by_division


def test_coverage_is_counted_per_division(world: World) -> None:
    rows = {
        r["name"]: (r["teams_using"], r["teams"], r["people_using"], r["people"])
        for r in coverage_by_division("", world.cycle.pk)
    }
    # Division 1: teams A and B have objectives in T3 (4 people); Division 2: team C has none.
    assert rows == {"Division 1": (2, 2, 4, 4), "Division 2": (0, 1, 0, 1)}
    only = coverage_by_division(world.division.path, world.cycle.pk)
    assert [r["name"] for r in only] == ["Division 1"]


def test_the_dashboard_shows_coverage_per_division(world: World) -> None:
    page = client_for(world.admin).get(reverse("dashboard:index")).content.decode()
    assert "Teams and people using OKRs per division in 2026 T3" in page


def test_the_csv_has_coverage_per_division(world: World) -> None:
    csv = client_for(world.admin).get(reverse("dashboard:csv")).content.decode()
    assert "coverage_by_division,2026 T3,Division 2,teams,0,1,0" in csv
    assert "coverage_by_division,2026 T3,Division 1,people,4,4,100" in csv
