"""Sharing successes and thanking teams: the rules, and the reads built on them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from soihtu.audit.models import AuditEvent
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World
from soihtu.organization.roles import build_actor
from soihtu.successes import selectors
from soihtu.successes.models import Success, Thanks
from soihtu.successes.services import success_share, success_thank, success_unthank


def reach(world: World) -> None:
    """Both of objective_a's key results reach their targets."""
    for kr, value in [(world.kr_a1, "5"), (world.kr_a2, "1")]:
        checkin_create(
            author=world.torchbearer,
            key_result=kr,
            value=Decimal(value),
            confidence=9,
            measured_on=datetime.date(2026, 11, 20),
        )


def share(world: World, **extra: object) -> Success:
    values: dict[str, object] = {
        "title": "Jono purettu",
        "story": "Teimme sen yhdessä.",
        "objectives": [world.objective_a],
    }
    values.update(extra)
    return success_share(actor=build_actor(world.member), team=world.team_a, **values)  # type: ignore[arg-type]


def test_member_shares_a_success_with_its_objectives_and_cycle(world: World) -> None:
    success = share(world, key_result=world.kr_a1)
    assert list(success.objectives.all()) == [world.objective_a]
    assert success.cycle == world.cycle
    assert success.created_by == world.member
    assert AuditEvent.objects.filter(target_type="success", target_id=success.pk).exists()


def test_key_result_brings_its_objective_along(world: World) -> None:
    success = share(world, objectives=[], key_result=world.kr_a2)
    assert list(success.objectives.all()) == [world.objective_a]


def test_other_teams_objectives_are_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        share(world, objectives=[world.objective_b])
    assert not Success.objects.exists()


@pytest.mark.parametrize("persona", ["member_b", "parent_supervisor", "outsider"])
def test_people_outside_the_team_cannot_share(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        success_share(
            actor=build_actor(world.persona(persona)),
            team=world.team_a,
            title="x",
            story="y",
        )
    assert not Success.objects.exists()


def test_one_thanks_per_person_and_the_team_may_thank_too(world: World) -> None:
    success = share(world)
    outsider = build_actor(world.outsider)
    assert success_thank(actor=outsider, success=success) is True
    assert success_thank(actor=outsider, success=success) is False
    assert success_thank(actor=build_actor(world.member), success=success) is True
    assert Thanks.objects.filter(success=success).count() == 2
    assert AuditEvent.objects.filter(target_type="thanks").count() == 2


def test_unthank_takes_back_only_ones_own(world: World) -> None:
    success = share(world)
    success_thank(actor=build_actor(world.outsider), success=success)
    assert success_unthank(actor=build_actor(world.member_b), success=success) is False
    assert success_unthank(actor=build_actor(world.outsider), success=success) is True
    assert not Thanks.objects.exists()


def test_reached_not_shared_lists_reached_goals_until_shared(world: World) -> None:
    assert not selectors.reached_not_shared([world.team_a.pk], world.cycle)
    reach(world)
    reached = selectors.reached_not_shared([world.team_a.pk, world.team_b.pk], world.cycle)
    assert reached.key_results == [world.kr_a1, world.kr_a2]
    assert reached.objectives == [world.objective_a]
    share(world, key_result=world.kr_a1)
    reached = selectors.reached_not_shared([world.team_a.pk], world.cycle)
    assert reached.key_results == [world.kr_a2]
    assert reached.objectives == []
    assert not selectors.reached_not_shared([world.team_a.pk], world.closed_cycle)


def test_reached_objectives_and_success_counts_for_the_strategy_page(world: World) -> None:
    assert selectors.reached_objectives(world.year) == set()
    reach(world)
    assert selectors.reached_objectives(world.year) == {world.objective_a.pk}
    share(world)
    counts = selectors.successes_for_objectives([world.objective_a.pk, world.org_objective.pk])
    assert counts == {world.objective_a.pk: 1, world.org_objective.pk: 1}
    objectives = [world.org_objective, world.objective_a]
    selectors.mark_reached(objectives, world.year)
    assert [o.is_reached for o in objectives] == [False, True]  # type: ignore[attr-defined]
    assert [o.success_count for o in objectives] == [1, 1]  # type: ignore[attr-defined]
