"""The team's ideas, the idea form, an idea's page, its steps and the overview: every persona,
bad input, htmx and the no-JavaScript fallback."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, client_for
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.ideas.tests.test_services import record

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
TEAM_A = {"admin", "supervisor", "torchbearer", "member"}
LEADERS = {"admin", "supervisor", "torchbearer"}


def state() -> tuple[object, ...]:
    return (
        sorted(Idea.objects.values_list("id", "title", "state")),
        IdeaStep.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_matrix(world: World, persona: str) -> None:
    before = state()
    response = client_for(world.persona(persona)).post(
        reverse("ideas:new", args=[world.team_a.pk]),
        {"title": "Uusi idea", "source": "plain", "objectives": str(world.objective_a.pk)},
    )
    if persona in TEAM_A:
        assert response.status_code == 302
        assert Idea.objects.get().created_by == world.persona(persona)
    else:
        assert response.status_code == 404
        assert state() == before


@pytest.mark.parametrize("author", ["torchbearer", "member"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_move_matrix(world: World, persona: str, author: str) -> None:
    idea = record(world, author)
    before = state()
    response = client_for(world.persona(persona)).post(
        reverse("ideas:move", args=[idea.pk]), {"to_state": "tried", "note": "Kokeillaan"}
    )
    allowed = LEADERS | ({author} if author == "member" else set())
    if persona in allowed:
        assert response.status_code == 302
        idea.refresh_from_db()
        assert idea.state == Idea.State.TRIED
    else:
        # Everyone signed in may see the idea (it serves an open objective): not theirs to move.
        assert response.status_code == 403
        assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_team_board_is_the_teams_and_an_idea_is_everyones(world: World, persona: str) -> None:
    idea = record(world)
    client = client_for(world.persona(persona))
    expected = 200 if persona in TEAM_A else 404
    assert client.get(reverse("ideas:team", args=[world.team_a.pk])).status_code == expected
    assert client.get(reverse("ideas:detail", args=[idea.pk])).status_code == 200
    assert client.get(reverse("ideas:overview")).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    idea = record(world)
    before = state()
    for url, data in [
        (reverse("ideas:new", args=[world.team_a.pk]), {"title": "x", "source": "plain"}),
        (reverse("ideas:move", args=[idea.pk]), {"to_state": "tried"}),
    ]:
        response = Client().post(url, data)
        assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "source": "plain"},
        {"title": "x" * 201, "source": "plain"},
        {"title": "Idea", "description": "x" * 2001, "source": "plain"},
        {"title": "Idea", "source": "whatever"},
        {"title": "Idea", "source": "plain", "objectives": "999999"},
        {"title": "Idea", "source": "plain", "key_results": "abc"},
        {"title": "Idea", "source": "plain", "checkin": "999999"},
    ],
)
def test_bad_input_changes_nothing(world: World, data: dict[str, str]) -> None:
    before = state()
    response = client_for(world.member).post(reverse("ideas:new", args=[world.team_a.pk]), data)
    assert response.status_code == 400
    assert state() == before


def test_other_teams_goals_cannot_be_linked(world: World) -> None:
    before = state()
    client = client_for(world.member)
    for field, value in [("objectives", world.objective_b.pk), ("key_results", world.kr_b1.pk)]:
        response = client.post(
            reverse("ideas:new", args=[world.team_a.pk]),
            {"title": "x", "source": "plain", field: str(value)},
        )
        assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize(
    "data",
    [{}, {"to_state": "bogus"}, {"to_state": "tried", "note": "x" * 501}],
)
def test_bad_steps_change_nothing(world: World, data: dict[str, str]) -> None:
    idea = record(world)
    before = state()
    response = client_for(world.torchbearer).post(reverse("ideas:move", args=[idea.pk]), data)
    assert response.status_code == 400
    assert state() == before


def test_a_refused_step_says_why_and_changes_nothing(world: World) -> None:
    idea = record(world)
    before = state()
    client = client_for(world.torchbearer)
    response = client.post(
        reverse("ideas:move", args=[idea.pk]), {"to_state": "adopted"}, follow=True
    )
    assert "An idea that is new cannot be marked adopted." in response.content.decode()
    assert state() == before
    htmx = client.post(
        reverse("ideas:move", args=[idea.pk]), {"to_state": "adopted"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 409
    assert state() == before


def test_unknown_ids_answer_404(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("ideas:team", args=[999999])).status_code == 404
    assert client.get(reverse("ideas:team", args=[world.unit_a.pk])).status_code == 404
    assert client.get(reverse("ideas:new", args=[999999])).status_code == 404
    assert client.get(reverse("ideas:detail", args=[999999])).status_code == 404
    assert (
        client.post(reverse("ideas:move", args=[999999]), {"to_state": "tried"}).status_code == 404
    )


def test_read_pages_refuse_post_and_move_refuses_get(world: World) -> None:
    idea = record(world)
    client = client_for(world.torchbearer)
    assert client.post(reverse("ideas:overview")).status_code == 405
    assert client.post(reverse("ideas:team", args=[world.team_a.pk])).status_code == 405
    assert client.post(reverse("ideas:detail", args=[idea.pk])).status_code == 405
    assert client.get(reverse("ideas:move", args=[idea.pk])).status_code == 405


def test_form_is_prefilled_from_a_check_in_and_from_a_retrospective(world: World) -> None:
    checkin = checkin_create(
        author=world.member,
        key_result=world.kr_a1,
        value=Decimal(9),
        confidence=6,
        measured_on=datetime.date(2026, 11, 20),
    )
    client = client_for(world.member)
    url = reverse("ideas:new", args=[world.team_a.pk])
    page = client.get(f"{url}?checkin={checkin.pk}").content.decode()
    assert 'name="source" value="checkin"' in page
    assert f'name="checkin" value="{checkin.pk}"' in page
    assert f'value="{world.kr_a1.pk}" id="id_key_results_0" checked' in page
    retro = client.get(f"{url}?source=retrospective&objective={world.objective_a.pk}")
    html = retro.content.decode()
    assert 'name="source" value="retrospective"' in html
    assert f'value="{world.objective_a.pk}" id="id_objectives_0" checked' in html
    response = client.post(
        url,
        {"title": "Idea tilannepäivityksestä", "source": "checkin", "checkin": str(checkin.pk)},
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.checkin == checkin
    assert list(idea.key_results.all()) == [world.kr_a1]


def test_team_page_groups_by_state_and_shows_only_allowed_steps(world: World) -> None:
    idea = record(world)
    member_page = client_for(world.member).get(reverse("ideas:team", args=[world.team_a.pk]))
    html = member_page.content.decode()
    assert idea.title in html
    assert 'value="tried"' in html
    assert 'value="dropped"' not in html
    leader = client_for(world.torchbearer).get(reverse("ideas:team", args=[world.team_a.pk]))
    assert 'value="dropped"' in leader.content.decode()


def test_move_with_htmx_swaps_the_board(world: World) -> None:
    idea = record(world)
    response = client_for(world.torchbearer).post(
        reverse("ideas:move", args=[idea.pk]), {"to_state": "tried"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div id="ideas-board">')
    assert 'value="adopted"' in html


def test_detail_shows_the_history(world: World) -> None:
    idea = record(world)
    client = client_for(world.torchbearer)
    client.post(reverse("ideas:move", args=[idea.pk]), {"to_state": "tried", "note": "Kokeilu"})
    html = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "recorded" in html
    assert "new → tried" in html
    assert "Kokeilu" in html
    assert world.torchbearer.display_name in html
