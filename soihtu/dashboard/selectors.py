"""The practice dashboard's page: the precomputed figures of the organization or one
division (`PracticeFigures`, see measures.py and services.py) turned into the blocks the
template and the CSV show, and the survey results read live from the surveys app. Python only
divides the counts the database returned.

docs/dashboard.md explains every measure and how fresh the figures are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Subquery
from django.utils import timezone

from soihtu.cycles.models import Cycle
from soihtu.dashboard.measures import CYCLE_FIELDS
from soihtu.dashboard.models import PracticeFigures
from soihtu.okrs.models import Objective
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.surveys.models import Question
from soihtu.surveys.selectors import division_results, latest_round_queryset

BANDS = ["red", "yellow", "green"]  # 0.0–0.3, 0.4–0.6, 0.7–1.0
# The scheduler refreshes the figures every few minutes; older than this, the page says the
# refresh has stopped.
STALE_AFTER = datetime.timedelta(hours=1)


def share(part: int, whole: int) -> int | None:
    """Percent, rounded; None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None


# --- Totals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    teams: int
    units: int
    people: int
    teams_with_torchbearer: int

    @property
    def torchbearer_percent(self) -> int | None:
        return share(self.teams_with_torchbearer, self.teams)


# --- Per cycle ----------------------------------------------------------------------------


@dataclass
class CycleRow:
    """One cycle's practice numbers (see docs/dashboard.md)."""

    cycle: Cycle
    teams_covered: int
    people_covered: int
    units_covered: int
    planning_teams: int
    planning_members: int
    took_part: int
    below_half: int
    retrospectives_completed: int
    learnings_published: int
    successes_shared: int
    ideas_tried: int
    ideas_adopted: int
    totals: Totals

    @property
    def teams_percent(self) -> int | None:
        return share(self.teams_covered, self.totals.teams)

    @property
    def people_percent(self) -> int | None:
        return share(self.people_covered, self.totals.people)

    @property
    def units_percent(self) -> int | None:
        return share(self.units_covered, self.totals.units)

    @property
    def participation_percent(self) -> int | None:
        return share(self.took_part, self.planning_members)

    @property
    def retrospectives_percent(self) -> int | None:
        return share(self.retrospectives_completed, self.teams_covered)


# --- Check-in regularity ------------------------------------------------------------------


@dataclass(frozen=True)
class Regularity:
    key_results: int
    within_cadence: int

    @property
    def percent(self) -> int | None:
        return share(self.within_cadence, self.key_results)


# --- Final scores -------------------------------------------------------------------------


@dataclass
class ScoreDistribution:
    """Objectives of one closed cycle and kind, counted per score band."""

    cycle: Cycle
    kind: str
    label: str
    red: int = 0
    yellow: int = 0
    green: int = 0

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green

    def percent(self, band: str) -> int | None:
        return share(getattr(self, band), self.total)

    @property
    def segments(self) -> list[tuple[str, int, int]]:
        """(colour, x, width) of the bands in a 200-wide stacked bar."""
        colours = {"red": "#a4262c", "yellow": "#7a5a00", "green": "#1e6b34"}
        out, x = [], 0
        for band in BANDS:
            width = round(200 * getattr(self, band) / self.total) if self.total else 0
            out.append((colours[band], x, width))
            x += width
        return out

    @property
    def red_percent(self) -> int | None:
        return self.percent("red")

    @property
    def yellow_percent(self) -> int | None:
        return self.percent("yellow")

    @property
    def green_percent(self) -> int | None:
        return self.percent("green")


# --- Strategy themes ----------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    theme: StrategyTheme
    objectives: int
    progress: float

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


@dataclass(frozen=True)
class DivisionCoverage:
    """Teams and people using OKRs in one division in the current cycle."""

    division_id: int
    name: str
    teams: int
    teams_using: int
    people: int
    people_using: int

    @property
    def teams_percent(self) -> int | None:
        return share(self.teams_using, self.teams)

    @property
    def people_percent(self) -> int | None:
        return share(self.people_using, self.people)


# --- Survey results (the surveys app's seam) ----------------------------------------------


@dataclass(frozen=True)
class SurveyRow:
    """One division's share agreeing with one survey question (groups of 5 or more only)."""

    division: str
    question: str
    agree_percent: int | None
    respondents: int
    # The round the figures come from, for the access log (0: not a stored round).
    round_id: int = 0
    round_title: str = ""


SurveySource = Callable[[Unit | None], Sequence[SurveyRow]]


