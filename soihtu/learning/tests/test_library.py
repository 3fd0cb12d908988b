from __future__ import annotations

import pytest
from django.db import connection
from django.http.response import HttpResponseBase
from django.urls import reverse

from soihtu.conftest import World, client_for, make_objective
from soihtu.learning.models import Learning
from soihtu.learning.selectors import related_learnings
from soihtu.organization.roles import build_actor

LIBRARY = reverse("learning:library")


def _learning(world: World, text: str, **extra: object) -> Learning:
    values: dict[str, object] = {
        "team": world.team_a,
        "cycle": world.cycle,
        "objective": world.objective_a,
    }
    values.update(extra)
    learning = Learning.objects.create(text=text, **values)
    if learning.objective is not None:
        learning.themes.set(learning.objective.themes.all())
    return learning


def _texts(response: HttpResponseBase) -> str:
    return bytes(response.content).decode()  # type: ignore[attr-defined]


def test_internal_learnings_are_hidden_from_other_teams(world: World) -> None:
    _learning(world, "Julkinen oppi")
    _learning(world, "Sisäinen oppi", internal=True)
    for persona, sees_internal in [
        ("member", True),
        ("torchbearer", True),
        ("admin", True),
        ("member_b", False),
        ("outsider", False),
        ("parent_supervisor", False),
    ]:
        html = _texts(client_for(world.persona(persona)).get(LIBRARY))
        assert "Julkinen oppi" in html, persona
        assert ("Sisäinen oppi" in html) is sees_internal, persona


def test_restricted_objective_is_not_named_to_outsiders(world: World) -> None:
    _learning(world, "Perehdytyksestä opittua", objective=world.restricted_a)
    html = _texts(client_for(world.outsider).get(LIBRARY))
    assert "Perehdytyksestä opittua" in html
    assert world.restricted_a.title not in html
    assert world.restricted_a.title in _texts(client_for(world.member).get(LIBRARY))


def test_search_finds_the_plain_word(world: World) -> None:
    _learning(world, "Asiakkaiden palaute kannattaa kerätä heti")
    _learning(world, "Jonot lyhenivät chatin avulla")
    html = _texts(client_for(world.member_b).get(LIBRARY, {"q": "palaute"}))
    assert "Asiakkaiden palaute" in html
    assert "Jonot lyhenivät" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search")
def test_finnish_stemming_finds_inflected_forms(world: World) -> None:
    _learning(world, "Asiakkaiden palaute kannattaa kerätä heti")
    _learning(world, "Jonot lyhenivät chatin avulla")
    html = _texts(client_for(world.member_b).get(LIBRARY, {"q": "asiakas"}))
    assert "Asiakkaiden palaute" in html
    assert "Jonot lyhenivät" not in html
    html = _texts(client_for(world.member_b).get(LIBRARY, {"q": "customers"}))
    assert "Asiakkaiden" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search")
def test_swedish_and_english_stemming(world: World) -> None:
    _learning(world, "Kunderna vill ha snabbare svar")
    _learning(world, "Customers learned to use the chat")
    assert "Kunderna" in _texts(client_for(world.member_b).get(LIBRARY, {"q": "kund"}))
    assert "Customers learned" in _texts(client_for(world.member_b).get(LIBRARY, {"q": "learning"}))


def test_filters_by_theme_unit_and_cycle(world: World) -> None:
    _learning(world, "Tiimin A oppi")
    _learning(world, "Tiimin B oppi", team=world.team_b, objective=world.objective_b)
    _learning(world, "Tiimin C oppi", team=world.team_c, objective=None, cycle=world.closed_cycle)
    client = client_for(world.outsider)
    html = _texts(client.get(LIBRARY, {"unit": world.unit_a.pk}))
    assert "Tiimin A oppi" in html
    assert "Tiimin B oppi" in html
    assert "Tiimin C oppi" not in html
    html = _texts(client.get(LIBRARY, {"theme": world.themes[0].pk}))
    assert "Tiimin A oppi" in html
    assert "Tiimin B oppi" not in html
    html = _texts(client.get(LIBRARY, {"cycle": world.closed_cycle.pk}))
    assert "Tiimin C oppi" in html
    assert "Tiimin A oppi" not in html
    html = _texts(client.get(LIBRARY, {"unit": "bogus", "page": "999", "q": "  "}))
    assert "Tiimin C oppi" in html


def test_library_pages_by_twenty(world: World) -> None:
    for n in range(25):
        _learning(world, f"Oppi numero {n:02d}")
    client = client_for(world.member)
    first = _texts(client.get(LIBRARY))
    assert first.count("Oppi numero") == 20
    second = _texts(client.get(LIBRARY, {"page": 2}))
    assert second.count("Oppi numero") == 5


def test_related_learnings_follow_the_organization_objectives(world: World) -> None:
    # Team B's objective contributes to the same organization objective as team A's.
    world.objective_b.contributes_to.set([world.org_objective])
    _learning(world, "Tiimin B oppi", team=world.team_b, objective=world.objective_b)
    _learning(
        world, "Tiimin B sisäinen", team=world.team_b, objective=world.objective_b, internal=True
    )
    other = make_objective(world.team_c, year=world.year, cycle=world.cycle, title="Muu")
    _learning(world, "Tiimin C oppi", team=world.team_c, objective=other)
    _learning(world, "Oma oppi")
    found = related_learnings(build_actor(world.member), team=world.team_a, cycle=world.cycle)
    assert [lr.text for lr in found] == ["Tiimin B oppi"]
    found = related_learnings(build_actor(world.admin), team=world.team_a, cycle=world.cycle)
    assert {lr.text for lr in found} == {"Tiimin B oppi", "Tiimin B sisäinen"}


def test_library_only_answers_get(world: World) -> None:
    assert client_for(world.member).post(LIBRARY).status_code == 405


def test_a_search_without_hits_says_that_none_match(world: World) -> None:
    _learning(world, "Jonot lyhenivät chatin avulla")
    html = _texts(client_for(world.member_b).get(LIBRARY, {"q": "perehdytys"}))
    assert "No learnings match your search." in html
    assert "No learnings yet." not in html


def test_a_filter_without_hits_says_that_none_match(world: World) -> None:
    _learning(world, "Jonot lyhenivät chatin avulla", cycle=world.closed_cycle)
    html = _texts(client_for(world.member_b).get(LIBRARY, {"cycle": world.cycle.pk}))
    assert "No learnings match your search." in html


def test_an_empty_library_says_there_are_no_learnings_yet(world: World) -> None:
    html = _texts(client_for(world.member_b).get(LIBRARY))
    assert "No learnings yet." in html
    assert "No learnings match" not in html


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("tiimi", "Tiimin viikkopalaveri lyheni puoleen"),
        ("tiimi", "Uusissa tiimeissä perehdytys kesti pidempään"),
        ("asiakas", "Asiakkaiden palaute kannattaa kerätä heti"),
        ("äänestys", "Äänestyksen tulos yllätti"),
        ("PALAUTTEESTA", "Palautteesta opimme eniten"),
    ],
)
def test_search_finds_finnish_inflections_by_word_prefix(
    world: World, query: str, text: str
) -> None:
    """On SQLite as on PostgreSQL: each word matches as the beginning of a word, without its
    last two letters; case does not matter, ä and ö included."""
    _learning(world, text)
    _learning(world, "Jonot lyhenivät chatin avulla")
    html = _texts(client_for(world.member_b).get(LIBRARY, {"q": query}))
    assert text in html
    assert "Jonot lyhenivät" not in html
