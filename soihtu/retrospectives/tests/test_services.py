from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from soihtu.audit.models import AuditEvent
from soihtu.conftest import HELSINKI, World
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.learning.models import Learning
from soihtu.okrs.models import KeyResult, Objective
from soihtu.retrospectives import services
from soihtu.retrospectives.models import (
    KeyResultScore,
    ObjectiveReview,
    Retrospective,
    RetrospectiveParticipant,
)
from soihtu.retrospectives.services import RetrospectiveError
from soihtu.retrospectives.tests.helpers import add_next_year, open_review


def _review(world: World, **extra: object) -> ObjectiveReview:
    values: dict[str, object] = {
        "outcome": "partly",
        "why": "Chat viivästyi",
        "learned": "Asiakkaiden palaute kannattaa kerätä heti",
        "try_next": "Viikoittainen palaute",
    }
    values.update(extra)
    return services.objective_review_save(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        objective=world.objective_a,
        **values,  # type: ignore[arg-type]
    )


def test_saving_a_review_records_the_person_and_audits(world: World) -> None:
    open_review(world)
    review = _review(world)
    retro = Retrospective.objects.get(team=world.team_a, cycle=world.cycle)
    assert review.retrospective == retro
    assert list(retro.participants.values_list("user__username", flat=True)) == ["member_a"]
    assert AuditEvent.objects.filter(target_type="objectivereview").count() == 1
    _review(world, why="Toinen syy")
    assert ObjectiveReview.objects.get().why == "Toinen syy"
    assert RetrospectiveParticipant.objects.count() == 1


def test_leader_starts_the_retrospective_in_the_last_two_weeks(world: World) -> None:
    with pytest.raises(RetrospectiveError):
        services.retrospective_start(actor=world.torchbearer, team=world.team_a, cycle=world.cycle)
    assert not Retrospective.objects.exists()
    assert not TeamCycle.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 12, 20, 10, tzinfo=HELSINKI), tick=False):
        services.retrospective_start(actor=world.torchbearer, team=world.team_a, cycle=world.cycle)
    team_cycle = TeamCycle.objects.get(team=world.team_a, cycle=world.cycle)
    assert team_cycle.state == Cycle.State.REVIEW
    assert Retrospective.objects.get().started_by == world.torchbearer
    # Team B stays active: the review was started for team A only.
    assert not TeamCycle.objects.filter(team=world.team_b).exists()


def test_adjusting_scores_needs_a_reason_and_a_valid_score(world: World) -> None:
    open_review(world)
    kw: dict[str, Any] = {"actor": world.member, "team": world.team_a, "cycle": world.cycle}
    for score, reason in [(Decimal("1.1"), "x"), (Decimal("-0.1"), "x"), (Decimal("0.55"), "x")]:
        with pytest.raises(RetrospectiveError):
            services.key_result_score_adjust(
                key_result=world.kr_a1, adjusted_score=score, reason=reason, **kw
            )
    with pytest.raises(RetrospectiveError):
        services.key_result_score_adjust(
            key_result=world.kr_a1, adjusted_score=Decimal("0.5"), reason=" ", **kw
        )
    with pytest.raises(RetrospectiveError):
        _review(world, adjusted_score=Decimal("0.4"), adjust_reason="")
    assert not Retrospective.objects.exists()
    services.key_result_score_adjust(
        key_result=world.kr_a1, adjusted_score=Decimal("0.6"), reason="Mittari muuttui", **kw
    )
    assert KeyResultScore.objects.get().adjusted_score == Decimal("0.6")
    services.key_result_score_adjust(key_result=world.kr_a1, adjusted_score=None, **kw)
    assert not KeyResultScore.objects.exists()


def test_writes_are_refused_when_the_retrospective_is_not_open(world: World) -> None:
    with pytest.raises(RetrospectiveError):
        _review(world)
    with pytest.raises(RetrospectiveError):
        services.team_notes_save(
            actor=world.member,
            team=world.team_a,
            cycle=world.cycle,
            what_worked="a",
            what_we_change="b",
        )
    assert not Retrospective.objects.exists()
    assert not AuditEvent.objects.exists()


