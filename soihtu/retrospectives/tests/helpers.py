"""Shared set-ups for the retrospective tests."""

from __future__ import annotations

import datetime

from soihtu.conftest import World
from soihtu.cycles.models import Cycle, Year


def open_review(world: World) -> None:
    """Put the active cycle T3 into review for every team."""
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.REVIEW)
    world.cycle.refresh_from_db()


def add_next_year(world: World) -> Cycle:
    year = Year.objects.create(
        number=2027, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    return Cycle.objects.create(
        year=year,
        name="T1",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 4, 30),
    )
