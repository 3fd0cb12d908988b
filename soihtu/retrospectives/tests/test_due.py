from __future__ import annotations

import datetime

from soihtu.conftest import World
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.retrospectives.models import Retrospective
from soihtu.retrospectives.selectors import retrospective_due
from soihtu.retrospectives.tests.helpers import open_review


def test_active_cycle_ending_within_two_weeks_is_due(world: World) -> None:
    teams = [world.team_a.pk, world.team_b.pk]
    assert retrospective_due(teams, datetime.date(2026, 11, 27)) == {t: [] for t in teams}
    due = retrospective_due(teams, datetime.date(2026, 12, 20))
    assert [(d.cycle, d.in_review) for d in due[world.team_a.pk]] == [(world.cycle, False)]


def test_review_cycles_are_due_until_the_retrospective_is_completed(world: World) -> None:
    open_review(world)
    Retrospective.objects.create(
        team=world.team_b, cycle=world.cycle, completed_at=datetime.datetime.now(datetime.UTC)
    )
    due = retrospective_due([world.team_a.pk, world.team_b.pk], datetime.date(2026, 11, 27))
    assert [(d.cycle, d.in_review) for d in due[world.team_a.pk]] == [(world.cycle, True)]
    assert due[world.team_b.pk] == []


def test_a_team_that_started_early_is_in_review(world: World) -> None:
    TeamCycle.objects.create(team=world.team_a, cycle=world.cycle, state=Cycle.State.REVIEW)
    due = retrospective_due([world.team_a.pk, world.team_b.pk], datetime.date(2026, 11, 27))
    assert [d.in_review for d in due[world.team_a.pk]] == [True]
    assert due[world.team_b.pk] == []
