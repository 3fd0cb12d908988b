"""The practice dashboard's figures for one scope (the organization, or one division: the units
whose materialized path starts with the division's), computed from the domain tables.

Each measure is one grouped aggregate over the scope (per cycle, per theme, per division), not
a sub-select per cycle, so the cost grows with the rows counted and not with rows times
cycles. The result is plain JSON, stored by `services.practice_figures_refresh` and turned
into the page by `selectors.dashboard_page`. docs/dashboard.md explains every measure.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Avg, Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Round, Substr
from django.utils import timezone

from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.dashboard.access import DIVISION_PATH
from soihtu.followup.selectors import due_condition, followed_up
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.learning.models import Learning
from soihtu.okrs.models import Objective
from soihtu.organization.models import PATH_STEP, Membership, Unit
from soihtu.planning.models import ProposalAuthor, ProposalComment, ProposalSupport
from soihtu.retrospectives.models import Retrospective
from soihtu.successes.models import Success

TEAM = Unit.Kind.TEAM
NON_TEAM_UNITS = [Unit.Kind.DIVISION, Unit.Kind.UNIT]
IN_USE = ~Q(status=Objective.Status.CANCELLED)  # objectives that count as using OKRs
SCORED = [Objective.Status.ACTIVE, Objective.Status.COMPLETED]  # objectives that get a score

# The per-cycle counts, in the order the page and the CSV show them.
CYCLE_FIELDS = [
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

Figures = dict[str, Any]
PerCycle = dict[int, dict[str, int]]


def scope_figures(prefix: str, now: datetime.datetime) -> Figures:
    """Every precomputed figure of the scope whose units' paths start with `prefix` ("" for
    the whole organization), as of `now`: a fixed number of queries whatever its size."""
    today = timezone.localdate(now)
    cycles = list(
        Cycle.objects.select_related("year").filter(starts_on__lte=today).order_by("starts_on")
    )
    current = next(
        (c for c in reversed(cycles) if c.starts_on <= today <= c.ends_on),
        cycles[-1] if cycles else None,
    )
    return {
        "totals": totals(prefix),
        "cycles": cycle_figures(prefix, cycles),
        "current": current.pk if current else None,
        "regularity": regularity(prefix, now),
        "scores": score_distribution(prefix, [c.pk for c in cycles if c.is_closed]),
        "themes": theme_progress(prefix, current.year_id if current else None),
        "by_division": coverage_by_division(prefix, current.pk if current else None),
    }


def within(prefix: str, path: str = "path") -> Q:
    """Rows whose unit (its `path` reached through the given lookup) is in the scope: no
    condition at all, and so no join, for the whole organization."""
    return Q(**{f"{path}__startswith": prefix}) if prefix else Q()


def totals(prefix: str) -> dict[str, int]:
    """The scope's teams, other units, people with a membership, and teams with a torchbearer,
    today: one query."""
    torchbearer = Q(kind=TEAM, memberships__role=Membership.Role.TORCHBEARER)
    row = Unit.objects.filter(within(prefix)).aggregate(
        teams=Count("pk", filter=Q(kind=TEAM), distinct=True),
        units=Count("pk", filter=Q(kind__in=NON_TEAM_UNITS), distinct=True),
        people=Count("memberships__user", distinct=True),
        teams_with_torchbearer=Count("memberships__unit", filter=torchbearer, distinct=True),
    )
    return {name: int(value) for name, value in row.items()}


# --- Per cycle ----------------------------------------------------------------------------


def cycle_figures(prefix: str, cycles: list[Cycle]) -> list[dict[str, int]]:
    """Each cycle's counts (CYCLE_FIELDS), oldest first: nine queries."""
    ids = [c.pk for c in cycles]
    counts: PerCycle = defaultdict(dict)
    for part in (
        _coverage(prefix, ids),
        _units_covered(prefix, cycles),
        _planning(prefix, ids),
        _planning_members(prefix, ids),
        _rituals(prefix, ids),
        _ideas(prefix, cycles),
    ):
        for cycle_id, values in part.items():
            counts[cycle_id].update(values)
    return [{"cycle": c.pk} | {f: counts[c.pk].get(f, 0) for f in CYCLE_FIELDS} for c in cycles]


def _by(key: str, rows: Iterable[Mapping[str, Any]]) -> dict[Any, dict[str, int]]:
    """Grouped rows by the value of their `key`, each with its other values."""
    return {row[key]: {k: v for k, v in row.items() if k != key} for row in rows}


def _grouped(rows: Iterable[Mapping[str, Any]]) -> PerCycle:
    return _by("cycle_id", rows)


