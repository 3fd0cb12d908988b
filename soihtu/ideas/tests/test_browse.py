"""The ideas of every team, for everyone signed in: paged, searched, filtered by unit (the unit
picker) and state; an idea serving a restricted objective stays hidden from those who may not
see the objective, in the list and on its own page; a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, client_for
from soihtu.core.tests.queries import assert_pinned, page_query_counts
from soihtu.ideas.models import Idea
from soihtu.ideas.services import idea_create
from soihtu.organization.roles import build_actor

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
SEES_RESTRICTED_A = {"admin", "supervisor", "torchbearer", "member"}
# The session, the person, their memberships and the units above them, the organization's name
# (base.html), then the page: the count, the ideas, their linked objectives and key results.
# Choosing a unit adds one query (the unit by id).
PINNED = {"all": 10, "searched": 10, "unit": 11, "page 2": 10}


def idea(world: World, title: str, persona: str = "member", **extra: object) -> Idea:
    team = (
        world.team_b if persona == "member_b" else world.team_c if persona == "outsider" else None
    )
    return idea_create(
        actor=build_actor(world.persona(persona)),
        team=team or world.team_a,
        title=title,
        **extra,  # type: ignore[arg-type]
    )


def restricted_ideas(world: World) -> list[Idea]:
    """Ideas of team A serving its restricted objective: linked to it, to its key result, and
    made from a check-in on its key result (with the key result link removed)."""
    kr = world.restricted_a.key_results.get()
    checkin = checkin_create(
        author=world.member, key_result=kr, value=Decimal(0), confidence=5, note=""
    )
    from_checkin = idea(world, "Salainen tarkistuksesta", checkin=checkin)
    from_checkin.key_results.clear()
    return [
        idea(world, "Salainen tavoiteidea", objectives=[world.restricted_a]),
        idea(world, "Salainen mittari-idea", key_results=[kr]),
        from_checkin,
    ]


def browse(world: World, persona: str = "member_b", query: str = "") -> str:
    response = client_for(world.persona(persona)).get(reverse("ideas:browse") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_sees_the_ideas_of_every_team(world: World, persona: str) -> None:
    idea(world, "Chat-päivystys", objectives=[world.objective_a], description="Iltaisin")
    idea(world, "Jonon purku", "member_b", objectives=[world.objective_b])
    idea(world, "Tiimin C idea", "outsider")
    html = browse(world, persona)
    for title in ["Chat-päivystys", "Jonon purku", "Tiimin C idea", "Iltaisin", "Team B"]:
        assert title in html
    assert "Nopeampi palvelu" in html  # the open objective it serves
    assert "3 ideas" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_ideas_serving_a_restricted_objective_stay_hidden_from_others(
    world: World, persona: str
) -> None:
    hidden = restricted_ideas(world)
    idea(world, "Avoin idea")
    html = browse(world, persona)
    client = client_for(world.persona(persona))
    assert "Avoin idea" in html
    for secret in hidden:
        shown = persona in SEES_RESTRICTED_A
        assert (secret.title in html) == shown, secret.title
        status = client.get(reverse("ideas:detail", args=[secret.pk])).status_code
        assert status == (200 if shown else 404)
    assert ("Sisäinen kehitys" in html) == (persona in SEES_RESTRICTED_A)


def test_a_search_finds_every_word_in_the_title_or_description_as_a_part_of_a_word(
    world: World,
) -> None:
    idea(world, "Tiimin aamupalaveri", description="Lyhyt päivittäinen tilannekatsaus")
    idea(world, "Asiakaspalaute kerätään", description="Kysely tiimille")
    idea(world, "Jotain muuta")
    html = browse(world, query="?q=tiimi")
    assert "Tiimin aamupalaveri" in html
    assert "Asiakaspalaute kerätään" in html
    assert "Jotain muuta" not in html
    html = browse(world, query="?q=TIIMI+päivittäinen")
    assert "Tiimin aamupalaveri" in html
    assert "Asiakaspalaute" not in html
    html = browse(world, query="?q=olematon")
    assert "No ideas match your search." in html


def test_a_search_does_not_reveal_a_hidden_idea(world: World) -> None:
    restricted_ideas(world)
    assert "0 ideas" in browse(world, "outsider", "?q=Salainen")
    assert "3 ideas" in browse(world, "member", "?q=Salainen")


def test_the_unit_filter_takes_the_unit_and_everything_below_it(world: World) -> None:
    idea(world, "Tiimin A idea")
    idea(world, "Tiimin B idea", "member_b")
    idea(world, "Tiimin C idea", "outsider")
    html = browse(world, query=f"?unit={world.division_2.pk}")
    assert "Tiimin C idea" in html
    assert "Tiimin A idea" not in html
    html = browse(world, query=f"?unit={world.unit_a.pk}")
    assert "Tiimin A idea" in html
    assert "Tiimin B idea" in html
    assert "Tiimin C idea" not in html
    html = browse(world, query="?unit_name=Team+B")  # typed into the picker, without JavaScript
    assert "Tiimin B idea" in html
    assert "Tiimin A idea" not in html


def test_the_state_filter_and_a_bad_state(world: World) -> None:
    idea(world, "Uusi idea")
    adopted = idea(world, "Käytössä oleva idea")
    Idea.objects.filter(pk=adopted.pk).update(state=Idea.State.ADOPTED)
    html = browse(world, query="?state=adopted")
    assert "Käytössä oleva idea" in html
    assert "Uusi idea" not in html
    html = browse(world, query="?state=bogus")
    assert "Select a valid choice" in html


def test_pages_of_twenty_keep_the_filters(world: World) -> None:
    for number in range(25):
        idea(world, f"Idea numero {number:02}")
    first = browse(world, query=f"?q=numero&unit={world.team_a.pk}")
    assert "Page 1 of 2" in first
    assert "Idea numero 24" in first
    assert "Idea numero 04" not in first
    assert f"?q=numero&amp;unit={world.team_a.pk}&amp;page=2" in first
    second = browse(world, query=f"?q=numero&unit={world.team_a.pk}&page=2")
    assert "Idea numero 04" in second
    assert "Idea numero 24" not in second


def test_the_list_takes_only_get_and_signed_in_people(world: World) -> None:
    assert client_for(world.member).post(reverse("ideas:browse")).status_code == 405
    assert Client().get(reverse("ideas:browse")).status_code == 302


def test_the_overview_links_the_list_and_an_outsiders_idea_page_links_it_too(
    world: World,
) -> None:
    own = idea(world, "Chat-päivystys")
    assert (
        reverse("ideas:browse")
        in client_for(world.outsider).get(reverse("ideas:overview")).content.decode()
    )
    page = client_for(world.outsider).get(reverse("ideas:detail", args=[own.pk])).content.decode()
    assert f"{reverse('ideas:browse')}?unit={world.team_a.pk}" in page
    assert reverse("ideas:team", args=[world.team_a.pk]) not in page
    assert 'name="to_state"' not in page  # not theirs to move


def _counts(world: World) -> dict[str, int]:
    urls = {
        "all": reverse("ideas:browse"),
        "searched": reverse("ideas:browse") + "?q=idea",
        "unit": reverse("ideas:browse") + f"?unit={world.division.pk}",
        "page 2": reverse("ideas:browse") + "?page=2",
    }
    return page_query_counts(client_for(world.member_b), urls)


def test_the_list_does_its_pinned_number_of_queries_at_two_sizes(world: World) -> None:
    for number in range(21):
        idea(world, f"Pieni idea {number}", objectives=[world.objective_a])
    restricted_ideas(world)
    small = _counts(world)
    for number in range(60):
        idea(
            world,
            f"Suuri idea {number}",
            "member_b" if number % 2 else "member",
            objectives=[world.objective_b if number % 2 else world.objective_a],
            key_results=[world.kr_b1 if number % 2 else world.kr_a1],
        )
    large = _counts(world)
    assert_pinned(PINNED, small, large)
