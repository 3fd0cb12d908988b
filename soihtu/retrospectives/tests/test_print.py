"""The printable retrospective: one page per team and cycle with every block's text and the
objectives' review, for the team's people only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.retrospectives.models import ObjectiveReview, Retrospective
from soihtu.retrospectives.tests.helpers import open_review

TEAM_A = {"admin", "supervisor", "torchbearer", "member"}
PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]


def _print_url(world: World) -> str:
    return reverse("retrospectives:print", args=[world.team_a.pk, world.cycle.pk])


def _written(world: World) -> Retrospective:
    open_review(world)
    retro = Retrospective.objects.create(
        team=world.team_a,
        cycle=world.cycle,
        started_by=world.torchbearer,
        what_worked="Viikkopalaverit toimivat",
        what_we_change="Lyhyemmät palaverit",
    )
    ObjectiveReview.objects.create(
        retrospective=retro,
        objective=world.objective_a,
        outcome=ObjectiveReview.Outcome.PARTLY,
        why="Chat viivästyi",
        learned="Pilotti ensin",
        try_next="Kokeillaan takaisinsoittoa",
    )
    ObjectiveReview.objects.create(
        retrospective=retro, objective=world.restricted_a, why="Perehdytys sujui"
    )
    return retro


@pytest.mark.parametrize("persona", PERSONAS)
def test_print_view_is_for_the_team(world: World, persona: str) -> None:
    _written(world)
    response = client_for(world.persona(persona)).get(_print_url(world))
    assert response.status_code == (200 if persona in TEAM_A else 404)


def test_print_view_has_every_block_and_the_reviews(world: World) -> None:
    _written(world)
    content = client_for(world.member).get(_print_url(world)).content.decode()
    for text in [
        world.objective_a.title,
        world.kr_a1.title,
        "Partly reached",
        "Chat viivästyi",
        "Pilotti ensin",
        "Kokeillaan takaisinsoittoa",
        world.restricted_a.title,
        "Perehdytys sujui",
        "Viikkopalaverit toimivat",
        "Lyhyemmät palaverit",
        "Who took part",
    ]:
        assert text in content, text
    assert "<form" not in content.split('<main id="main"')[1]


def test_print_view_before_the_retrospective_starts(world: World) -> None:
    content = client_for(world.torchbearer).get(_print_url(world)).content.decode()
    assert "Not started yet" in content
    assert world.objective_a.title in content


def test_retrospective_page_links_its_print_view(world: World) -> None:
    _written(world)
    page = reverse("retrospectives:team", args=[world.team_a.pk, world.cycle.pk])
    content = client_for(world.member).get(page).content.decode()
    assert f'href="{_print_url(world)}"' in content


def test_print_view_takes_only_get(world: World) -> None:
    assert client_for(world.torchbearer).post(_print_url(world)).status_code == 405
