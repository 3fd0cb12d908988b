"""The alignment map's reads: which themes and objectives the map draws, in a fixed number of
queries whatever the size of the organization.

The overview of a year draws the strategy themes and the organization objectives, each with the
number of objectives that contribute to it (never the whole organization). A focused map draws
the neighbourhood of an objective, or of a unit's objectives in a cycle: everything they
contribute to up to the strategy themes, and what contributes to them two levels down, at most
MAX_NODES objectives. Everything drawn, linked or counted follows `access.can_see_objective`:
a restricted objective the person may not see is neither a box, a line, a name nor a count, and
nothing is reached through it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soihtu.cycles.models import Cycle, Year, current_among
from soihtu.okrs.access import objectives_hidden_from
from soihtu.okrs.alignment import (
    NO_THEME,
    TITLE_CHARS,
    UNIT_CHARS,
    MapLayout,
    MapNode,
    lay_out,
    theme_colour,
    wrap,
)
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.selectors import contributor_counts, period_q, visible_objectives
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.organization.roles import Actor

MAX_NODES = 60  # objectives drawn at most; the rest are counted ("and N more")
MAX_ROOTS = 20  # a unit's own objectives drawn at most
DIRECT_SHARE = 2 / 3  # of the room left below, what the direct contributors may take


@dataclass
class MapLayer:
    label: str
    nodes: list[MapNode]


@dataclass
class AlignmentMap:
    layout: MapLayout
    layers: list[MapLayer]
    legend: list[tuple[str, str]]  # (colour, theme name) of the themes drawn
    year: Year | None
    years: list[Year] = field(default_factory=list)
    focus_objective: Objective | None = None
    focus_unit: Unit | None = None
    cycle: Cycle | None = None
    roots: list[Objective] = field(default_factory=list)  # what the map is focused on
    more_roots: int = 0  # a unit's own objectives not drawn
    more_direct: int = 0  # objectives contributing to the focus, not drawn
    more_further: int = 0  # objectives contributing to those drawn below the focus, not drawn
    counts_as_of: datetime.datetime | None = None

    @property
    def objectives(self) -> list[Objective]:
        return [n.objective for n in self.layout.nodes if n.objective is not None]

    @property
    def is_overview(self) -> bool:
        return self.focus_objective is None and self.focus_unit is None


def _map_objectives(actor: Actor) -> QuerySet[Objective]:
    """The objectives this person may see, with progress, owner unit and whether they are the
    person's own (an objective of their team, or one with a key result they own)."""
    own_key_result = KeyResult.objects.filter(objective=OuterRef("pk"), owner=actor.user)
    mine = Q(owner_unit_id__in=list(actor.roles)) | Q(Exists(own_key_result))
    return visible_objectives(actor).annotate(
        is_mine=Case(When(mine, then=Value(True)), default=Value(False))
    )


def _ranked_themes() -> Prefetch[str, QuerySet[StrategyTheme], str]:
    """Objectives' themes, each with its `rank` among all themes (its colour): the themes
    before it in the themes' order, counted in the same query."""
    before = StrategyTheme.objects.filter(
        Q(order__lt=OuterRef("order")) | Q(order=OuterRef("order"), pk__lt=OuterRef("pk"))
    )
    count = before.order_by().values(n=Func("pk", function="COUNT"))
    return Prefetch("themes", queryset=StrategyTheme.objects.annotate(rank=Subquery(count[:1])))


def _ranks(objectives: list[Objective]) -> dict[int, int]:
    """The rank of each theme of `objectives` (prefetched with `_ranked_themes`)."""
    return {t.pk: int(getattr(t, "rank", 0)) for o in objectives for t in o.themes.all()}


def _theme_node(theme: StrategyTheme, rank: int) -> MapNode:
    return MapNode(
        key=f"theme:{theme.pk}",
        layer=0,
        sort_key=(rank,),
        theme=theme,
        colours=[theme_colour(rank)],
        label=ngettext("Strategy theme: %(names)s", "Strategy themes: %(names)s", 1)
        % {"names": theme.name},
        title_lines=wrap(theme.name, TITLE_CHARS, 1),
    )


def _objective_node(objective: Objective, ranks: dict[int, int], *, focus: bool) -> MapNode:
    themes = sorted(objective.themes.all(), key=lambda t: ranks.get(t.pk, len(ranks)))
    mine = bool(getattr(objective, "is_mine", False))
    unit = objective.owner_unit.name
    node = MapNode(
        key=f"objective:{objective.pk}",
        layer=1 + objective.owner_unit.depth,
        sort_key=(objective.owner_unit.path, objective.title.casefold(), objective.pk),
        objective=objective,
        themes=themes,
        colours=[theme_colour(ranks.get(t.pk)) for t in themes],
        mine=mine,
        focus=focus,
        title_lines=wrap(objective.title, TITLE_CHARS, 2),
        unit_line=wrap(_("Yours · %(unit)s") % {"unit": unit} if mine else unit, UNIT_CHARS, 1)[0],
        focus_text=_("Focus here"),
        focus_label=_("Focus the map on %(title)s") % {"title": objective.title},
    )
    node.label = _describe(node)
    return node


