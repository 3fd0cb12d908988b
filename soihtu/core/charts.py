"""Server-rendered SVG charts: geometry is computed here, the SVG is drawn by a template
(`core/chart_line.html`), and every chart has a text alternative beside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soihtu.checkins.models import CheckIn
    from soihtu.okrs.models import KeyResult

WIDTH = 480
HEIGHT = 160
PAD_X = 44
PAD_Y = 16


@dataclass
class Point:
    x: float
    y: float
    value: Decimal
    date: datetime.date


@dataclass
class LineChart:
    width: int
    height: int
    points: list[Point]
    polyline: str
    target_y: float | None
    start_y: float | None
    low: Decimal
    high: Decimal
    low_y: float
    high_y: float
    first_date: datetime.date
    last_date: datetime.date

    @property
    def empty(self) -> bool:
        return not self.points

    @property
    def left(self) -> int:
        return PAD_X

    @property
    def right(self) -> int:
        return self.width - PAD_X

    @property
    def label_x(self) -> int:
        """Where the value labels end, just left of the plot."""
        return PAD_X - 4


def line_chart(key_result: KeyResult, checkins: list[CheckIn]) -> LineChart:
    """The check-in history of a key result against its period, start and target."""
    objective = key_result.objective
    period = objective.cycle or objective.year
    first, last = period.starts_on, period.ends_on
    values = [c.value for c in checkins] + [key_result.start_value, key_result.target_value]
    low, high = min(values), max(values)
    if low == high:
        high = low + 1
    days = max((last - first).days, 1)

    def x(date: datetime.date) -> float:
        share = min(max((date - first).days / days, 0.0), 1.0)
        return round(PAD_X + share * (WIDTH - 2 * PAD_X), 1)

    def y(value: Decimal) -> float:
        share = float((value - low) / (high - low))
        return round(HEIGHT - PAD_Y - share * (HEIGHT - 2 * PAD_Y), 1)

    points = [Point(x(c.measured_on), y(c.value), c.value, c.measured_on) for c in checkins]
    show_start = not key_result.is_milestone and not key_result.is_guardrail
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        target_y=None if key_result.is_milestone else y(key_result.target_value),
        start_y=y(key_result.start_value) if show_start else None,
        low=low,
        high=high,
        low_y=y(low),
        high_y=y(high),
        first_date=first,
        last_date=last,
    )
