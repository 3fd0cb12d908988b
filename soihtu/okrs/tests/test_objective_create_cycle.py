"""The new-objective form starts in the cycle it was opened for (`?cycle=`), when objectives
can still be created in it; otherwise in the current cycle."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.cycles.models import Cycle, Year


def _selected_period(html: str) -> str:
    select = re.search(r'<select name="period"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    assert len(chosen) == 1, chosen
    return str(chosen[0])


def _form(world: World, unit_id: int, query: str = "") -> str:
    url = reverse("okrs:objective_create", args=[unit_id]) + query
    response = client_for(world.admin).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _next_cycle(world: World) -> Cycle:
    year = Year.objects.create(
        number=2027, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    return Cycle.objects.create(
        year=year,
        name="T1",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 4, 30),
        state=Cycle.State.PLANNING,
    )


def test_team_form_starts_in_the_cycle_it_was_opened_for(world: World) -> None:
    following = _next_cycle(world)
    html = _form(world, world.team_a.pk, f"?cycle={following.pk}")
    assert _selected_period(html) == f"cycle:{following.pk}"


def test_without_a_cycle_the_form_starts_in_the_current_cycle(world: World) -> None:
    _next_cycle(world)
    assert _selected_period(_form(world, world.team_a.pk)) == f"cycle:{world.cycle.pk}"


def test_a_closed_cycle_is_not_chosen_the_current_one_is(world: World) -> None:
    closed = Cycle.objects.get(state=Cycle.State.CLOSED)
    html = _form(world, world.team_a.pk, f"?cycle={closed.pk}")
    assert _selected_period(html) == f"cycle:{world.cycle.pk}"


def test_unknown_cycle_falls_back_to_the_current_one(world: World) -> None:
    html = _form(world, world.team_a.pk, "?cycle=999999")
    assert _selected_period(html) == f"cycle:{world.cycle.pk}"


def test_unit_form_starts_in_the_year_of_the_cycle_it_was_opened_for(world: World) -> None:
    following = _next_cycle(world)
    html = _form(world, world.division.pk, f"?cycle={following.pk}")
    assert _selected_period(html) == f"year:{following.year_id}"
