"""The services that cause events write their notifications in their own transaction: each
hook writes its row, and when writing it fails, the service's change is rolled back too."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.conftest import HELSINKI, World
from soihtu.followup.models import ReminderLog
from soihtu.followup.services import reminders_send
from soihtu.followup.tests.helpers import check_in
from soihtu.ideas.models import Idea
from soihtu.ideas.services import idea_create, idea_move
from soihtu.notifications.models import Notification
from soihtu.notifications.tests.inbox_helpers import Event
from soihtu.organization.roles import build_actor
from soihtu.planning import services as planning
from soihtu.planning.models import Proposal
from soihtu.planning.tests.conftest import open_planning
from soihtu.retrospectives import services as retrospectives
from soihtu.retrospectives.models import Retrospective
from soihtu.successes.models import Thanks
from soihtu.successes.services import success_share, success_thank
from soihtu.surveys.models import SurveyRound
from soihtu.surveys.services import round_create_from_template, round_set_state

REVIEW_TIME = datetime.datetime(2026, 12, 20, 10, tzinfo=HELSINKI)


class RefusedError(Exception):
    pass


def refuse(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """Make writing notifications fail inside the service of `module`."""

    def fail(**kwargs: Any) -> None:
        raise RefusedError

    monkeypatch.setattr(f"{module}.people_notify", fail)


def told(event: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(event=event)}


# Planning


def test_accepting_a_proposal_tells_its_author(world: World) -> None:
    p = open_planning(world)
    planning.proposal_accept(actor=world.torchbearer, proposal=p.proposal_a)
    rows = told(Event.PROPOSAL_ACCEPTED)
    assert set(rows) == {world.member.pk}
    assert rows[world.member.pk].subject == p.proposal_a.title
    assert rows[world.member.pk].url.endswith(f"#proposal-{p.proposal_a.pk}")


def test_declining_and_merging_tell_the_authors(world: World) -> None:
    p = open_planning(world)
    planning.proposal_decline(actor=world.torchbearer, proposal=p.kr_proposal_a, reason="Ei nyt")
    assert told(Event.PROPOSAL_DECLINED)[world.supervisor.pk].detail == "Ei nyt"
    other = planning.proposal_create(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        kind=Proposal.Kind.OBJECTIVE,
        title="Sama asia toisin",
    )
    planning.proposal_merge(actor=world.supervisor, proposals=[other], into=p.proposal_a)
    merged = told(Event.PROPOSAL_MERGED)[world.member.pk]
    assert merged.subject == "Sama asia toisin"
    assert merged.detail == p.proposal_a.title


def test_proposal_decision_rolls_back_when_notifying_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = open_planning(world)
    refuse(monkeypatch, "soihtu.planning.services")
    with pytest.raises(RefusedError):
        planning.proposal_accept(actor=world.torchbearer, proposal=p.proposal_a)
    p.proposal_a.refresh_from_db()
    assert p.proposal_a.status == Proposal.Status.OPEN


# Successes


def test_thanks_tell_the_team_once_a_day(world: World) -> None:
    success = success_share(
        actor=build_actor(world.member), team=world.team_a, title="Jonot lyheni", story="Hyvin."
    )
    assert success_thank(actor=build_actor(world.outsider), success=success)
    assert success_thank(actor=build_actor(world.member_b), success=success)
    rows = Notification.objects.filter(event=Event.SUCCESS_THANKED)
    team_a = {world.supervisor.pk, world.torchbearer.pk, world.member.pk}
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(team_a)
    # A team member who thanks is not told of their own thanks.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        assert success_thank(actor=build_actor(world.member), success=success)
    tomorrow = rows.filter(created_at__gte=timezone.now() + datetime.timedelta(hours=20))
    assert set(tomorrow.values_list("recipient_id", flat=True)) == team_a - {world.member.pk}


def test_thanks_roll_back_when_notifying_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    success = success_share(
        actor=build_actor(world.member), team=world.team_a, title="Jonot lyheni", story="Hyvin."
    )
    refuse(monkeypatch, "soihtu.successes.services")
    with pytest.raises(RefusedError):
        success_thank(actor=build_actor(world.outsider), success=success)
    assert not Thanks.objects.exists()


# Follow-up reminders


def test_in_soihtu_reminder_is_written_with_its_claim(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_in(world.torchbearer, world.kr_a2)
    check_in(world.member_b, world.kr_b1)
    User.objects.filter(pk=world.member.pk).update(reminders_enabled=False)
    refuse(monkeypatch, "soihtu.followup.services")
    with pytest.raises(RefusedError):
        reminders_send(timezone.now())
    assert not ReminderLog.objects.filter(user=world.member).exists()
    monkeypatch.undo()
    reminders_send(timezone.now())
    assert told(Event.KEY_RESULT_DUE)[world.member.pk].subject == world.kr_a1.title
    assert ReminderLog.objects.filter(user=world.member).count() == 1


# Retrospectives


def test_opening_the_retrospective_tells_the_team(world: World) -> None:
    with time_machine.travel(REVIEW_TIME, tick=False):
        retrospectives.retrospective_start(
            actor=world.torchbearer, team=world.team_a, cycle=world.cycle
        )
    rows = told(Event.RETROSPECTIVE_OPENED)
    assert set(rows) == {world.supervisor.pk, world.member.pk}
    assert rows[world.member.pk].subject == "Team A"
    assert rows[world.member.pk].url == f"/teams/{world.team_a.pk}/retrospective/{world.cycle.pk}/"


def test_retrospective_rolls_back_when_notifying_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse(monkeypatch, "soihtu.retrospectives.services")
    with time_machine.travel(REVIEW_TIME, tick=False), pytest.raises(RefusedError):
        retrospectives.retrospective_start(
            actor=world.torchbearer, team=world.team_a, cycle=world.cycle
        )
    assert not Retrospective.objects.exists()


# Surveys


def _draft(world: World) -> SurveyRound:
    return round_create_from_template(
        actor=world.admin,
        title="OKR-kysely 2026",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 12, 15),
        audience=[world.unit_a],
    )


def test_opening_a_round_tells_its_audience_once(world: World) -> None:
    survey = _draft(world)
    round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    rows = told(Event.SURVEY_OPENED)
    audience = {
        world.supervisor.pk,
        world.torchbearer.pk,
        world.member.pk,
        world.member_b.pk,
        world.parent_supervisor.pk,
    }
    assert set(rows) == audience
    assert Notification.objects.filter(event=Event.SURVEY_OPENED).count() == len(audience)
    assert rows[world.member.pk].url == f"/surveys/{survey.pk}/answer/"
    # Nothing about answering is in a notification, nor written when someone answers.
    assert {n.detail for n in rows.values()} == {""}


def test_round_stays_a_draft_when_notifying_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = _draft(world)
    refuse(monkeypatch, "soihtu.surveys.services")
    with pytest.raises(RefusedError):
        round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    survey.refresh_from_db()
    assert survey.state == SurveyRound.State.DRAFT


# Ideas


def test_moving_an_idea_tells_who_recorded_it_with_the_state_code(world: World) -> None:
    idea = idea_create(actor=build_actor(world.member), team=world.team_a, title="Chatbot")
    idea_move(actor=build_actor(world.torchbearer), idea=idea, to_state=Idea.State.TRIED)
    row = told(Event.IDEA_MOVED)[world.member.pk]
    assert row.detail == "tried"
    assert row.sentence == "The idea “Chatbot” was marked tried"


def test_idea_stays_where_it_was_when_notifying_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    idea = idea_create(actor=build_actor(world.member), team=world.team_a, title="Chatbot")
    refuse(monkeypatch, "soihtu.ideas.services")
    with pytest.raises(RefusedError):
        idea_move(actor=build_actor(world.torchbearer), idea=idea, to_state=Idea.State.TRIED)
    idea.refresh_from_db()
    assert idea.state == Idea.State.NEW
