"""Recording ideas and moving them: the allowed steps, the refused ones, and who may take them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from soihtu.audit.models import AuditEvent
from soihtu.checkins.services import checkin_create
from soihtu.conftest import HELSINKI, World
from soihtu.ideas import selectors
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.ideas.services import idea_create, idea_move
from soihtu.organization.roles import build_actor

S = Idea.State


def record(world: World, persona: str = "member", **extra: object) -> Idea:
    return idea_create(
        actor=build_actor(world.persona(persona)),
        team=world.team_a,
        title="Chat-päivystys",
        **extra,  # type: ignore[arg-type]
    )


def test_recording_keeps_the_first_step_and_the_cycle(world: World) -> None:
    idea = record(world, objectives=[world.objective_a])
    assert idea.state == S.NEW
    assert idea.cycle == world.cycle
    assert list(idea.objectives.all()) == [world.objective_a]
    step = IdeaStep.objects.get(idea=idea)
    assert (step.from_state, step.to_state, step.by) == ("", S.NEW, world.member)
    assert AuditEvent.objects.filter(target_type="idea", target_id=idea.pk).exists()


def test_an_idea_from_a_check_in_links_its_key_result(world: World) -> None:
    checkin = checkin_create(
        author=world.member,
        key_result=world.kr_a1,
        value=Decimal(9),
        confidence=6,
        measured_on=datetime.date(2026, 11, 20),
    )
    idea = record(world, checkin=checkin)
    assert idea.source == Idea.Source.CHECKIN
    assert list(idea.key_results.all()) == [world.kr_a1]


@pytest.mark.parametrize("persona", ["member_b", "parent_supervisor", "outsider"])
def test_only_people_of_the_team_record_its_ideas(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        record(world, persona)
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        [S.TRIED, S.ADOPTED],
        [S.TRIED, S.DROPPED],
        [S.DROPPED, S.NEW, S.TRIED],
    ],
)
def test_allowed_steps_are_recorded_with_who_and_when(world: World, path: list[str]) -> None:
    idea = record(world)
    torchbearer = build_actor(world.torchbearer)
    for to_state in path:
        idea = idea_move(actor=torchbearer, idea=idea, to_state=to_state, note="Perustelu")
    assert idea.state == path[-1]
    steps = list(IdeaStep.objects.filter(idea=idea).values_list("from_state", "to_state", "by"))
    expected_from = [S.NEW, *path[:-1]]
    assert steps[1:] == [
        (f, t, world.torchbearer.pk) for f, t in zip(expected_from, path, strict=True)
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], S.ADOPTED),
        ([], S.NEW),
        ([S.TRIED], S.NEW),
        ([S.TRIED], S.TRIED),
        ([S.TRIED, S.ADOPTED], S.DROPPED),
        ([S.TRIED, S.ADOPTED], S.TRIED),
        ([S.DROPPED], S.ADOPTED),
        ([], "bogus"),
    ],
)
def test_other_steps_are_refused_with_a_message(
    world: World, path: list[str], refused: str
) -> None:
    idea = record(world)
    torchbearer = build_actor(world.torchbearer)
    for to_state in path:
        idea = idea_move(actor=torchbearer, idea=idea, to_state=to_state)
    steps = IdeaStep.objects.count()
    with pytest.raises(ValidationError, match="cannot be marked"):
        idea_move(actor=torchbearer, idea=idea, to_state=refused)
    idea.refresh_from_db()
    assert idea.state == (path[-1] if path else S.NEW)
    assert IdeaStep.objects.count() == steps


def test_the_author_may_start_trying_but_not_more(world: World) -> None:
    idea = record(world)
    member = build_actor(world.member)
    with pytest.raises(PermissionDenied):
        idea_move(actor=member, idea=idea, to_state=S.DROPPED)
    idea = idea_move(actor=member, idea=idea, to_state=S.TRIED)
    with pytest.raises(PermissionDenied):
        idea_move(actor=member, idea=idea, to_state=S.ADOPTED)


def test_another_member_may_not_move_someone_elses_idea(world: World) -> None:
    idea = record(world, "torchbearer")
    with pytest.raises(PermissionDenied):
        idea_move(actor=build_actor(world.member), idea=idea, to_state=S.TRIED)


def test_overview_counts_steps_in_the_cycle_they_were_taken(world: World) -> None:
    torchbearer = build_actor(world.torchbearer)
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, tzinfo=HELSINKI), tick=False):
        early = record(world)
        idea_move(actor=torchbearer, idea=early, to_state=S.TRIED)
    idea_move(actor=torchbearer, idea=early, to_state=S.ADOPTED)
    later = record(world)
    idea_move(actor=torchbearer, idea=later, to_state=S.TRIED)
    page = selectors.overview_page(None)
    counts = {c.pk: (c.recorded, c.tried, c.adopted) for c in page.cycles}  # type: ignore[attr-defined]
    assert counts == {world.cycle.pk: (1, 1, 1), world.closed_cycle.pk: (1, 1, 0)}
    assert page.cycle == world.cycle
    rows = {(r.division.name, r.recorded, r.tried, r.adopted) for r in page.divisions}
    assert rows == {("Division 1", 1, 1, 1), ("Division 2", 0, 0, 0)}
