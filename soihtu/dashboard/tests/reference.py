"""The oracle: the dashboard's live computation as it was before the figures were
precomputed (correlated sub-selects per cycle, one per measure), kept unchanged so that
test_figures_equal_the_live_computation can prove the grouped queries of measures.py give
the same numbers. The page's rows and the constants it shares with the product are imported,
not copied. Not used by the product."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.dashboard.measures import IN_USE, NON_TEAM_UNITS, SCORED, TEAM
from soihtu.dashboard.selectors import (
    CycleRow,
    Regularity,
    ScoreDistribution,
    ThemeRow,
    Totals,
    share,
)
from soihtu.followup.selectors import due_condition, followed_up
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.learning.models import Learning
from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership, StrategyTheme, Unit
from soihtu.planning.models import ProposalAuthor, ProposalComment, ProposalSupport
from soihtu.retrospectives.models import Retrospective
from soihtu.successes.models import Success


def _count(queryset: QuerySet[Any], column: str = "pk") -> Coalesce:
    """A correlated subquery counting the distinct values of `column` in `queryset`."""
    counted = (
        queryset.order_by()
        .annotate(n=Func(F(column), function="COUNT", template="COUNT(DISTINCT %(expressions)s)"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Totals -------------------------------------------------------------------------------


def totals(prefix: str) -> Totals:
    """The organization's (or division's) teams, other units, people with a membership, and
    teams with a torchbearer, today: one query."""
    torchbearer = Q(kind=TEAM, memberships__role=Membership.Role.TORCHBEARER)
    row = Unit.objects.filter(path__startswith=prefix).aggregate(
        teams=Count("pk", filter=Q(kind=TEAM), distinct=True),
        units=Count("pk", filter=Q(kind__in=NON_TEAM_UNITS), distinct=True),
        people=Count("memberships__user", distinct=True),
        torch=Count("memberships__unit", filter=torchbearer, distinct=True),
    )
    return Totals(
        teams=row["teams"],
        units=row["units"],
        people=row["people"],
        teams_with_torchbearer=row["torch"],
    )


# --- Per cycle ----------------------------------------------------------------------------


def _cycle_queryset(prefix: str) -> QuerySet[Cycle]:
    cycle = OuterRef("pk")
    in_scope = {"path__startswith": prefix}
    team_objectives = Objective.objects.filter(
        IN_USE, cycle=cycle, owner_unit__kind=TEAM, owner_unit__path__startswith=prefix
    )
    covered_team = Exists(
        Objective.objects.filter(
            IN_USE, cycle=OuterRef(OuterRef("pk")), owner_unit=OuterRef("unit")
        )
    )
    people = Membership.objects.filter(covered_team, unit__kind=TEAM, unit__path__startswith=prefix)
    unit_period = Q(cycle=OuterRef(OuterRef("pk"))) | Q(
        cycle__isnull=True, year=OuterRef(OuterRef("year_id"))
    )
    units = Unit.objects.filter(
        Exists(
            Objective.objects.filter(
                IN_USE, unit_period, owner_unit__path__startswith=OuterRef("path")
            )
        ),
        kind__in=NON_TEAM_UNITS,
        **in_scope,
    )
    planning_members = Membership.objects.filter(
        Exists(TeamCycle.objects.filter(team=OuterRef("unit"), cycle=OuterRef(OuterRef("pk")))),
        unit__kind=TEAM,
        unit__path__startswith=prefix,
    )
    in_planning = {
        "proposal__team": OuterRef("unit"),
        "proposal__cycle": OuterRef(OuterRef("pk")),
    }
    took_part = planning_members.filter(
        Exists(ProposalAuthor.objects.filter(user=OuterRef("user"), **in_planning))
        | Exists(ProposalComment.objects.filter(author=OuterRef("user"), **in_planning))
        | Exists(ProposalSupport.objects.filter(user=OuterRef("user"), **in_planning))
    )
    team_scope = {"team__path__startswith": prefix}
    steps = IdeaStep.objects.filter(
        at__date__gte=OuterRef("starts_on"),
        at__date__lte=OuterRef("ends_on"),
        idea__team__path__startswith=prefix,
    )
    return (
        Cycle.objects.select_related("year")
        .filter(starts_on__lte=timezone.localdate())
        .annotate(
            teams_covered=_count(team_objectives, "owner_unit_id"),
            people_covered=_count(people, "user_id"),
            units_covered=_count(units),
            planning_teams=_count(TeamCycle.objects.filter(cycle=cycle, **team_scope)),
            below_half=_count(
                TeamCycle.objects.filter(cycle=cycle, activated_below_half=True, **team_scope)
            ),
            planning_members=_count(planning_members),
            took_part=_count(took_part),
            retrospectives_completed=_count(
                Retrospective.objects.filter(
                    cycle=cycle, completed_at__isnull=False, team__kind=TEAM, **team_scope
                ),
                "team_id",
            ),
            learnings_published=_count(
                Learning.objects.filter(cycle=cycle, internal=False, **team_scope)
            ),
            successes_shared=_count(Success.objects.filter(cycle=cycle, **team_scope)),
            ideas_tried=_count(steps.filter(to_state=Idea.State.TRIED), "idea_id"),
            ideas_adopted=_count(steps.filter(to_state=Idea.State.ADOPTED), "idea_id"),
        )
        .order_by("starts_on")
    )


def cycle_rows(prefix: str, totals: Totals) -> list[CycleRow]:
    """Every cycle that has begun, oldest first, with its coverage, participation in choosing
    goals, retrospectives, learnings, successes and ideas: one query."""
    names = [f.name for f in CycleRow.__dataclass_fields__.values()][1:-1]
    return [
        CycleRow(cycle=c, totals=totals, **{n: getattr(c, n) for n in names})
        for c in _cycle_queryset(prefix)
    ]


# --- Check-in regularity ------------------------------------------------------------------


def regularity(prefix: str, now: datetime.datetime | None = None) -> Regularity:
    """Key results of active objectives in the running active cycle, and how many of them
    were checked in within their team's cadence: one query."""
    now = now or timezone.now()
    row = (
        followed_up(now)
        .select_related(None)
        .filter(objective__owner_unit__path__startswith=prefix)
        .aggregate(total=Count("pk"), within=Count("pk", filter=~due_condition(now)))
    )
    return Regularity(key_results=row["total"], within_cadence=row["within"])