def _latest_survey(division: Unit | None) -> list[SurveyRow]:
    """The latest survey round's share agreeing per question and division (only divisions the
    surveys app shows after suppression): three queries."""
    # The latest round and its questions in one query.
    latest = latest_round_queryset().values("pk")[:1]
    rows = list(Question.objects.filter(round_id=Subquery(latest)).select_related("round"))
    if not rows:
        return []
    survey_round = rows[0].round
    questions = {q.key: q.text for q in rows}
    return [
        SurveyRow(
            division=result.unit.name,
            question=questions.get(str(key), str(key)),
            agree_percent=percent,
            respondents=int(result.n),
            round_id=survey_round.pk,
            round_title=survey_round.title,
        )
        for result in division_results(survey_round)
        if division is None or result.unit.pk == division.pk
        for key, percent in result.agree.items()
    ]


def survey_by_division(
    division: Unit | None, source: SurveySource | None = None
) -> list[SurveyRow]:
    """The latest survey round's results per division (the chosen one only, when a division
    is chosen); [] while the surveys app provides nothing. `source` replaces the surveys app
    in tests."""
    return list((source or _latest_survey)(division))


# --- The page -----------------------------------------------------------------------------


@dataclass
class DashboardPage:
    division: Unit | None
    divisions: list[Unit]
    whole_organization_allowed: bool
    totals: Totals
    cycles: list[CycleRow]
    current: CycleRow | None
    regularity: Regularity
    scores: list[ScoreDistribution]
    themes: list[ThemeRow]
    year_number: int | None
    # When the figures above (all but the survey results) were computed.
    computed_at: datetime.datetime
    surveys: list[SurveyRow] = field(default_factory=list)
    by_division: list[DivisionCoverage] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        """The figures are older than the scheduler leaves them: it has stopped refreshing."""
        return timezone.now() - self.computed_at > STALE_AFTER


def _cycle_rows(data: list[dict[str, int]], totals: Totals) -> list[CycleRow]:
    """The stored rows with their cycles (a cycle deleted since is left out): one query."""
    cycles = Cycle.objects.select_related("year").in_bulk([row["cycle"] for row in data])
    return [
        CycleRow(cycle=cycles[row["cycle"]], totals=totals, **{f: row[f] for f in CYCLE_FIELDS})
        for row in data
        if row["cycle"] in cycles
    ]


def _scores(data: list[dict[str, Any]], cycles: dict[int, Cycle]) -> list[ScoreDistribution]:
    labels = dict(Objective.Kind.choices)
    return [
        ScoreDistribution(
            cycle=cycles[d["cycle"]],
            kind=d["kind"],
            label=str(labels[d["kind"]]),
            red=d["red"],
            yellow=d["yellow"],
            green=d["green"],
        )
        for d in data
        if d["cycle"] in cycles
    ]


def _themes(data: list[dict[str, Any]]) -> list[ThemeRow]:
    """Every strategy theme (one query), with its stored figures or none."""
    figures = {t["theme"]: t for t in data}
    return [
        ThemeRow(
            theme=theme,
            objectives=figures.get(theme.pk, {}).get("objectives", 0),
            progress=figures.get(theme.pk, {}).get("progress") or 0.0,
        )
        for theme in StrategyTheme.objects.all()
    ]


def dashboard_page(
    *,
    division: Unit | None,
    divisions: list[Unit],
    whole_organization_allowed: bool,
    figures: PracticeFigures,
    survey_source: SurveySource | None = None,
) -> DashboardPage:
    """Every block of the dashboard for the organization or one division, from the scope's
    stored `figures`: two queries (the cycles and the strategy themes they name), plus what
    the surveys app's function does."""
    data = figures.figures
    total = Totals(**data["totals"])
    rows = _cycle_rows(data["cycles"], total)
    current = next((r for r in rows if r.cycle.pk == data["current"]), None)
    return DashboardPage(
        division=division,
        divisions=divisions,
        whole_organization_allowed=whole_organization_allowed,
        totals=total,
        cycles=rows,
        current=current,
        regularity=Regularity(**data["regularity"]),
        scores=_scores(data["scores"], {r.cycle.pk: r.cycle for r in rows}),
        themes=_themes(data["themes"]),
        by_division=[DivisionCoverage(**d) for d in data["by_division"]],
        year_number=current.cycle.year.number if current else None,
        computed_at=figures.computed_at,
        surveys=survey_by_division(division, survey_source),
    )
