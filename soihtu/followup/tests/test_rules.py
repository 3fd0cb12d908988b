"""The due and stale rules against time, and the selectors that find them in one query."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soihtu.conftest import NOW, World
from soihtu.cycles.models import Cycle
from soihtu.followup.selectors import due_key_results, period_index, stale_key_results
from soihtu.followup.tests.helpers import check_in, days, fresh
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Cadence


def _ids(key_results: list[KeyResult]) -> set[int]:
    return {kr.pk for kr in key_results}


def test_key_result_without_check_in_is_due_and_stale_late_in_the_cycle(world: World) -> None:
    kr = fresh(world.kr_a1)
    assert kr.is_due
    assert kr.is_stale
    assert kr.status == "stale"
    team = [world.team_a.pk]
    assert world.kr_a1.pk in _ids(due_key_results(team, world.cycle))
    assert world.kr_a1.pk in _ids(stale_key_results(team, world.cycle))


@pytest.mark.parametrize("cadence", Cadence.values)
def test_due_after_one_cadence_stale_after_two(world: World, cadence: int) -> None:
    world.team_a.checkin_cadence = cadence
    world.team_a.save()
    base = datetime.datetime(2026, 10, 1, 12, tzinfo=NOW.tzinfo)
    with time_machine.travel(base, tick=False):
        check_in(world.member, world.kr_a1, confidence=9)
    team = [world.team_a.pk]
    moments = [
        (days(cadence) - datetime.timedelta(hours=1), False, False),
        (days(cadence) + datetime.timedelta(hours=1), True, False),
        (days(2 * cadence) - datetime.timedelta(hours=1), True, False),
        (days(2 * cadence) + datetime.timedelta(hours=1), True, True),
    ]
    for offset, due, stale in moments:
        with time_machine.travel(base + offset, tick=False):
            kr = fresh(world.kr_a1)
            assert (kr.is_due, kr.is_stale) == (due, stale), offset
            assert (world.kr_a1.pk in _ids(due_key_results(team, world.cycle))) == due
            assert (world.kr_a1.pk in _ids(stale_key_results(team, world.cycle))) == stale
            if stale:
                assert kr.status == "stale"  # whatever the last confidence (9) said


def test_new_cycle_key_result_is_due_but_not_stale_at_first(world: World) -> None:
    with time_machine.travel(datetime.datetime(2026, 9, 10, 12, tzinfo=NOW.tzinfo), tick=False):
        kr = fresh(world.kr_a1)
        assert kr.is_due
        assert not kr.is_stale
        assert _ids(stale_key_results([world.team_a.pk], world.cycle)) == set()


def test_closed_cycle_is_never_due(world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.CLOSED)
    world.cycle.refresh_from_db()
    assert not fresh(world.kr_a1).is_due
    assert due_key_results([world.team_a.pk], world.cycle) == []
    assert stale_key_results([world.team_a.pk], world.cycle) == []


def test_selectors_are_one_query_with_objective_and_owner_loaded(world: World) -> None:
    with CaptureQueriesContext(connection) as captured:
        found = due_key_results([world.team_a.pk, world.team_b.pk], world.cycle)
        stale = stale_key_results([world.team_a.pk, world.team_b.pk], world.cycle)
        names = [(kr.objective.title, kr.owner and kr.owner.username, kr.status) for kr in found]
        names += [(kr.objective.owner_unit.name, str(kr.cadence_days), kr.status) for kr in stale]
    assert len(captured.captured_queries) == 2
    assert _ids(found) >= {world.kr_a1.pk, world.kr_b1.pk}
    assert names


def test_period_index_counts_cadences_from_the_cycle_start(world: World) -> None:
    start = datetime.datetime(2026, 9, 1, tzinfo=NOW.tzinfo)
    assert period_index(world.cycle, 7, start + days(6.9)) == 0
    assert period_index(world.cycle, 7, start + days(7)) == 1
    assert period_index(world.cycle, 30, start + days(61)) == 2


def _key_result_created(world: World, created_at: datetime.datetime) -> KeyResult:
    """A key result without check-ins added to team A's objective at `created_at`."""
    kr = KeyResult.objects.create(objective=world.objective_a, title="Lisätty myöhemmin")
    KeyResult.objects.filter(pk=kr.pk).update(created_at=created_at)
    return fresh(kr)


def test_key_result_created_today_has_missed_no_check_in(world: World) -> None:
    # The cycle began weeks ago; the key result a minute ago.
    kr = _key_result_created(world, NOW - datetime.timedelta(minutes=1))
    team = [world.team_a.pk]
    assert kr.cadences_missed() is not None
    assert int(kr.cadences_missed() or 0) == 0
    assert not kr.is_stale
    assert kr.status == KeyResult.Status.NO_CHECKIN
    assert kr.pk not in _ids(stale_key_results(team, world.cycle))
    # It still waits for its first check-in.
    assert kr.is_due
    assert kr.pk in _ids(due_key_results(team, world.cycle))


@pytest.mark.parametrize("missed", [1, 2, 3])
def test_key_result_without_check_in_counts_cadences_from_its_creation(
    world: World, missed: int
) -> None:
    cadence = world.team_a.checkin_cadence
    kr = _key_result_created(world, timezone.now() - days(missed * cadence) - days(0.1))
    assert int(kr.cadences_missed() or 0) == missed
    stale = missed >= 2
    assert kr.is_stale == stale
    assert (kr.pk in _ids(stale_key_results([world.team_a.pk], world.cycle))) == stale


def test_key_result_created_before_the_cycle_counts_from_the_cycle_start(world: World) -> None:
    kr = _key_result_created(world, datetime.datetime(2026, 6, 1, tzinfo=NOW.tzinfo))
    with time_machine.travel(datetime.datetime(2026, 9, 10, 12, tzinfo=NOW.tzinfo), tick=False):
        kr = fresh(kr)
        assert int(kr.cadences_missed() or 0) == 9 // world.team_a.checkin_cadence
        assert not kr.is_stale
        assert kr.pk not in _ids(stale_key_results([world.team_a.pk], world.cycle))