def _coverage(prefix: str, ids: list[int]) -> PerCycle:
    """Teams owning an objective of the cycle that is not cancelled, and the people with a
    membership in them."""
    return _grouped(
        Objective.objects.filter(
            IN_USE, within(prefix, "owner_unit__path"), cycle__in=ids, owner_unit__kind=TEAM
        )
        .order_by()
        .values("cycle_id")
        .annotate(
            teams_covered=Count("owner_unit", distinct=True),
            people_covered=Count("owner_unit__memberships__user", distinct=True),
        )
    )


def _units_covered(prefix: str, cycles: list[Cycle]) -> PerCycle:
    """Divisions and units with an objective for the cycle (a cycle objective, or a year
    objective of its year) of their own or anywhere below them: the distinct owners' paths
    from the database, their ancestors by path prefix here."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for c in cycles:
        by_year[c.year_id].append(c.pk)
    units = set(
        Unit.objects.filter(within(prefix), kind__in=NON_TEAM_UNITS).values_list("path", flat=True)
    )
    owners = (
        Objective.objects.filter(IN_USE, within(prefix, "owner_unit__path"))
        .filter(Q(cycle__in=[c.pk for c in cycles]) | Q(cycle=None, year__in=list(by_year)))
        .order_by()
        .values_list("cycle_id", "year_id", "owner_unit__path")
        .distinct()
    )
    covered: dict[int, set[str]] = defaultdict(set)
    for cycle_id, year_id, path in owners:
        ancestors = {path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)}
        for pk in [cycle_id] if cycle_id else by_year[year_id]:
            covered[pk] |= ancestors & units
    return {pk: {"units_covered": len(paths)} for pk, paths in covered.items()}


def _planning(prefix: str, ids: list[int]) -> PerCycle:
    """Teams that opened planning in the cycle, and those activated below half."""
    return _grouped(
        TeamCycle.objects.filter(within(prefix, "team__path"), cycle__in=ids)
        .order_by()
        .values("cycle_id")
        .annotate(
            planning_teams=Count("pk"),
            below_half=Count("pk", filter=Q(activated_below_half=True)),
        )
    )


def _planning_members(prefix: str, ids: list[int]) -> PerCycle:
    """Memberships of the teams that opened planning in the cycle, and of them those whose
    person authored, commented on or supported a proposal of that team for that cycle (the
    rule of `soihtu.planning.selectors.participation`)."""
    in_planning = {
        "proposal__team": OuterRef("unit_id"),
        "proposal__cycle": OuterRef("unit__team_cycles__cycle_id"),
    }
    took_part = (
        Q(Exists(ProposalAuthor.objects.filter(user=OuterRef("user_id"), **in_planning)))
        | Q(Exists(ProposalComment.objects.filter(author=OuterRef("user_id"), **in_planning)))
        | Q(Exists(ProposalSupport.objects.filter(user=OuterRef("user_id"), **in_planning)))
    )
    return {
        row["cycle_id"]: {"planning_members": row["members"], "took_part": row["took_part"]}
        for row in Membership.objects.filter(
            within(prefix, "unit__path"), unit__kind=TEAM, unit__team_cycles__cycle__in=ids
        )
        .order_by()
        .values(cycle_id=F("unit__team_cycles__cycle_id"))
        .annotate(members=Count("pk"), took_part=Count("pk", filter=took_part))
    }


def _rituals(prefix: str, ids: list[int]) -> PerCycle:
    """Teams with a completed retrospective, learnings published (not internal to the team)
    and successes shared, per cycle: three small grouped counts."""
    team_scope = within(prefix, "team__path") & Q(cycle__in=ids)
    parts = [
        (
            "retrospectives_completed",
            Retrospective.objects.filter(team_scope, completed_at__isnull=False, team__kind=TEAM),
            Count("team_id", distinct=True),
        ),
        ("learnings_published", Learning.objects.filter(team_scope, internal=False), Count("pk")),
        ("successes_shared", Success.objects.filter(team_scope), Count("pk")),
    ]
    counts: PerCycle = defaultdict(dict)
    for name, queryset, counted in parts:
        for row in queryset.order_by().values("cycle_id").annotate(n=counted):
            counts[row["cycle_id"]][name] = row["n"]
    return counts


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _ideas(prefix: str, cycles: list[Cycle]) -> PerCycle:
    """Distinct ideas with a step to tried (or to adopted) dated within each cycle's dates
    (the rule of the ideas overview): one scan of the steps, a filtered count per cycle.
    The dates are compared as instants (local midnights), so that the database neither
    converts every step's time nor misses the index on (to_state, at)."""
    if not cycles:
        return {}
    aggregates = {}
    for c in cycles:
        dated = Q(
            at__gte=_local_midnight(c.starts_on),
            at__lt=_local_midnight(c.ends_on + datetime.timedelta(days=1)),
        )
        for name, state in [
            ("ideas_tried", Idea.State.TRIED),
            ("ideas_adopted", Idea.State.ADOPTED),
        ]:
            aggregates[f"{name}_{c.pk}"] = Count(
                "idea_id", filter=dated & Q(to_state=state), distinct=True
            )
    row = IdeaStep.objects.filter(
        within(prefix, "idea__team__path"),
        to_state__in=[Idea.State.TRIED, Idea.State.ADOPTED],
        at__gte=_local_midnight(cycles[0].starts_on),
    ).aggregate(**aggregates)
    counts: PerCycle = defaultdict(dict)
    for key, value in row.items():
        name, _sep, pk = key.rpartition("_")
        counts[int(pk)][name] = int(value)
    return counts


