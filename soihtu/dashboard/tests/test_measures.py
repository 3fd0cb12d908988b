"""The grouped queries of measures.py give exactly what the dashboard's former live
computation (correlated sub-selects per cycle, kept in reference.py) gave, for the whole
organization and each division of a generated demo, after the figures' trip through the
database's JSON."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from soihtu.conftest import HELSINKI, World
from soihtu.dashboard.measures import scope_figures
from soihtu.dashboard.models import PracticeFigures
from soihtu.dashboard.services import practice_figures_refresh
from soihtu.dashboard.tests.reference import plain_figures, reference_figures
from soihtu.demo.generate import generate_demo
from soihtu.ideas.models import Idea, IdeaStep


@pytest.mark.django_db
def test_figures_equal_the_live_computation() -> None:
    generate_demo(people=300, today=datetime.date(2026, 11, 27), seed=11)
    now = timezone.now()
    practice_figures_refresh(now=now)

    stored = {row.scope: row.figures for row in PracticeFigures.objects.all()}
    assert len(stored) == 5  # the organization and its four divisions
    for scope, figures in stored.items():
        expected = reference_figures(scope, now)
        assert plain_figures(figures) == expected, scope
    # The demo exercises every measure, so the equality says something.
    whole = plain_figures(stored[""])
    assert all(any(row[f] for row in whole["cycles"].values()) for f in _CYCLE_FIELDS)
    assert whole["regularity"]["within_cadence"] > 0
    assert any(sum(bands) for bands in whole["scores"].values())
    assert whole["themes"]


_CYCLE_FIELDS = [
    "teams_covered",
    "people_covered",
    "units_covered",
    "planning_teams",
    "planning_members",
    "took_part",
    "retrospectives_completed",
    "learnings_published",
    "successes_shared",
    "ideas_tried",
    "ideas_adopted",
]


def test_an_idea_step_counts_in_the_cycle_of_its_local_date(world: World) -> None:
    # T2 ends on 31 August and T3 begins on 1 September, local time (UTC+3 in summer).
    for title, hour, day in [("Late", 23, 31), ("Early", 0, 1)]:
        month = 8 if day == 31 else 9
        idea = Idea.objects.create(team=world.team_a, title=title, state=Idea.State.TRIED)
        at = datetime.datetime(2026, month, day, hour, 30, tzinfo=HELSINKI)
        IdeaStep.objects.create(idea=idea, from_state="new", to_state="tried", at=at)
    now = timezone.now()

    figures = plain_figures(scope_figures("", now))

    tried = {pk: row["ideas_tried"] for pk, row in figures["cycles"].items()}
    assert tried == {world.closed_cycle.pk: 1, world.cycle.pk: 1}
    assert figures == reference_figures("", now)
