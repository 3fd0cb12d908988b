"""The dashboard as CSV: one row per number, with the block it belongs to in `section` and,
for the precomputed figures, the time they were computed in `as_of` (empty for the survey
results, which are read live)."""

from __future__ import annotations

import io

from django.utils import timezone

from soihtu.core.spreadsheet import csv_writer
from soihtu.dashboard.selectors import DashboardPage

HEADER = ["section", "cycle", "group", "measure", "count", "total", "percent", "as_of"]


def _cell(value: int | float | None) -> str:
    return "" if value is None else str(value)


def dashboard_rows(page: DashboardPage) -> list[list[str]]:
    """The page's numbers, block by block, in the order the page shows them."""
    rows: list[list[str]] = []
    as_of = timezone.localtime(page.computed_at).isoformat(timespec="seconds")

    def add(
        section: str,
        cycle: str,
        group: str,
        measure: str,
        count: int | float | None,
        total: int | None = None,
        percent: int | None = None,
    ) -> None:
        cells = [section, cycle, group, measure, _cell(count), _cell(total), _cell(percent)]
        rows.append([*cells, "" if section == "survey" else as_of])

    t = page.totals
    add("totals", "", "", "teams", t.teams)
    add("totals", "", "", "units", t.units)
    add("totals", "", "", "people", t.people)
    add(
        "torchbearers",
        "",
        "",
        "teams_with_torchbearer",
        t.teams_with_torchbearer,
        t.teams,
        t.torchbearer_percent,
    )
    for r in page.cycles:
        c = str(r.cycle)
        add("coverage", c, "", "teams", r.teams_covered, t.teams, r.teams_percent)
        add("coverage", c, "", "people", r.people_covered, t.people, r.people_percent)
        add("coverage", c, "", "units", r.units_covered, t.units, r.units_percent)
    current = str(page.current.cycle) if page.current else ""
    for division in page.by_division:
        name = division.name
        teams = (division.teams_using, division.teams, division.teams_percent)
        people = (division.people_using, division.people, division.people_percent)
        add("coverage_by_division", current, name, "teams", *teams)
        add("coverage_by_division", current, name, "people", *people)
    for r in page.cycles:
        c = str(r.cycle)
        add(
            "participation",
            c,
            "",
            "members_took_part",
            r.took_part,
            r.planning_members,
            r.participation_percent,
        )
        add("participation", c, "", "teams_choosing_goals", r.planning_teams)
        add("participation", c, "", "teams_activated_below_half", r.below_half, r.planning_teams)
    reg = page.regularity
    current = str(page.current.cycle) if page.current else ""
    add(
        "checkin_regularity",
        current,
        "",
        "key_results_within_cadence",
        reg.within_cadence,
        reg.key_results,
        reg.percent,
    )
    for r in page.cycles:
        c = str(r.cycle)
        add(
            "retrospectives",
            c,
            "",
            "teams_completed",
            r.retrospectives_completed,
            r.teams_covered,
            r.retrospectives_percent,
        )
        add("learnings", c, "", "published", r.learnings_published)
        add("successes", c, "", "shared", r.successes_shared)
        add("ideas", c, "", "tried", r.ideas_tried)
        add("ideas", c, "", "adopted", r.ideas_adopted)
    for d in page.scores:
        for band, label in [("red", "0.0-0.3"), ("yellow", "0.4-0.6"), ("green", "0.7-1.0")]:
            add(
                "final_scores",
                str(d.cycle),
                d.kind,
                label,
                getattr(d, band),
                d.total,
                d.percent(band),
            )
    for theme in page.themes:
        add(
            "strategy_themes",
            str(page.year_number or ""),
            theme.theme.name,
            "objectives",
            theme.objectives,
        )
        add(
            "strategy_themes",
            str(page.year_number or ""),
            theme.theme.name,
            "mean_progress",
            theme.percent,
        )
    for s in page.surveys:
        add("survey", "", s.division, s.question, s.agree_percent, s.respondents)
    return rows


def dashboard_csv(page: DashboardPage) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(HEADER)
    writer.writerows(dashboard_rows(page))
    return out.getvalue()
