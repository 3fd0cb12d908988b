"""Page-shaped reads: each selector fetches everything its template needs in a fixed number
of queries, whatever the size of the organization."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Avg,
    Exists,
    Expression,
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
from soihtu.cycles.models import Cycle, Year, current_among
from soihtu.okrs.access import objectives_hidden_from, objectives_visible_to
from soihtu.okrs.models import (
    ContributorCount,
    KeyResult,
    Objective,
    UnitProgress,
    UnitProgressRefresh,
    contributor_counts_sql,
    subtree_rollup_sql,
)
from soihtu.okrs.services import unit_progress_refresh
from soihtu.organization.models import Membership, StrategyTheme, Unit
from soihtu.organization.roles import Actor

SEARCH_PAGE = 20


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
    teams = [(m, by_unit.get(m.unit_id, [])) for m in memberships]
    return MyOkrsPage(cycle, teams, my_due_key_results(actor, cycle))


def my_due_key_results(actor: Actor, cycle: Cycle | None) -> list[KeyResult]:
    """The person's own key results of the cycle waiting for a check-in (one query, none
    without a cycle), with objective, cycle and team loaded: the "waiting for my check-in"
    box of My OKRs, also swapped in after an inline check-in."""
    if cycle is None:
        return []
    # A key result keeps its owner after they leave the team: a restricted one is then hidden.
    mine = (
        KeyResult.objects.filter(owner=actor.user, objective__cycle=cycle)
        .filter(objective__in=objectives_visible_to(actor))
        .exclude(objective__status=Objective.Status.CANCELLED)
        .select_related("objective", "objective__cycle", "objective__year", "objective__owner_unit")
    )
    return [kr for kr in mine if kr.is_due]


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

    @property
    def has_pace(self) -> bool:
        """Whether any key result's progress is expected to follow the calendar (milestones
        and guardrails do not), so that an expected progress means something."""
        return any(kr.has_pace for kr in self.key_results)


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
    """The objectives above, as a tree; their themes and the objective's own are read in one
    query."""
    edges = _contribution_edges_up(objective.pk)
    ids = {higher for _lower, higher in edges}
    found = {o.pk: o for o in visible_objectives(actor).filter(pk__in=ids)}
    prefetch_related_objects([objective, *found.values()], "themes")
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
    counts_as_of: datetime.datetime | None  # None when counted live


def contributor_counts(
    actor: Actor, objective_ids: list[int]
) -> tuple[dict[int, int], datetime.datetime | None]:
    """How many objectives this person may see contribute to each objective, directly or
    further down through objectives they may see (a count names linked objectives too, so it
    follows their visibility): two queries.

    The counts are precomputed through open objectives (everyone) and through all (the OKR
    office). Only a person who sees a restricted objective that contributes somewhere gets
    their own count, live, leaving out the few objectives hidden from them."""
    if not objective_ids:
        return {}, None
    edges = Objective.contributes_to.through.objects
    sees_restricted_link = Exists(
        edges.filter(
            from_objective__in=objectives_visible_to(actor).filter(
                visibility=Objective.Visibility.RESTRICTED
            )
        )
    )
    as_of, live = rollup_as_of(None if actor.is_org_admin else sees_restricted_link)
    if not live:
        field = "all_contributors" if actor.is_org_admin else "open_contributors"
        stored = ContributorCount.objects.filter(objective_id__in=objective_ids)
        return dict(stored.values_list("objective_id", field)), as_of
    hidden, params = objectives_hidden_from(actor).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            contributor_counts_sql(len(objective_ids), hidden), [*objective_ids, *params, *params]
        )
        return {int(root): int(count) for root, count in cursor.fetchall()}, None


def strategy_page(actor: Actor, number: int | None) -> StrategyPage:
    """The themes; under each the organization objectives of the year (`number`, else the
    current year) with progress and the number of objectives that contribute to them from
    units and teams."""
    years = list(Year.objects.order_by("-number"))
    year = next((y for y in years if y.number == number), None) or current_among(years)
    objectives = list(
        visible_objectives(actor)
        .filter(year=year, owner_unit__parent__isnull=True, cycle__isnull=True)
        .prefetch_related("themes")
    )
    counts, as_of = contributor_counts(actor, [o.pk for o in objectives])
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
    return StrategyPage(
        year=year,
        years=years,
        themes=blocks,
        unthemed=unthemed,
        counts_as_of=as_of,
    )


@dataclass
class UnitRow:
    """One unit of the organization tree as the page shows it: its roll-up (the objectives of
    the unit and the units below it that the person may see), its torchbearer (teams), its own
    objectives (units above team level; teams list theirs on their own page) and whether it has
    units below it to open."""

    unit: Unit
    rollup_count: int
    rollup_progress: float
    torchbearer_name: str | None
    has_children: bool
    objectives: list[Objective]
    children: list[UnitRow] = field(default_factory=list)


@dataclass
class OrganizationPage:
    cycle: Cycle | None
    focus: Unit | None
    ancestors: list[Unit]
    tree: list[UnitRow]  # the top (the organization, or `focus`) with its children loaded
    rollup_as_of: datetime.datetime
    query: str
    results: list[Objective] | None
    results_page: int = 1
    more_results: bool = False

    @property
    def rows(self) -> list[UnitRow]:
        """Every row shown, top first."""
        return [row for top in self.tree for row in (top, *top.children)]


def period_q(cycle: Cycle | None) -> Q:
    return Q(cycle=cycle) | Q(cycle__isnull=True, year_id=cycle.year_id if cycle else None)


def _restricted_rollup(
    actor: Actor, cycle: Cycle | None, paths: list[str]
) -> dict[str, tuple[int, float]]:
    """The restricted objectives of the period that this person may see, rolled up onto the
    units at `paths`: one query, over the few restricted objectives (a partial index)."""
    inner, params = (
        objectives_visible_to(actor)
        .filter(period_q(cycle), visibility=Objective.Visibility.RESTRICTED)
        .with_progress()
        .annotate(upath=F("owner_unit__path"))
        .order_by()
        .values("upath", "progress_value")
        .query.sql_with_params()
    )
    marks = ", ".join(["%s"] * len(paths))
    sql = f"SELECT * FROM ({subtree_rollup_sql(inner)}) r WHERE r.unit_path IN ({marks})"  # noqa: S608 - built from the ORM's SQL; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *paths])
        return {path: (int(n), float(total or 0.0)) for path, n, total in cursor.fetchall()}


def _unit_rows(actor: Actor, cycle: Cycle | None, units: list[Unit]) -> list[UnitRow]:
    """Rows for `units` (annotated with torchbearer_name and has_children): roll-ups from the
    precomputed open objectives plus the restricted ones this person may see, and the own
    objectives of units above team level. Three queries, whatever the organization's size."""
    ids = [u.pk for u in units]
    stored = {
        row.unit_id: (row.objectives, row.progress_sum)
        for row in UnitProgress.objects.filter(cycle=cycle, unit_id__in=ids)
    }
    restricted = _restricted_rollup(actor, cycle, [u.path for u in units]) if units else {}
    own: dict[int, list[Objective]] = {}
    above_teams = [u.pk for u in units if not u.is_team]
    for objective in (
        visible_objectives(actor)
        .filter(period_q(cycle), owner_unit_id__in=above_teams)
        .order_by("owner_unit__path", "id")
    ):
        own.setdefault(objective.owner_unit_id, []).append(objective)
    rows = []
    for unit in units:
        count, total = stored.get(unit.pk, (0, 0.0))
        extra_count, extra_total = restricted.get(unit.path, (0, 0.0))
        count, total = count + extra_count, total + extra_total
        rows.append(
            UnitRow(
                unit=unit,
                rollup_count=count,
                rollup_progress=total / count if count else 0.0,
                torchbearer_name=getattr(unit, "torchbearer_name", None),
                has_children=bool(getattr(unit, "has_children", False)),
                objectives=own.get(unit.pk, []),
            )
        )
    return rows


