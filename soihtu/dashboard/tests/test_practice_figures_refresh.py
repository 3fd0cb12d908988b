"""Storing the dashboard's figures: the scheduler's refresh of every scope, the first view of a
scope, refreshes running at the same time, and figures of an older shape."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from soihtu.conftest import World
from soihtu.dashboard.measures import scope_figures
from soihtu.dashboard.models import PracticeFigures
from soihtu.dashboard.services import (
    FIGURES_VERSION,
    practice_figures_for,
    practice_figures_refresh,
)
from soihtu.organization.models import Unit
from soihtu.organization.services import unit_create


def _scopes() -> dict[str, datetime.datetime]:
    return dict(PracticeFigures.objects.values_list("scope", "computed_at"))


def test_refresh_stores_the_organization_and_every_division(world: World) -> None:
    now = timezone.now()
    practice_figures_refresh(now=now)

    assert _scopes() == {"": now, world.division.path: now, world.division_2.path: now}
    whole = PracticeFigures.objects.get(scope="")
    assert whole.version == FIGURES_VERSION
    assert whole.figures["totals"]["teams"] == 3


def test_a_second_refresh_replaces_the_figures_and_forgets_removed_divisions(
    world: World,
) -> None:
    practice_figures_refresh(now=timezone.now() - datetime.timedelta(minutes=5))
    PracticeFigures.objects.create(
        scope="000001000099", version=FIGURES_VERSION, computed_at=timezone.now(), figures={}
    )
    division_3 = unit_create(name="Division 3", kind=Unit.Kind.DIVISION, parent=world.root)
    now = timezone.now()

    practice_figures_refresh(now=now)

    assert division_3.path not in {"", world.division.path, world.division_2.path}
    assert _scopes() == {
        "": now,
        world.division.path: now,
        world.division_2.path: now,
        division_3.path: now,
    }


def test_the_first_view_of_a_scope_computes_and_stores_its_figures(world: World) -> None:
    figures = practice_figures_for(scope=world.division.path)

    assert _scopes() == {world.division.path: figures.computed_at}
    assert figures.figures["totals"]["people"] == 5
    assert practice_figures_for(scope=world.division.path).computed_at == figures.computed_at


def test_stored_figures_are_read_not_computed_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice_figures_refresh()
    monkeypatch.setattr("soihtu.dashboard.services.scope_figures", _refuse)

    assert practice_figures_for(scope="").figures["totals"]["teams"] == 3


def _refuse(scope: str, now: datetime.datetime) -> dict[str, Any]:
    raise AssertionError("computed again")


def test_figures_of_an_older_shape_are_computed_again(world: World) -> None:
    old = timezone.now() - datetime.timedelta(minutes=3)
    PracticeFigures.objects.create(
        scope="", version=FIGURES_VERSION - 1, computed_at=old, figures={"teams": 3}
    )

    figures = practice_figures_for(scope="")

    assert figures.version == FIGURES_VERSION
    assert figures.figures["totals"]["teams"] == 3
    assert PracticeFigures.objects.get().computed_at == figures.computed_at > old


def test_a_refresh_running_at_the_same_time_neither_fails_nor_doubles_rows(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = scope_figures

    def another_refresh_meanwhile(scope: str, now: datetime.datetime) -> dict[str, Any]:
        # Another process stores the same scope between this one's read and its write.
        PracticeFigures.objects.update_or_create(
            scope=scope,
            defaults={"version": FIGURES_VERSION, "computed_at": now, "figures": {}},
        )
        return computed(scope, now)

    monkeypatch.setattr("soihtu.dashboard.services.scope_figures", another_refresh_meanwhile)

    practice_figures_for(scope="")
    practice_figures_refresh()

    assert PracticeFigures.objects.count() == 3
    assert all(row.figures for row in PracticeFigures.objects.all())


def test_the_scheduler_refreshes_the_figures(world: World) -> None:
    before = timezone.now()
    PracticeFigures.objects.create(
        scope="", version=FIGURES_VERSION, computed_at=before, figures={}
    )

    call_command("followup_schedule", "--no-drain", stdout=StringIO())

    scopes = _scopes()
    assert set(scopes) == {"", world.division.path, world.division_2.path}
    assert all(at > before for at in scopes.values())
    assert PracticeFigures.objects.get(scope="").figures["totals"]["teams"] == 3