# --- Final scores -------------------------------------------------------------------------


def score_distribution(prefix: str, cycles: Sequence[Cycle]) -> list[ScoreDistribution]:
    """For each closed cycle among `cycles`, committed and aspirational objectives apart, the
    number of objectives whose final score (the weighted key-result progress rounded to 0.1)
    falls in 0.0–0.3, 0.4–0.6 and 0.7–1.0: one query."""
    closed = [c for c in cycles if c.state == Cycle.State.CLOSED]
    if not closed:
        return []
    score = Round("progress_value", 1)
    rows = (
        Objective.objects.with_progress()
        .filter(cycle__in=closed, status__in=SCORED, owner_unit__path__startswith=prefix)
        .alias(score_rounded=score)
        .annotate(
            band=Case(
                When(Q(score_rounded__gte=0.7), then=Value("green")),
                When(Q(score_rounded__gte=0.4), then=Value("yellow")),
                default=Value("red"),
                output_field=CharField(),
            )
        )
        .order_by()
        .values("cycle_id", "kind", "band")
        .annotate(n=Count("pk"))
    )
    table = {
        (c.pk, kind): ScoreDistribution(cycle=c, kind=kind, label=str(label))
        for c in closed
        for kind, label in Objective.Kind.choices
    }
    for row in rows:
        setattr(table[row["cycle_id"], row["kind"]], row["band"], row["n"])
    return list(table.values())


# --- Strategy themes ----------------------------------------------------------------------


def theme_progress(prefix: str, year_id: int | None) -> list[ThemeRow]:
    """Per strategy theme, the year's objectives (year and cycle objectives, not cancelled or
    draft) linked to it and their mean progress: one query."""
    linked = (
        Objective.objects.with_progress()
        .filter(IN_USE, year_id=year_id or 0, owner_unit__path__startswith=prefix)
        .filter(themes=OuterRef("pk"))
        .exclude(status=Objective.Status.DRAFT)
        .order_by()
        .values("year")  # one group: every row has the same year
    )
    themes = StrategyTheme.objects.annotate(
        n=Coalesce(Subquery(linked.annotate(c=Count("pk")).values("c")[:1]), 0),
        mean=Subquery(linked.annotate(m=Avg("progress_value")).values("m")[:1]),
    )
    return [
        ThemeRow(theme=theme, objectives=theme.n, progress=theme.mean or 0.0) for theme in themes
    ]


