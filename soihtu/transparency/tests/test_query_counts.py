"""The public page, its open data and the settings page do the same number of queries with one
published objective and with many (with key results, themes and earlier years)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from soihtu.conftest import World, client_for, make_kr, make_objective
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.cycles.models import Year
from soihtu.transparency.tests.helpers import publish


def grow(world: World, count: int) -> None:
    earlier = Year.objects.create(
        number=2025, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    for year in [world.year, earlier]:
        for index in range(count):
            objective = make_objective(
                world.root, year=year, cycle=None, title=f"Julkinen {index}", is_public=True
            )
            objective.themes.set(world.themes[: 1 + index % 3])
            for kr in range(3):
                make_kr(objective, f"Mittari {index}.{kr}")


def counts(world: World) -> dict[str, int]:
    urls = {name: reverse(f"transparency:{name}") for name in ["public", "json", "csv"]} | {
        "older": reverse("transparency:public") + "?year=2026"
    }
    found = page_query_counts(Client(), urls)
    found |= page_query_counts(
        client_for(world.admin), {"settings": reverse("transparency:settings")}
    )
    return found


def test_pages_do_a_constant_number_of_queries(world: World) -> None:
    publish(world)
    small = counts(world)
    grow(world, 12)
    large = counts(world)
    assert_constant_and_few(small, large)