def _tree_units(focus: Unit | None) -> list[Unit]:
    """The organization's top (or `focus`) and the units right below it, with their
    torchbearer's name and whether they have units below them: one query."""
    torchbearer = Membership.objects.filter(
        unit=OuterRef("pk"), role=Membership.Role.TORCHBEARER
    ).annotate(full_name=Concat("user__first_name", Value(" "), "user__last_name"))
    shown = Q(depth__lte=1) if focus is None else Q(pk=focus.pk) | Q(parent=focus)
    return list(
        Unit.objects.filter(shown)
        .annotate(
            torchbearer_name=Subquery(torchbearer.values("full_name")[:1]),
            has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))),
        )
        .order_by("path")
    )


def rollup_as_of(live: Expression | Exists | None = None) -> tuple[datetime.datetime, bool]:
    """When the roll-ups were last refreshed, and the value of `live` (a condition a page
    asks in the same query); refreshes them first if they never were (a new installation),
    so that a page never shows nothing where there is something."""
    stamps = UnitProgressRefresh.objects.annotate(live=Value(False) if live is None else live)
    stamp = stamps.first()
    if stamp is None:
        unit_progress_refresh()
        stamp = stamps.get()
    return stamp.refreshed_at, bool(stamp.live)


def _search(actor: Actor, query: str, page: int) -> tuple[list[Objective], bool]:
    """One page of objectives whose title or description, or a key result's title, contains
    `query` (trigram indexes on PostgreSQL): one query, SEARCH_PAGE rows and one to tell
    whether there are more."""
    matching_kr = KeyResult.objects.filter(title__icontains=query).values("objective_id")
    start = (page - 1) * SEARCH_PAGE
    found = list(
        objectives_visible_to(actor)
        .filter(Q(title__icontains=query) | Q(description__icontains=query) | Q(pk__in=matching_kr))
        .select_related("owner_unit", "cycle__year", "year")
        .order_by("-year__number", "-cycle__starts_on", "title", "id")[
            start : start + SEARCH_PAGE + 1
        ]
    )
    return found[:SEARCH_PAGE], len(found) > SEARCH_PAGE


def organization_page(
    actor: Actor, cycle: Cycle | None, query: str, focus: Unit | None = None, page: int = 1
) -> OrganizationPage:
    """The organization (or `focus`) and the units right below it, each with its rolled-up
    progress; the units below open level by level. And a search, a page at a time."""
    as_of, _live = rollup_as_of()
    units = _tree_units(focus)
    ancestors = list(Unit.objects.filter(path__in=focus.ancestor_paths()[:-1])) if focus else []
    rows = _unit_rows(actor, cycle, units)
    top_depth = min((row.unit.depth for row in rows), default=0)
    tree = [row for row in rows if row.unit.depth == top_depth]
    for row in rows:
        if row.unit.depth != top_depth:
            parent = next(t for t in tree if t.unit.pk == row.unit.parent_id)
            parent.children.append(row)
    results, more = _search(actor, query, page) if query else (None, False)
    return OrganizationPage(
        cycle=cycle,
        focus=focus,
        ancestors=ancestors,
        tree=tree,
        rollup_as_of=as_of,
        query=query,
        results=results,
        results_page=page,
        more_results=more,
    )
