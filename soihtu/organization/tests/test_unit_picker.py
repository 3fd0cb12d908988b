"""The unit picker: units found by a part of their name or code, the text resolved to one unit
or to a short list of links, and the suggestions endpoint htmx asks while the person types."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.organization.models import Unit
from soihtu.organization.picker import pick_unit
from soihtu.organization.selectors import SUGGESTIONS, unit_matches
from soihtu.organization.services import unit_create

SUGGEST = reverse("organization:unit_suggestions")


def _params(query: str) -> QueryDict:
    return QueryDict(query)


def _teams(world: World, count: int, name: str = "Tiimi") -> list[Unit]:
    return [
        unit_create(name=f"{name} {n:02d}", kind=Unit.Kind.TEAM, parent=world.division_2)
        for n in range(count)
    ]


def test_matches_a_part_of_the_name_ignoring_case_best_first(world: World) -> None:
    unit_create(name="Yhteinen team", kind=Unit.Kind.TEAM, parent=world.division_2)
    matches = unit_matches("  TEAM ")
    assert [u.name for u in matches.units] == ["Team A", "Team B", "Team C", "Yhteinen team"]
    assert matches.total == 4
    assert matches.more == 0
    assert matches.units[0].parent == world.unit_a


def test_matches_the_unit_code(world: World) -> None:
    Unit.objects.filter(pk=world.team_c.pk).update(code="HR-0042")
    assert [u.pk for u in unit_matches("hr-00").units] == [world.team_c.pk]


def test_the_organization_itself_is_not_a_choice(world: World) -> None:
    assert unit_matches("Org").total == 0


def test_lists_twenty_and_counts_the_rest(world: World) -> None:
    _teams(world, SUGGESTIONS + 5)
    matches = unit_matches("tiimi")
    assert len(matches.units) == SUGGESTIONS
    assert matches.total == SUGGESTIONS + 5
    assert matches.more == 5


def test_matching_takes_one_query_whatever_the_number_of_units(world: World) -> None:
    _teams(world, 60)
    with CaptureQueriesContext(connection) as captured:
        matches = unit_matches("tiimi")
        [u.parent.name for u in matches.units if u.parent is not None]
    assert len(captured.captured_queries) == 1


def test_a_text_naming_one_unit_picks_it(world: World) -> None:
    pick = pick_unit(_params("unit_name=team+c&theme=2&page=3"))
    assert pick.unit == world.team_c
    assert pick.text == "Team C"
    assert parse_qs(pick.querystring) == {"theme": ["2"], "unit": [str(world.team_c.pk)]}


def test_the_exact_name_wins_over_longer_names(world: World) -> None:
    unit_create(name="Team A:n kehitys", kind=Unit.Kind.TEAM, parent=world.division_2)
    assert pick_unit(_params("unit_name=team+a")).unit == world.team_a
    assert pick_unit(_params("unit_name=team")).unit is None


def test_a_text_naming_several_units_lists_them_as_links(world: World) -> None:
    pick = pick_unit(_params("unit_name=team&theme=2&page=3"))
    assert pick.unit is None
    assert pick.text == "team"
    assert pick.matches is not None
    assert pick.matches.total == 3
    links = [parse_qs(query) for _unit, query in pick.suggestions]
    assert links[0] == {"theme": ["2"], "unit": [str(world.team_a.pk)]}
    assert parse_qs(pick.querystring) == {"theme": ["2"]}


def test_the_chosen_unit_stays_while_its_name_is_in_the_field(world: World) -> None:
    twin = unit_create(name="Team A", kind=Unit.Kind.TEAM, parent=world.division_2)
    pick = pick_unit(_params(f"unit={twin.pk}&unit_name=Team+A"))
    assert pick.unit == twin
    assert pick_unit(_params("unit_name=Team+A")).unit is None  # two units have that name


def test_a_new_text_replaces_the_chosen_unit_and_an_empty_one_clears_it(world: World) -> None:
    chosen = f"unit={world.team_a.pk}"
    assert pick_unit(_params(f"{chosen}&unit_name=team+b")).unit == world.team_b
    assert pick_unit(_params(f"{chosen}&unit_name=")).unit is None
    assert pick_unit(_params(chosen)).unit == world.team_a
    assert pick_unit(_params(chosen)).text == "Team A"
    assert pick_unit(_params("unit=bogus")).unit is None
    assert pick_unit(_params("unit=99999999")).unit is None


def test_suggestions_are_links_that_keep_the_other_filters(world: World) -> None:
    client = client_for(world.member)
    response = client.get(
        SUGGEST,
        {"unit_name": "team", "unit": str(world.team_c.pk), "theme": "2", "page": "4", "q": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 units match “team”" in html
    assert f'href="?theme=2&amp;q=x&amp;unit={world.team_a.pk}"' in html
    assert 'Team B <span class="muted">(team, Unit A)</span>' in html
    assert "page=" not in html


def test_suggestions_count_what_they_do_not_list(world: World) -> None:
    _teams(world, SUGGESTIONS + 3)
    html = client_for(world.member).get(SUGGEST, {"unit_name": "tiimi"}).content.decode()
    assert html.count("<li>") == SUGGESTIONS
    assert "And 3 more." in html


def test_suggestions_for_nothing_and_for_no_match(world: World) -> None:
    client = client_for(world.member)
    empty = client.get(SUGGEST, {"unit_name": "  "}).content.decode().strip()
    assert empty == '<p id="unit-picker-status" role="status" hx-swap-oob="true"></p>'
    html = client.get(SUGGEST, {"unit_name": "zzz"}).content.decode()
    assert "No unit matches “zzz”" in html


@pytest.mark.parametrize("persona", ["member", "outsider", "admin"])
def test_everyone_signed_in_gets_suggestions(world: World, persona: str) -> None:
    response = client_for(world.persona(persona)).get(SUGGEST, {"unit_name": "team b"})
    assert "Team B" in response.content.decode()


def test_suggestions_are_for_signed_in_people_only(world: World) -> None:
    response = Client().get(SUGGEST, {"unit_name": "team"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "Team A" not in response.content.decode()


def test_suggestions_answer_get_only(world: World) -> None:
    assert client_for(world.member).post(SUGGEST, {"unit_name": "team"}).status_code == 405


def _suggestion_queries(world: World) -> int:
    client = client_for(world.member)
    client.get(SUGGEST, {"unit_name": "tiimi"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SUGGEST, {"unit_name": "tiimi"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_suggestions_take_a_constant_small_number_of_queries(world: World) -> None:
    _teams(world, 3)
    few = _suggestion_queries(world)
    _teams(world, 80, name="Tiimi lisää")
    # The session and the person (sign-in middleware), and the units.
    assert few == _suggestion_queries(world) == 3