@dataclass(frozen=True)
class DivisionCoverage:
    """Teams and people using OKRs in one division in the current cycle."""

    division: Unit
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


def _grouped_count(queryset: QuerySet[Any], expression: Count) -> Coalesce:
    """A correlated COUNT over `queryset` (all of whose rows share one `kind`)."""
    return Coalesce(
        Subquery(queryset.order_by().values("kind").annotate(c=expression).values("c")[:1]), 0
    )


def coverage_by_division(prefix: str, cycle_id: int | None) -> list[DivisionCoverage]:
    """Per division (the units right under the organization), its teams and the people in
    them, and how many of each use OKRs in the cycle (a team has an objective in it): one
    query."""
    in_use = Exists(
        Objective.objects.filter(IN_USE, owner_unit=OuterRef("pk"), cycle_id=cycle_id or 0)
    )
    teams = Unit.objects.filter(kind=Unit.Kind.TEAM, path__startswith=OuterRef("path"))
    teams = teams.annotate(using=in_use)
    members = Membership.objects.filter(
        unit__kind=Unit.Kind.TEAM, unit__path__startswith=OuterRef("path")
    ).annotate(
        kind=F("unit__kind"),
        using=Exists(
            Objective.objects.filter(IN_USE, owner_unit=OuterRef("unit"), cycle_id=cycle_id or 0)
        ),
    )
    divisions = Unit.objects.filter(depth=1, path__startswith=prefix[:12]).annotate(
        n_teams=_grouped_count(teams, Count("pk")),
        n_teams_using=_grouped_count(teams, Count("pk", filter=Q(using=True))),
        n_people=_grouped_count(members, Count("user", distinct=True)),
        n_people_using=_grouped_count(members, Count("user", distinct=True, filter=Q(using=True))),
    )
    return [
        DivisionCoverage(
            division=d,
            teams=d.n_teams,  # type: ignore[attr-defined]
            teams_using=d.n_teams_using,  # type: ignore[attr-defined]
            people=d.n_people,  # type: ignore[attr-defined]
            people_using=d.n_people_using,  # type: ignore[attr-defined]
        )
        for d in divisions.order_by("path")
    ]


def reference_figures(prefix: str, now: datetime.datetime) -> dict[str, Any]:
    """Every figure of the scope, computed the old way, in the shape of `plain_figures`."""
    total = totals(prefix)
    rows = cycle_rows(prefix, total)
    today = timezone.localdate(now)
    current = next(
        (r for r in reversed(rows) if r.cycle.starts_on <= today <= r.cycle.ends_on),
        rows[-1] if rows else None,
    )
    names = [f.name for f in CycleRow.__dataclass_fields__.values()][1:-1]
    reg = regularity(prefix, now)
    return {
        "totals": {
            "teams": total.teams,
            "units": total.units,
            "people": total.people,
            "teams_with_torchbearer": total.teams_with_torchbearer,
        },
        "cycles": {r.cycle.pk: {n: getattr(r, n) for n in names} for r in rows},
        "current": current.cycle.pk if current else None,
        "regularity": {"key_results": reg.key_results, "within_cadence": reg.within_cadence},
        "scores": {
            (d.cycle.pk, d.kind): (d.red, d.yellow, d.green)
            for d in score_distribution(prefix, [r.cycle for r in rows])
        },
        "themes": {
            t.theme.pk: (t.objectives, round(t.progress, 9))
            for t in theme_progress(prefix, current.cycle.year_id if current else None)
            if t.objectives
        },
        "by_division": {
            d.division.pk: (d.teams, d.teams_using, d.people, d.people_using)
            for d in coverage_by_division(prefix, current.cycle.pk if current else None)
        },
    }


def plain_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """Stored figures (measures.scope_figures) in the shape of `reference_figures`."""
    return {
        "totals": figures["totals"],
        "cycles": {
            row["cycle"]: {k: v for k, v in row.items() if k != "cycle"}
            for row in figures["cycles"]
        },
        "current": figures["current"],
        "regularity": figures["regularity"],
        "scores": {
            (d["cycle"], d["kind"]): (d["red"], d["yellow"], d["green"]) for d in figures["scores"]
        },
        "themes": {
            t["theme"]: (t["objectives"], round(t["progress"], 9)) for t in figures["themes"]
        },
        "by_division": {
            d["division_id"]: (d["teams"], d["teams_using"], d["people"], d["people_using"])
            for d in figures["by_division"]
        },
    }
