"""The objective page shows a score only once it means something, and no expected progress
where none is expected (milestones, guardrails)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from soihtu.conftest import NOW, World, client_for, make_kr
from soihtu.cycles.models import Cycle
from soihtu.followup.tests.helpers import check_in
from soihtu.okrs.models import KeyResult, Objective


def _page(world: World, objective: Objective) -> str:
    response = client_for(world.member).get(reverse("okrs:objective", args=[objective.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _set_state(cycle: Cycle, state: str) -> None:
    Cycle.objects.filter(pk=cycle.pk).update(state=state)


def test_running_cycle_shows_progress_and_expected_progress_not_a_score(world: World) -> None:
    # T3 runs 1.9.–31.12.2026; on 27.11. 72 % of it has passed.
    html = _page(world, world.objective_a)
    assert "Score" not in html
    assert 'class="score' not in html
    assert "Expected progress now 72 %" in html
    assert "the score is given when the cycle ends" in html


@pytest.mark.parametrize("state", [Cycle.State.REVIEW, Cycle.State.CLOSED])
def test_cycle_in_review_or_closed_shows_the_score(world: World, state: str) -> None:
    check_in(world.member, world.kr_a1, value="5")  # reached: 1.0; the milestone 0.0
    _set_state(world.cycle, state)
    html = _page(world, world.objective_a)
    assert '<span class="score band-yellow">Score 0.5</span>' in html
    assert '<span class="score band-green">1.0</span>' in html
    assert "committed objectives are expected to reach 1.0" in html
    assert "Expected progress now" not in html


def test_year_objective_is_scored_once_the_year_has_ended(world: World) -> None:
    assert "Expected progress now 91 %" in _page(world, world.org_objective)
    with time_machine.travel(datetime.datetime(2027, 1, 5, 12, tzinfo=NOW.tzinfo)):
        html = _page(world, world.org_objective)
    assert "Score 0.0" in html
    assert "Expected progress now" not in html


def test_milestone_and_guardrail_show_no_expected_progress(world: World) -> None:
    guardrail = make_kr(
        world.objective_b,
        "Asiakastyytyväisyys pysyy",
        kind=KeyResult.Kind.STAY_ABOVE,
        start_value=Decimal(4),
        target_value=Decimal(4),
    )
    milestone = make_kr(
        world.objective_b,
        "Uusi lomake käytössä",
        kind=KeyResult.Kind.MILESTONE,
        start_value=Decimal(0),
        target_value=Decimal(1),
    )
    html = _page(world, world.objective_b)
    definitions = re.findall(r'<p class="kr-definition">(.*?)</p>', html)
    by_title = dict(
        zip(["Ratkaisut ajallaan", guardrail.title, milestone.title], definitions, strict=True)
    )
    assert "Expected progress now 72 %" in by_title["Ratkaisut ajallaan"]
    assert "Expected progress" not in by_title[guardrail.title]
    assert "Expected progress" not in by_title[milestone.title]


def test_objective_of_milestones_only_shows_no_expected_progress(world: World) -> None:
    KeyResult.objects.filter(objective=world.objective_a, kind=KeyResult.Kind.DECREASE).delete()
    assert "Expected progress" not in _page(world, world.objective_a)