def _describe(node: MapNode) -> str:
    """The accessible name of an objective's box: title, unit, themes, progress and flags."""
    objective = node.objective
    assert objective is not None
    names = ", ".join(t.name for t in node.themes)
    parts = [
        objective.title,
        objective.owner_unit.name,
        ngettext("Strategy theme: %(names)s", "Strategy themes: %(names)s", len(node.themes))
        % {"names": names}
        if node.themes
        else _("No strategy theme"),
        _("Progress %(percent)s %%") % {"percent": objective.progress_percent},
    ]
    if objective.is_restricted:
        parts.append(_("Restricted"))
    if node.mine:
        parts.append(_("Your objective"))
    if node.focus:
        parts.append(_("In focus"))
    return ". ".join(parts)


def _layer_label(nodes: list[MapNode]) -> str:
    if nodes and nodes[0].is_theme:
        return _("Strategy themes")
    kinds = {n.objective.owner_unit.kind for n in nodes if n.objective is not None}
    labels = {
        Unit.Kind.ORGANIZATION: _("Organization objectives"),
        Unit.Kind.DIVISION: _("Division objectives"),
        Unit.Kind.UNIT: _("Unit objectives"),
        Unit.Kind.TEAM: _("Team objectives"),
    }
    return ", ".join(str(labels[k]) for k in labels if k in kinds)


def _legend(nodes: list[MapNode], ranks: dict[int, int]) -> list[tuple[str, str]]:
    themes = {t.pk: t for n in nodes for t in ([n.theme] if n.theme else n.themes)}
    ordered = sorted(themes.values(), key=lambda t: ranks.get(t.pk, 0))
    legend = [(theme_colour(ranks.get(t.pk)), t.name) for t in ordered]
    if any(n.objective is not None and not n.themes for n in nodes):
        legend.append((NO_THEME, _("No strategy theme")))
    return legend


def _assemble(nodes: list[MapNode], ranks: dict[int, int], **fields: object) -> AlignmentMap:
    layout = lay_out(nodes)
    layers = [MapLayer(_layer_label(layer), layer) for layer in layout.layers]
    return AlignmentMap(layout=layout, layers=layers, legend=_legend(nodes, ranks), **fields)  # type: ignore[arg-type]


def map_overview(actor: Actor, number: int | None) -> AlignmentMap:
    """The strategy themes and the organization objectives of the year (`number`, else the
    current one), each objective with the number of objectives the person may see that
    contribute to it: five queries."""
    years = list(Year.objects.order_by("-number"))
    year = next((y for y in years if y.number == number), None) or current_among(years)
    objectives = list(
        _map_objectives(actor)
        .filter(year=year, owner_unit__parent__isnull=True, cycle__isnull=True)
        .prefetch_related("themes")
        .order_by("id")[:MAX_NODES]
    )
    counts, as_of = contributor_counts(actor, [o.pk for o in objectives])
    themes = list(StrategyTheme.objects.all())
    ranks = {t.pk: rank for rank, t in enumerate(themes)}
    nodes = [_theme_node(t, ranks[t.pk]) for t in themes]
    for objective in objectives:
        node = _objective_node(objective, ranks, focus=False)
        node.parents = [f"theme:{t.pk}" for t in node.themes]
        node.count = counts.get(objective.pk, 0)
        node.focus_text = ngettext(
            "%(n)s contributing objective", "%(n)s contributing objectives", node.count
        ) % {"n": node.count}
        node.focus_label = ngettext(
            "Show the %(n)s contributing objective of %(title)s on the map",
            "Show the %(n)s contributing objectives of %(title)s on the map",
            node.count,
        ) % {"n": node.count, "title": objective.title}
        nodes.append(node)
    return _assemble(nodes, ranks, year=year, years=years, counts_as_of=as_of)


def _edges_up(root_ids: list[int]) -> list[tuple[int, int]]:
    """Every (lower, higher) contribution edge reachable upward from the roots: one query.

    UNION (not UNION ALL) stops at edges already seen, so even a cyclic graph ends."""
    if not root_ids:
        return []
    table = Objective.contributes_to.through._meta.db_table
    marks = ", ".join(["%s"] * len(root_ids))
    sql = f"""
        WITH RECURSIVE up(lower, higher) AS (
            SELECT from_objective_id, to_objective_id FROM {table}
            WHERE from_objective_id IN ({marks})
            UNION
            SELECT t.from_objective_id, t.to_objective_id FROM {table} t
            JOIN up ON t.from_objective_id = up.higher
        )
        SELECT lower, higher FROM up
    """  # noqa: S608 - the table name comes from the model, the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, root_ids)
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def _reachable_up(root_ids: set[int], edges: list[tuple[int, int]], seen: set[int]) -> set[int]:
    """The objectives above the roots reached through objectives the person may see (`seen`):
    none only through a hidden one."""
    above: dict[int, list[int]] = {}
    for lower, higher in edges:
        above.setdefault(lower, []).append(higher)
    reached, todo = set(root_ids), list(root_ids)
    while todo:
        for higher in above.get(todo.pop(), []):
            if higher in seen and higher not in reached:
                reached.add(higher)
                todo.append(higher)
    return reached - root_ids