def test_review_of_another_teams_objective_is_refused(world: World) -> None:
    open_review(world)
    with pytest.raises(RetrospectiveError):
        services.objective_review_save(
            actor=world.member,
            team=world.team_a,
            cycle=world.cycle,
            objective=world.objective_b,
            outcome="reached",
        )
    assert not ObjectiveReview.objects.exists()


def test_complete_closes_publishes_and_carries_over(world: World) -> None:
    open_review(world)
    target = add_next_year(world)
    KeyResult.objects.filter(pk=world.kr_a1.pk).update(current_value=Decimal(8))
    _review(world)
    services.objective_review_save(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        objective=world.restricted_a,
        outcome="not_reached",
        learned="Perehdytys vaatii enemmän aikaa",
        internal=True,
    )
    services.team_notes_save(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        what_worked="Viikkopalaverit",
        what_we_change="Lyhyemmät tavoitteet",
    )
    result = services.retrospective_complete(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        carry_over=[world.objective_a.pk],
    )
    assert TeamCycle.objects.get(team=world.team_a, cycle=world.cycle).state == "closed"
    assert result.retrospective.is_completed
    texts = {(lr.text, lr.internal, lr.objective_id) for lr in Learning.objects.all()}
    assert texts == {
        ("Asiakkaiden palaute kannattaa kerätä heti", False, world.objective_a.pk),
        ("Perehdytys vaatii enemmän aikaa", True, world.restricted_a.pk),
        ("Lyhyemmät tavoitteet", False, None),
    }
    learning = Learning.objects.get(objective=world.objective_a)
    assert list(learning.themes.all()) == [world.themes[0]]
    copy = Objective.objects.get(cycle=target)
    assert copy.status == Objective.Status.DRAFT
    assert copy.title == world.objective_a.title
    assert list(copy.contributes_to.all()) == []  # a new year has new organization objectives
    starts = dict(copy.key_results.values_list("title", "start_value"))
    assert starts == {"Jonotusaika alle 5 min": Decimal(8), "Chat käytössä": Decimal(0)}
    with pytest.raises(RetrospectiveError):
        _review(world)


def test_reached_objectives_are_marked_completed(world: World) -> None:
    open_review(world)
    _review(world, outcome="reached")
    services.retrospective_complete(
        actor=world.torchbearer, team=world.team_a, cycle=world.cycle, complete_unreviewed=True
    )
    world.objective_a.refresh_from_db()
    world.restricted_a.refresh_from_db()
    assert world.objective_a.status == Objective.Status.COMPLETED
    assert world.restricted_a.status == Objective.Status.ACTIVE


def test_carry_over_without_a_next_cycle_is_refused_with_nothing_changed(world: World) -> None:
    open_review(world)
    _review(world)
    events = AuditEvent.objects.count()
    with pytest.raises(RetrospectiveError, match="no next cycle"):
        services.retrospective_complete(
            actor=world.torchbearer,
            team=world.team_a,
            cycle=world.cycle,
            carry_over=[world.objective_a.pk],
        )
    assert not Retrospective.objects.get().is_completed
    assert not TeamCycle.objects.exists()
    assert not Learning.objects.exists()
    assert AuditEvent.objects.count() == events


def test_only_unfinished_objectives_of_the_team_can_be_carried_over(world: World) -> None:
    open_review(world)
    add_next_year(world)
    with pytest.raises(RetrospectiveError):
        services.retrospective_complete(
            actor=world.torchbearer,
            team=world.team_a,
            cycle=world.cycle,
            carry_over=[world.objective_b.pk],
        )
    assert Objective.objects.count() == 4


def test_participants_are_the_teams_members(world: World) -> None:
    open_review(world)
    kw: dict[str, Any] = {"actor": world.torchbearer, "team": world.team_a, "cycle": world.cycle}
    with pytest.raises(RetrospectiveError):
        services.participants_set(user_ids=[world.member_b.pk], **kw)
    services.participants_set(user_ids=[world.member.pk, world.supervisor.pk], **kw)
    retro = Retrospective.objects.get()
    assert set(retro.participants.values_list("user_id", flat=True)) == {
        world.member.pk,
        world.supervisor.pk,
    }
