"""The alignment map's layout: where each box and each line of the server-rendered SVG goes.

Plain Python over the nodes a selector chose (soihtu.okrs.map_selectors), no queries. A simple
layered layout: strategy themes on top, then one layer per level of the organization tree
(organization, divisions, units, teams), as the objectives' owner units stand. Within a layer
the boxes follow the mean position of their parents drawn above (fewer crossing lines), and a
long layer wraps into rows, so that the picture stays readable when it scales down.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soihtu.okrs.models import Objective
    from soihtu.organization.models import StrategyTheme

# Strategy theme colours: dark enough for white text (4.5:1) and for a stripe or line on white
# (3:1), and told apart by hue. Colour is never alone: the theme's name is in each box's
# accessible name, in the list and in the legend.
PALETTE = (
    "#1f5f8b",  # blue
    "#a4262c",  # red
    "#1e6b34",  # green
    "#6b3fa0",  # purple
    "#8a3b00",  # brown
    "#00646b",  # teal
    "#7a5a00",  # ochre
    "#3b4a8f",  # indigo
)
NO_THEME = "#4a5360"  # grey, for objectives without a strategy theme

NODE_W = 220
NODE_H = 112
THEME_H = 48
GAP_X = 20
ROW_GAP = 20
LAYER_GAP = 56
MARGIN = 8
PER_ROW = 6  # boxes in one row of a layer; more wrap into the next row
TITLE_CHARS = 27  # characters on one line of a box's title (13 px bold, about 7 px each)
UNIT_CHARS = 32
BAR_W = 96


def theme_colour(rank: int | None) -> str:
    """The colour of the strategy theme at `rank` (its place among all themes), or grey."""
    return NO_THEME if rank is None else PALETTE[rank % len(PALETTE)]


def wrap(text: str, width: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines of about `width` characters, cut with an ellipsis."""
    return textwrap.wrap(text, width=width, max_lines=lines, placeholder=" …") or [""]


@dataclass(eq=False)
class MapNode:
    """A box of the map: a strategy theme or an objective. The selector fills in what it shows;
    `lay_out` sets the geometry."""

    key: str  # "theme:<id>" or "objective:<id>"
    layer: int  # 0 for themes, 1 + the owner unit's depth for objectives
    sort_key: tuple[object, ...]  # order in the layer when no parent decides it
    parents: list[str] = field(default_factory=list)  # keys of the nodes drawn above it
    objective: Objective | None = None
    theme: StrategyTheme | None = None
    themes: list[StrategyTheme] = field(default_factory=list)  # an objective's themes
    colours: list[str] = field(default_factory=list)  # one per theme (grey without)
    count: int | None = None  # contributing objectives (the overview)
    mine: bool = False
    focus: bool = False
    label: str = ""  # the accessible name of its link
    focus_label: str = ""  # the accessible name of its second link
    focus_text: str = ""  # the second link's visible text
    title_lines: list[str] = field(default_factory=list)
    unit_line: str = ""
    contributes_to: list[tuple[int, str]] = field(default_factory=list)  # (id, title), for the list
    # Geometry, set by lay_out.
    x: int = 0
    y: int = 0
    width: int = NODE_W
    height: int = NODE_H

    @property
    def is_theme(self) -> bool:
        return self.theme is not None

    @property
    def half_width(self) -> int:
        return self.width // 2

    @property
    def cx(self) -> int:
        return self.x + self.width // 2

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def percent(self) -> int:
        return self.objective.progress_percent if self.objective is not None else 0

    @property
    def bar_width(self) -> int:
        return round(BAR_W * max(0, min(self.percent, 100)) / 100)

    @property
    def stripes(self) -> list[tuple[int, int, str]]:
        """The theme stripe at the box's left edge: (y, height, colour), one band per theme."""
        colours = self.colours or [NO_THEME]
        band = self.height / len(colours)
        return [
            (round(i * band), round((i + 1) * band) - round(i * band), colour)
            for i, colour in enumerate(colours)
        ]


@dataclass
class MapEdge:
    """A line from an objective up to what it contributes to (or from an objective up to its
    strategy theme): a cubic curve from the top of the lower box to the bottom of the upper."""

    lower: MapNode
    upper: MapNode

    @property
    def path(self) -> str:
        x1, y1 = self.lower.cx, self.lower.y
        x2, y2 = self.upper.cx, self.upper.bottom
        middle = (y1 + y2) // 2
        return f"M{x1} {y1}C{x1} {middle} {x2} {middle} {x2} {y2}"


@dataclass
class MapLayout:
    nodes: list[MapNode]  # in reading (and Tab) order: layer by layer, row by row
    edges: list[MapEdge]
    layers: list[list[MapNode]]
    width: int
    height: int


def _ordered(members: list[MapNode], placed: dict[str, float]) -> list[MapNode]:
    """A layer's nodes under the mean x of their parents already placed; those without a
    placed parent after them, in their own order."""

    def key(node: MapNode) -> tuple[object, ...]:
        xs = [placed[p] for p in node.parents if p in placed]
        return (0, fmean(xs), node.sort_key) if xs else (1, 0.0, node.sort_key)

    return sorted(members, key=key)


def lay_out(nodes: list[MapNode]) -> MapLayout:
    """Place `nodes` layer by layer (empty layers left out), each layer in rows of at most
    PER_ROW boxes centred under the widest row, and draw an edge for every parent drawn."""
    numbers = sorted({node.layer for node in nodes})
    grouped = {n: [node for node in nodes if node.layer == n] for n in numbers}
    widest = max((min(len(group), PER_ROW) for group in grouped.values()), default=1)
    width = widest * (NODE_W + GAP_X) - GAP_X + 2 * MARGIN
    placed: dict[str, float] = {}
    layers: list[list[MapNode]] = []
    y = MARGIN
    for number in numbers:
        members = _ordered(grouped[number], placed)
        height = THEME_H if number == 0 else NODE_H
        for start in range(0, len(members), PER_ROW):
            row = members[start : start + PER_ROW]
            left = (width - (len(row) * (NODE_W + GAP_X) - GAP_X)) // 2
            for index, node in enumerate(row):
                node.x, node.y = left + index * (NODE_W + GAP_X), y
                node.width, node.height = NODE_W, height
                placed[node.key] = node.cx
            y += height + ROW_GAP
        y += LAYER_GAP - ROW_GAP
        layers.append(members)
    by_key = {node.key: node for node in nodes}
    edges = [
        MapEdge(lower=node, upper=by_key[parent])
        for layer in layers
        for node in layer
        for parent in node.parents
        if parent in by_key
    ]
    height = y - (LAYER_GAP - ROW_GAP) - ROW_GAP + MARGIN if layers else 2 * MARGIN
    return MapLayout(
        nodes=[node for layer in layers for node in layer],
        edges=edges,
        layers=layers,
        width=width,
        height=height,
    )
