"""The library's unit filter is a search field: a typed name filters by its unit, a name
matching several units offers them as links, and no page lists every unit."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.learning.models import Learning
from soihtu.learning.selectors import PER_PAGE
from soihtu.organization.models import Unit
from soihtu.organization.services import unit_create

LIBRARY = reverse("learning:library")


def _html(response: HttpResponseBase) -> str:
    assert response.status_code == 200
    return bytes(response.content).decode()  # type: ignore[attr-defined]


def _learnings(world: World) -> None:
    Learning.objects.create(text="Tiimin A oppi", team=world.team_a, cycle=world.cycle)
    Learning.objects.create(text="Tiimin C oppi", team=world.team_c, cycle=world.cycle)


def test_a_typed_unit_name_filters_by_that_unit(world: World) -> None:
    _learnings(world)
    html = _html(client_for(world.member_b).get(LIBRARY, {"unit_name": "team c", "q": ""}))
    assert "Tiimin C oppi" in html
    assert "Tiimin A oppi" not in html
    assert 'name="unit_name" value="Team C"' in html
    assert f'<input type="hidden" name="unit" value="{world.team_c.pk}">' in html


def test_pages_of_a_typed_unit_carry_its_id(world: World) -> None:
    for n in range(PER_PAGE + 1):
        Learning.objects.create(text=f"Oppi {n}", team=world.team_c, cycle=world.cycle)
    html = _html(client_for(world.member_b).get(LIBRARY, {"unit_name": "Team C", "q": "oppi"}))
    assert f'href="?q=oppi&amp;unit={world.team_c.pk}&amp;page=2"' in html


def test_a_name_of_several_units_offers_links_and_does_not_filter(world: World) -> None:
    _learnings(world)
    html = _html(client_for(world.member_b).get(LIBRARY, {"unit_name": "team", "cycle": ""}))
    assert "3 units match “team”. Did you mean:" in html
    assert f'href="?cycle=&amp;unit={world.team_a.pk}"' in html
    assert "Tiimin A oppi" in html
    assert "Tiimin C oppi" in html
    assert 'name="unit_name" value="team"' in html


def test_a_name_of_no_unit_says_so(world: World) -> None:
    _learnings(world)
    html = _html(client_for(world.member_b).get(LIBRARY, {"unit_name": "zzz"}))
    assert "No unit matches “zzz”" in html
    assert "Tiimin C oppi" in html


def test_the_library_lists_no_units_to_choose_from(world: World) -> None:
    for n in range(30):
        unit_create(name=f"Tiimi {n}", kind=Unit.Kind.TEAM, parent=world.division_2)
    html = _html(client_for(world.member_b).get(LIBRARY))
    assert 'name="unit"' not in html
    assert "Tiimi 1" not in html
    assert 'hx-get="/units/suggestions/"' in html
