"""The torchbearer's desk says what is due now, for the team's leaders only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, client_for
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.demo.generate import generate_demo
from soihtu.organization.models import Unit


def desk(world: World, persona: str = "torchbearer") -> str:
    response = client_for(world.persona(persona)).get(reverse("desk:team", args=[world.team_a.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("supervisor", 200),
        ("torchbearer", 200),
        ("member", 403),
        ("member_b", 403),
        ("parent_supervisor", 403),
        ("outsider", 403),
    ],
)
def test_only_the_teams_leaders_open_the_desk(world: World, persona: str, status: int) -> None:
    response = client_for(world.persona(persona)).get(reverse("desk:team", args=[world.team_a.pk]))
    assert response.status_code == status


def test_unknown_team_or_a_unit_is_404(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("desk:team", args=[999999])).status_code == 404
    assert client.get(reverse("desk:team", args=[world.unit_a.pk])).status_code == 404


def test_stale_and_due_key_results_link_to_their_check_in(world: World) -> None:
    # kr_a1 and kr_a2 have had no check-in since the cycle began 1 September: stale.
    page = desk(world)
    assert "Stale: two check-ins missed" in page
    assert reverse("checkins:new", args=[world.kr_a1.pk]) in page
    checkin_create(author=world.member, key_result=world.kr_a1, value=Decimal(9), confidence=7)
    checkin_create(author=world.member, key_result=world.kr_a2, value=Decimal(0), confidence=7)
    restricted = world.restricted_a.key_results.get()
    checkin_create(author=world.member, key_result=restricted, value=Decimal(0), confidence=7)
    page = desk(world)
    assert reverse("checkins:new", args=[world.kr_a1.pk]) not in page
    assert "Every key result has been checked in within the team's rhythm." in page


def test_a_reached_key_result_invites_to_share_it(world: World) -> None:
    checkin_create(author=world.member, key_result=world.kr_a2, value=Decimal(1), confidence=9)
    page = desk(world)
    assert "Reached, not yet shared" in page
    url = reverse("successes:new", args=[world.team_a.pk]) + f"?key_result={world.kr_a2.pk}"
    assert url in page


def test_the_next_cycle_asks_to_open_planning_then_shows_waiting_proposals(world: World) -> None:
    following = Cycle.objects.create(
        year=world.year,
        name="T4",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 4, 30),
    )
    page = desk(world)
    assert "Open planning so that the whole team can propose goals." in page
    TeamCycle.objects.create(team=world.team_a, cycle=following, state=Cycle.State.PLANNING)
    page = desk(world)
    assert "is open: 0 proposals wait for an answer." in page
    assert reverse("planning:team", args=[world.team_a.pk, following.pk]) in page


def test_a_retrospective_in_review_is_due(world: World) -> None:
    TeamCycle.objects.create(team=world.team_a, cycle=world.cycle, state=Cycle.State.REVIEW)
    page = desk(world)
    assert reverse("retrospectives:team", args=[world.team_a.pk, world.cycle.pk]) in page


def _desk_queries(people: int) -> int:
    generate_demo(people=people, today=datetime.date(2026, 11, 27), seed=7)
    torchbearer = User.objects.get(username="soihdunkantaja")
    team = Unit.objects.get(memberships__user=torchbearer)
    client = client_for(torchbearer)
    url = reverse("desk:team", args=[team.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_desk_does_a_constant_number_of_queries() -> None:
    from soihtu.demo.generate import reset_demo

    small = _desk_queries(40)
    reset_demo()
    large = _desk_queries(400)
    assert small == large
    assert large <= 15
