"""Progress, status and score: computed by the database for one key result, rolled up in SQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, make_kr, make_objective
from soihtu.okrs.models import KeyResult, Objective, score_band, status_for

Kind = KeyResult.Kind
Status = KeyResult.Status


@pytest.mark.parametrize(
    ("kind", "start", "target", "current", "expected"),
    [
        (Kind.INCREASE, "10", "20", None, 0.0),
        (Kind.INCREASE, "10", "20", "15", 0.5),
        (Kind.INCREASE, "10", "20", "25", 1.0),
        (Kind.INCREASE, "10", "20", "5", 0.0),
        (Kind.DECREASE, "12", "5", "8.5", 0.5),
        (Kind.DECREASE, "12", "5", "4", 1.0),
        (Kind.STAY_ABOVE, "0", "90", "91", 1.0),
        (Kind.STAY_ABOVE, "0", "90", "89", 0.0),
        (Kind.STAY_BELOW, "0", "2", "2", 1.0),
        (Kind.STAY_BELOW, "0", "2", "2.5", 0.0),
        (Kind.MILESTONE, "0", "1", "0", 0.0),
        (Kind.MILESTONE, "0", "1", "1", 1.0),
    ],
)
def test_progress_is_computed_by_the_database(
    world: World, kind: str, start: str, target: str, current: str | None, expected: float
) -> None:
    kr = make_kr(
        world.objective_a, "KR", kind=kind, start_value=Decimal(start), target_value=Decimal(target)
    )
    if current is not None:
        checkin_create(author=world.member, key_result=kr, value=Decimal(current), confidence=7)
    kr.refresh_from_db()
    assert kr.progress == pytest.approx(expected)


def test_objective_progress_is_the_weighted_mean_of_its_key_results(world: World) -> None:
    objective = make_objective(world.team_a, year=world.year, cycle=world.cycle, title="Painotettu")
    heavy = make_kr(objective, "Heavy", start_value=Decimal(0), target_value=Decimal(10), weight=3)
    light = make_kr(objective, "Light", start_value=Decimal(0), target_value=Decimal(10), weight=1)
    checkin_create(author=world.member, key_result=heavy, value=Decimal(10), confidence=9)
    checkin_create(author=world.member, key_result=light, value=Decimal(0), confidence=2)
    annotated = Objective.objects.with_progress().get(pk=objective.pk)
    assert annotated.progress_value == pytest.approx(0.75)  # type: ignore[attr-defined]
    assert annotated.progress_percent == 75


def test_objective_without_key_results_has_zero_progress(world: World) -> None:
    objective = make_objective(world.team_a, year=world.year, cycle=world.cycle, title="Tyhjä")
    objective = Objective.objects.with_progress().get(pk=objective.pk)
    assert objective.progress_value == 0.0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "progress", "confidence", "expected", "status"),
    [
        (Kind.INCREASE, 0.0, None, 0.5, Status.NO_CHECKIN),
        (Kind.INCREASE, 0.5, 8, 0.55, Status.ON_TRACK),
        (Kind.INCREASE, 0.5, 5, 0.55, Status.AT_RISK),
        (Kind.INCREASE, 0.5, 9, 0.75, Status.AT_RISK),
        (Kind.INCREASE, 0.1, 9, 0.6, Status.OFF_TRACK),
        (Kind.INCREASE, 0.9, 2, 0.5, Status.OFF_TRACK),
        (Kind.INCREASE, 1.0, 8, 1.0, Status.ON_TRACK),
        (Kind.STAY_BELOW, 0.0, 9, 0.1, Status.OFF_TRACK),
        (Kind.STAY_ABOVE, 1.0, 8, 0.9, Status.ON_TRACK),
        (Kind.MILESTONE, 0.0, 8, 0.9, Status.ON_TRACK),
        (Kind.MILESTONE, 0.0, 3, 0.1, Status.OFF_TRACK),
    ],
)
def test_status_from_confidence_and_pace(
    kind: str, progress: float, confidence: int | None, expected: float, status: str
) -> None:
    assert (
        status_for(kind=kind, progress=progress, confidence=confidence, expected=expected) == status
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, "red"),
        (0.3, "red"),
        (0.34, "red"),
        (0.4, "yellow"),
        (0.6, "yellow"),
        (0.66, "green"),
        (0.7, "green"),
        (1.0, "green"),
    ],
)
def test_score_bands(score: float, band: str) -> None:
    assert score_band(score) == band


def test_expected_progress_follows_the_calendar(world: World) -> None:
    # 2026-11-27 in a cycle from 1 September to 31 December: 87 of 121 days.
    world.kr_a1.refresh_from_db()
    assert world.kr_a1.expected_progress() == pytest.approx(87 / 121)


def test_committed_and_aspirational_expectations(world: World) -> None:
    world.objective_a.kind = Objective.Kind.ASPIRATIONAL
    assert world.objective_a.expected_score == 0.7
    world.objective_a.kind = Objective.Kind.COMMITTED
    assert world.objective_a.expected_score == 1.0