# --- The running cycle --------------------------------------------------------------------


def regularity(prefix: str, now: datetime.datetime) -> dict[str, int]:
    """Key results of active objectives in the running active cycle, and how many of them
    were checked in within their team's cadence: one query."""
    row = (
        followed_up(now)
        .select_related(None)
        .filter(within(prefix, "objective__owner_unit__path"))
        .aggregate(key_results=Count("pk"), within_cadence=Count("pk", filter=~due_condition(now)))
    )
    return {name: int(value) for name, value in row.items()}


def score_distribution(prefix: str, closed: list[int]) -> list[dict[str, Any]]:
    """For each closed cycle, committed and aspirational objectives apart, the number of
    objectives whose final score (the weighted key-result progress rounded to 0.1) falls in
    0.0–0.3 (red), 0.4–0.6 (yellow) and 0.7–1.0 (green): one query."""
    if not closed:
        return []
    rows = (
        Objective.objects.with_progress()
        .filter(within(prefix, "owner_unit__path"), cycle__in=closed, status__in=SCORED)
        .alias(score_rounded=Round("progress_value", 1))
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
        (pk, kind): {"cycle": pk, "kind": kind, "red": 0, "yellow": 0, "green": 0}
        for pk in closed
        for kind in Objective.Kind.values
    }
    for row in rows:
        table[row["cycle_id"], row["kind"]][row["band"]] = row["n"]
    return list(table.values())


def theme_progress(prefix: str, year_id: int | None) -> list[dict[str, Any]]:
    """Per strategy theme with objectives, the year's objectives (year and cycle objectives,
    not cancelled or draft) linked to it and their mean progress: one grouped query."""
    rows = (
        Objective.objects.with_progress()
        .filter(IN_USE, within(prefix, "owner_unit__path"), year_id=year_id or 0)
        .exclude(status=Objective.Status.DRAFT)
        .filter(themes__isnull=False)
        .order_by()
        .values("themes")
        .annotate(objectives=Count("pk"), progress=Avg("progress_value"))
    )
    return [
        {"theme": row["themes"], "objectives": row["objectives"], "progress": row["progress"]}
        for row in rows
    ]


def coverage_by_division(prefix: str, cycle_id: int | None) -> list[dict[str, Any]]:
    """Per division in scope (the units right under the organization), its teams and the
    people in them, and how many of each use OKRs in the cycle (a team has an objective in
    it): three queries."""
    in_scope = prefix[:DIVISION_PATH]
    in_use = Objective.objects.filter(IN_USE, cycle_id=cycle_id or 0)
    teams = (
        Unit.objects.filter(within(in_scope), kind=TEAM)
        .order_by()
        .values(division=Substr("path", 1, DIVISION_PATH))
        .annotate(
            teams=Count("pk"),
            teams_using=Count("pk", filter=Exists(in_use.filter(owner_unit=OuterRef("pk")))),
        )
    )
    people = (
        Membership.objects.filter(within(in_scope, "unit__path"), unit__kind=TEAM)
        .order_by()
        .values(division=Substr("unit__path", 1, DIVISION_PATH))
        .annotate(
            people=Count("user", distinct=True),
            people_using=Count(
                "user", distinct=True, filter=Exists(in_use.filter(owner_unit=OuterRef("unit_id")))
            ),
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(["teams", "teams_using", "people", "people_using"], 0)
    )
    for path, values in [*_by("division", teams).items(), *_by("division", people).items()]:
        counts[path].update(values)
    return [
        {"division_id": division.pk, "name": division.name, **counts[division.path]}
        for division in Unit.objects.filter(within(in_scope), depth=1).order_by("path")
    ]
