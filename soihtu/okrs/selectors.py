"""Page-shaped reads: each selector fetches everything its template needs in a fixed number
of queries, whatever the size of the organization."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Avg,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Concat

from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.core.charts import line_chart
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.access import objectives_hidden_from, objectives_visible_to
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import PATH_STEP, Membership, StrategyTheme, Unit
from soihtu.organization.roles import Actor

SEARCH_LIMIT = 50
MAX_TREE_DEPTH = 255 // PATH_STEP  # Unit.path holds at most this many levels


def _key_results() -> Prefetch[str, QuerySet[KeyResult], str]:
    return Prefetch("key_results", queryset=KeyResult.objects.select_related("owner"))


def visible_objectives(actor: Actor) -> QuerySet[Objective]:
    return (
        objectives_visible_to(actor)
        .select_related("owner_unit", "cycle__year", "year")
        .with_progress()
    )


@dataclass
class MyOkrsPage:
    cycle: Cycle | None
    teams: list[tuple[Membership, list[Objective]]]
    due_key_results: list[KeyResult]


def my_okrs_page(actor: Actor, cycle: Cycle | None) -> MyOkrsPage:
    """My teams, their objectives of the cycle, and my key results waiting for a check-in."""
    memberships = list(
        Membership.objects.filter(user=actor.user).select_related("unit").order_by("unit__path")
    )
    unit_ids = [m.unit_id for m in memberships]
    objectives = list(
        visible_objectives(actor)
        .filter(owner_unit_id__in=unit_ids, cycle=cycle)
        .prefetch_related(_key_results())
    )
    by_unit: dict[int, list[Objective]] = {}
    for objective in objectives:
        by_unit.setdefault(objective.owner_unit_id, []).append(objective)
    # A key result keeps its owner after they leave the team: a restricted one is then hidden.
    mine = (
        KeyResult.objects.filter(owner=actor.user, objective__cycle=cycle)
        .filter(objective__in=objectives_visible_to(actor))
        .exclude(objective__status=Objective.Status.CANCELLED)
        .select_related("objective", "objective__cycle", "objective__year", "objective__owner_unit")
    )
    due = [kr for kr in mine if kr.is_due] if cycle else []
    teams = [(m, by_unit.get(m.unit_id, [])) for m in memberships]
    return MyOkrsPage(cycle, teams, due)


@dataclass
class UnitPage:
    unit: Unit
    cycle: Cycle | None
    ancestors: list[Unit]
    children: list[Unit]
    memberships: list[Membership]
    year_objectives: list[Objective]
    cycle_objectives: list[Objective]


def unit_page(actor: Actor, unit: Unit, cycle: Cycle | None) -> UnitPage:
    """A team's (or unit's) page: its objectives of the cycle and of the year, its people."""
    ancestors = list(Unit.objects.filter(path__in=unit.ancestor_paths()[:-1]))
    children = list(unit.children.order_by("name"))
    memberships = list(unit.memberships.select_related("user").order_by("role", "user__last_name"))
    objectives = list(
        visible_objectives(actor)
        .filter(owner_unit=unit)
        .filter(Q(cycle=cycle) | Q(cycle__isnull=True, year_id=cycle.year_id if cycle else None))
        .prefetch_related(_key_results(), "themes")
    )
    return UnitPage(
        unit=unit,
        cycle=cycle,
        ancestors=ancestors,
        children=children,
        memberships=memberships,
        year_objectives=[o for o in objectives if o.cycle_id is None],
        cycle_objectives=[o for o in objectives if o.cycle_id is not None],
    )


@dataclass
class SightNode:
    objective: Objective
    parents: list[SightNode] = field(default_factory=list)


@dataclass
class ObjectivePage:
    objective: Objective
    key_results: list[KeyResult]
    line_of_sight: list[SightNode]
    contributors: list[Objective]
    history: list[AuditEvent]


def _contribution_edges_up(objective_id: int) -> list[tuple[int, int]]:
    """Every (lower, higher) contribution edge reachable upward from the objective: one query.

    UNION (not UNION ALL) stops at edges already seen, so even a cyclic graph ends.
    """
    table = Objective.contributes_to.through._meta.db_table
    sql = f"""
        WITH RECURSIVE up(lower, higher) AS (
            SELECT from_objective_id, to_objective_id FROM {table} WHERE from_objective_id = %s
            UNION
            SELECT t.from_objective_id, t.to_objective_id FROM {table} t
            JOIN up ON t.from_objective_id = up.higher
        )
        SELECT lower, higher FROM up
    """  # noqa: S608 - the table name comes from the model, the value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [objective_id])
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def _line_of_sight(actor: Actor, objective: Objective) -> list[SightNode]:
    edges = _contribution_edges_up(objective.pk)
    ids = {higher for _lower, higher in edges}
    found = {
        o.pk: o for o in visible_objectives(actor).filter(pk__in=ids).prefetch_related("themes")
    }
    parents: dict[int, list[int]] = {}
    for lower, higher in edges:
        if higher in found:
            parents.setdefault(lower, []).append(higher)

    def build(pk: int, seen: frozenset[int]) -> list[SightNode]:
        return [
            SightNode(found[p], build(p, seen | {p}))
            for p in sorted(parents.get(pk, []))
            if p not in seen
        ]

    return build(objective.pk, frozenset({objective.pk}))


def objective_page(actor: Actor, objective: Objective) -> ObjectivePage:
    """An objective (fetched through access, with progress) with its key results, check-in
    history and charts, line of sight upward, contributors from below, and its history."""
    prefetch_related_objects([objective], "themes")
    key_results = list(objective.key_results.select_related("owner"))
    for kr in key_results:
        kr.objective = objective
    checkins: dict[int, list[CheckIn]] = {kr.pk: [] for kr in key_results}
    for checkin in CheckIn.objects.filter(key_result__objective=objective).select_related("author"):
        checkins[checkin.key_result_id].append(checkin)
    for kr in key_results:
        kr.checkin_list = checkins[kr.pk]  # type: ignore[attr-defined]
        kr.chart = line_chart(kr, checkins[kr.pk])  # type: ignore[attr-defined]
    contributors = list(
        visible_objectives(actor).filter(contributes_to=objective).order_by("owner_unit__path")
    )
    history = list(
        AuditEvent.objects.filter(objective_id=objective.pk).select_related("actor")[:100]
    )
    return ObjectivePage(
        objective=objective,
        key_results=key_results,
        line_of_sight=_line_of_sight(actor, objective),
        contributors=contributors,
        history=history,
    )


@dataclass
class ThemeBlock:
    theme: StrategyTheme
    progress: float
    objectives: list[Objective]


@dataclass
class StrategyPage:
    year: Year | None
    years: list[Year]
    themes: list[ThemeBlock]
    unthemed: list[Objective]


def _contributor_counts(actor: Actor, objective_ids: list[int]) -> dict[int, int]:
    """How many objectives this person may see contribute to each objective, directly or
    further down through objectives they may see (a count names linked objectives too, so it
    follows their visibility): one query."""
    if not objective_ids:
        return {}
    table = Objective.contributes_to.through._meta.db_table
    marks = ", ".join(["%s"] * len(objective_ids))
    # The few objectives hidden from the person are left out (cheaper than keeping the many
    # visible ones); nothing is hidden from the OKR office.
    hidden_sql, hidden_params = (
        ("SELECT -1", ())
        if actor.is_org_admin
        else objectives_hidden_from(actor).values("pk").query.sql_with_params()
    )
    sql = f"""
        WITH RECURSIVE down(root, lower) AS (
            SELECT to_objective_id, from_objective_id FROM {table}
            WHERE to_objective_id IN ({marks}) AND from_objective_id NOT IN ({hidden_sql})
            UNION
            SELECT down.root, t.from_objective_id FROM {table} t
            JOIN down ON t.to_objective_id = down.lower
            WHERE t.from_objective_id NOT IN ({hidden_sql})
        )
        SELECT root, COUNT(DISTINCT lower) FROM down GROUP BY root
    """  # noqa: S608 - table names and the visibility subquery come from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*objective_ids, *hidden_params, *hidden_params])
        return {int(root): int(count) for root, count in cursor.fetchall()}


def strategy_page(actor: Actor, year: Year | None) -> StrategyPage:
    """The themes; under each the organization objectives of the year with progress and the
    number of objectives that contribute to them from units and teams."""
    years = list(Year.objects.order_by("-number"))
    objectives = list(
        visible_objectives(actor)
        .filter(year=year, owner_unit__parent__isnull=True, cycle__isnull=True)
        .prefetch_related("themes")
    )
    counts = _contributor_counts(actor, [o.pk for o in objectives])
    for objective in objectives:
        objective.contributor_count = counts.get(objective.pk, 0)  # type: ignore[attr-defined]
    theme_progress = dict(
        visible_objectives(actor)
        .filter(year=year, owner_unit__parent__isnull=True, cycle__isnull=True)
        .values("themes")
        .annotate(mean=Avg("progress_value"))
        .values_list("themes", "mean")
    )
    blocks = [
        ThemeBlock(
            theme=theme,
            progress=theme_progress.get(theme.pk) or 0.0,
            objectives=[o for o in objectives if theme in o.themes.all()],
        )
        for theme in StrategyTheme.objects.all()
    ]
    unthemed = [o for o in objectives if not o.themes.all()]
    return StrategyPage(year=year, years=years, themes=blocks, unthemed=unthemed)


@dataclass
class OrganizationPage:
    cycle: Cycle | None
    units: list[Unit]
    focus: Unit | None
    query: str
    results: list[Objective] | None


def _subtree_rollup(actor: Actor, cycle: Cycle | None) -> dict[str, tuple[float, int]]:
    """Mean progress and number of visible objectives in every unit's subtree, keyed by the
    unit's path: one query.

    Each objective is counted once for every unit above its owner (the prefixes of the owner's
    materialized path), so the database does objectives × depth rows of work, not
    objectives × units.
    """
    period = Q(cycle=cycle) | Q(cycle__isnull=True, year_id=cycle.year_id if cycle else None)
    objectives = visible_objectives(actor).filter(period).order_by()
    inner, params = (
        objectives.annotate(upath=F("owner_unit__path"))
        .values("upath", "progress_value")
        .query.sql_with_params()
    )
    levels = ", ".join(f"({level})" for level in range(1, MAX_TREE_DEPTH + 1))
    sql = f"""
        SELECT substr(op.upath, 1, levels.column1 * {PATH_STEP}) AS unit_path,
               AVG(op.progress_value), COUNT(*)
        FROM ({inner}) op, (VALUES {levels}) AS levels
        WHERE length(op.upath) >= levels.column1 * {PATH_STEP}
        GROUP BY unit_path
    """  # noqa: S608 - built from the ORM's own SQL and constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {path: (float(mean or 0.0), int(count)) for path, mean, count in cursor.fetchall()}


def _units_with_rollup(actor: Actor, cycle: Cycle | None, focus: Unit | None) -> list[Unit]:
    """The units (of `focus`'s subtree, or all) with `rollup_progress` and `rollup_count`."""
    rollup = _subtree_rollup(actor, cycle)
    torchbearer = Membership.objects.filter(
        unit=OuterRef("pk"), role=Membership.Role.TORCHBEARER
    ).annotate(full_name=Concat("user__first_name", Value(" "), "user__last_name"))
    units = Unit.objects.annotate(
        torchbearer_name=Subquery(torchbearer.values("full_name")[:1])
    ).order_by("path")
    if focus is not None:
        units = units.subtree_of(focus)
    result = list(units)
    for unit in result:
        unit.rollup_progress, unit.rollup_count = rollup.get(unit.path, (0.0, 0))  # type: ignore[attr-defined]
    return result


def organization_page(
    actor: Actor, cycle: Cycle | None, query: str, focus: Unit | None = None
) -> OrganizationPage:
    """The unit tree (or the subtree of `focus`) with rolled-up progress, the objectives of
    the units above team level (teams list theirs on their own page), and a search."""
    units = _units_with_rollup(actor, cycle, focus)
    period = Q(cycle=cycle) | Q(cycle__isnull=True, year_id=cycle.year_id if cycle else None)
    by_unit: dict[int, list[Objective]] = {}
    above_teams = (
        visible_objectives(actor)
        .filter(period)
        .exclude(owner_unit__kind=Unit.Kind.TEAM)
        .order_by("owner_unit__path", "id")
    )
    if focus is not None:
        above_teams = above_teams.filter(owner_unit__path__startswith=focus.path)
    for objective in above_teams:
        by_unit.setdefault(objective.owner_unit_id, []).append(objective)
    for unit in units:
        unit.objective_list = by_unit.get(unit.pk, [])  # type: ignore[attr-defined]
    results = None
    if query:
        results = list(
            visible_objectives(actor)
            .filter(
                Q(title__icontains=query)
                | Q(description__icontains=query)
                | Q(key_results__title__icontains=query)
            )
            .distinct()
            .order_by("-year__number", "-cycle__starts_on", "title")[:SEARCH_LIMIT]
        )
    return OrganizationPage(cycle, units, focus, query, results)