def _contributors(
    actor: Actor, to_ids: list[int], drawn: set[int], room: int
) -> tuple[list[Objective], int]:
    """The objectives the person may see that contribute directly to `to_ids` and are not
    drawn yet: the person's own first, then from the top of the organization down; at most
    `room`, and how many there are in all (a window count of the same query): one query."""
    if not to_ids:
        return [], 0
    edges = Objective.contributes_to.through.objects.filter(to_objective_id__in=to_ids)
    found: list[Objective] = list(
        _map_objectives(actor)
        .filter(pk__in=edges.values("from_objective_id"))
        .exclude(pk__in=drawn)
        .annotate(total=Window(Count("pk")))
        .order_by(F("is_mine").desc(), "owner_unit__depth", "owner_unit__path", "id")[
            : max(room, 1)
        ]
    )
    total = int(getattr(found[0], "total", 0)) if found else 0
    return found[:room], total


def _parent_links(actor: Actor, ids: list[int]) -> list[tuple[int, int, str]]:
    """(lower, higher, higher's title) for every objective that the drawn ones contribute to
    and the person may see, drawn or not: one query."""
    return list(
        Objective.contributes_to.through.objects.filter(from_objective_id__in=ids)
        .exclude(to_objective__in=objectives_hidden_from(actor))
        .order_by("to_objective__owner_unit__path", "to_objective_id")
        .values_list("from_objective_id", "to_objective_id", "to_objective__title")
    )


def _neighbourhood(actor: Actor, roots: list[Objective], **fields: object) -> AlignmentMap:
    """The map of `roots` (visible objectives, loaded by `_map_objectives`): what they
    contribute to up to the strategy themes, through objectives the person may see, and two
    levels of contributors below them, at most MAX_NODES objectives in all. Six queries."""
    root_ids = [o.pk for o in roots]
    edges = _edges_up(root_ids)
    higher = {h for _lower, h in edges} - set(root_ids)
    found = {o.pk: o for o in _map_objectives(actor).filter(pk__in=higher)} if higher else {}
    reached = _reachable_up(set(root_ids), edges, set(found))
    above = sorted((found[pk] for pk in reached), key=lambda o: o.pk)[: MAX_NODES - len(roots)]
    drawn = {o.pk for o in [*roots, *above]}
    room = MAX_NODES - len(drawn)
    direct, direct_total = _contributors(actor, root_ids, drawn, int(room * DIRECT_SHARE))
    drawn |= {o.pk for o in direct}
    further, further_total = _contributors(
        actor, [o.pk for o in direct], drawn, MAX_NODES - len(drawn)
    )
    objectives = [*roots, *above, *direct, *further]
    prefetch_related_objects(objectives, _ranked_themes())
    ranks = _ranks(objectives)
    focused = set(root_ids)
    nodes = {o.pk: _objective_node(o, ranks, focus=o.pk in focused) for o in objectives}
    for lower, higher_id, title in _parent_links(actor, list(nodes)):
        node = nodes[lower]
        node.contributes_to.append((higher_id, title))
        if higher_id in nodes:
            node.parents.append(f"objective:{higher_id}")
    theme_nodes: dict[int, MapNode] = {}
    for node in nodes.values():
        # Each box at the top of the drawing hangs from its strategy themes.
        if not node.parents or node.layer == 1:
            for theme in node.themes:
                if theme.pk not in theme_nodes:
                    theme_nodes[theme.pk] = _theme_node(theme, ranks[theme.pk])
                node.parents.append(f"theme:{theme.pk}")
    return _assemble(
        [*theme_nodes.values(), *nodes.values()],
        ranks,
        roots=roots,
        more_direct=direct_total - len(direct),
        more_further=further_total - len(further),
        **fields,
    )


def map_focus_objective(actor: Actor, objective: Objective) -> AlignmentMap:
    """The neighbourhood of one objective the person may see (fetched through access): one
    query to load it as the map shows it, then `_neighbourhood`."""
    root = _map_objectives(actor).get(pk=objective.pk)
    page = _neighbourhood(actor, [root], year=objective.year, focus_objective=root)
    for node in page.layout.nodes:
        if node.objective is root:
            node.focus_text = ""  # the map is focused on it already
    return page


def map_focus_unit(actor: Actor, unit: Unit, cycle: Cycle | None) -> AlignmentMap:
    """The neighbourhood of a unit's objectives of the cycle (and of its year) that the person
    may see, at most MAX_ROOTS of them: one query, then `_neighbourhood`."""
    roots: list[Objective] = list(
        _map_objectives(actor)
        .filter(period_q(cycle), owner_unit=unit)
        .annotate(total=Window(Count("pk")))
        .order_by("cycle_id", "id")[:MAX_ROOTS]
    )
    more = int(getattr(roots[0], "total", 0)) - len(roots) if roots else 0
    year = cycle.year if cycle is not None else None
    return _neighbourhood(actor, roots, year=year, focus_unit=unit, cycle=cycle, more_roots=more)
