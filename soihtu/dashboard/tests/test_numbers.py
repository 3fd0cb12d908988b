"""Every number of the dashboard on a small history, against counts made by hand
(see fixtures.py)."""

from __future__ import annotations

from soihtu.dashboard.selectors import DashboardPage, dashboard_page, share
from soihtu.dashboard.services import practice_figures_for
from soihtu.dashboard.tests.fixtures import Practice
from soihtu.organization.models import Unit

ROW_FIELDS = [
    "teams_covered",
    "people_covered",
    "units_covered",
    "planning_teams",
    "planning_members",
    "took_part",
    "below_half",
    "retrospectives_completed",
    "learnings_published",
    "successes_shared",
    "ideas_tried",
    "ideas_adopted",
]


def _page(division: Unit | None) -> DashboardPage:
    figures = practice_figures_for(scope=division.path if division else "")
    return dashboard_page(
        division=division, divisions=[], whole_organization_allowed=True, figures=figures
    )


def _rows(page: DashboardPage) -> dict[str, list[int]]:
    return {r.cycle.name: [getattr(r, f) for f in ROW_FIELDS] for r in page.cycles}


def _scores(page: DashboardPage) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {(d.cycle.name, d.kind): (d.red, d.yellow, d.green) for d in page.scores}


def _themes(page: DashboardPage) -> dict[str, tuple[int, int]]:
    return {t.theme.name_en: (t.objectives, t.percent) for t in page.themes}


def test_whole_organization_numbers(practice: Practice) -> None:
    page = _page(None)

    t = page.totals
    assert (t.teams, t.units, t.people, t.teams_with_torchbearer) == (3, 3, 7, 1)
    assert t.torchbearer_percent == 33
    assert _rows(page) == {
        "T2": [3, 5, 3, 0, 0, 0, 0, 1, 2, 0, 1, 0],
        "T3": [2, 4, 2, 2, 4, 2, 1, 0, 1, 1, 1, 1],
    }
    assert page.current is not None
    assert page.current.cycle.name == "T3"
    t3 = page.current
    assert (t3.teams_percent, t3.people_percent, t3.units_percent) == (67, 57, 67)
    assert t3.participation_percent == 50
    assert page.cycles[0].retrospectives_percent == 33
    assert (page.regularity.key_results, page.regularity.within_cadence) == (4, 1)
    assert page.regularity.percent == 25
    assert _scores(page) == {("T2", "committed"): (1, 0, 1), ("T2", "aspirational"): (0, 1, 0)}
    assert page.year_number == 2026
    assert _themes(page) == {"Trust": (2, 0), "Knowledge": (1, 100), "Security": (0, 0)}
    assert page.surveys == []


def test_division_numbers(practice: Practice) -> None:
    page = _page(practice.world.division)

    t = page.totals
    assert (t.teams, t.units, t.people, t.teams_with_torchbearer) == (2, 2, 6, 1)
    assert _rows(page) == {
        "T2": [2, 4, 2, 0, 0, 0, 0, 1, 2, 0, 1, 0],
        "T3": [2, 4, 2, 2, 4, 2, 1, 0, 0, 1, 0, 1],
    }
    assert (page.regularity.key_results, page.regularity.within_cadence) == (4, 1)
    assert _scores(page) == {("T2", "committed"): (0, 0, 1), ("T2", "aspirational"): (0, 1, 0)}
    assert _themes(page) == {"Trust": (1, 0), "Knowledge": (1, 100), "Security": (0, 0)}


def test_other_division_has_its_own_numbers(practice: Practice) -> None:
    page = _page(practice.world.division_2)

    assert (page.totals.teams, page.totals.people) == (1, 1)
    assert _rows(page)["T2"][:3] == [1, 1, 1]
    assert _rows(page)["T3"][:3] == [0, 0, 0]
    assert _scores(page) == {("T2", "committed"): (1, 0, 0), ("T2", "aspirational"): (0, 0, 0)}


def test_share_without_a_total_is_none() -> None:
    assert share(0, 0) is None
    assert share(1, 3) == 33
