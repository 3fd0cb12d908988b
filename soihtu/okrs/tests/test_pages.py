from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.okrs.selectors import UnitRow
from soihtu.okrs.services import unit_progress_refresh


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_page_renders_for_a_member(world: World, language: str) -> None:
    client = client_for(world.member, language)
    urls = [
        reverse("okrs:my_okrs"),
        reverse("okrs:strategy"),
        reverse("okrs:organization") + "?q=palvelu",
        reverse("okrs:unit", args=[world.team_a.pk]),
        reverse("okrs:objective", args=[world.objective_a.pk]),
        reverse("okrs:objective", args=[world.org_objective.pk]),
        reverse("checkins:new", args=[world.kr_a1.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def _rows(client: Client, query: str = "") -> dict[str, UnitRow]:
    response = client.get(reverse("okrs:organization") + query)
    assert response.status_code == 200
    return {row.unit.name: row for row in response.context["page"].rows}


def test_organization_page_rolls_progress_up_the_tree(world: World) -> None:
    from decimal import Decimal

    from soihtu.checkins.services import checkin_create

    checkin_create(author=world.member, key_result=world.kr_a1, value=Decimal("8.5"), confidence=7)
    unit_progress_refresh()
    client = client_for(world.member)
    units = _rows(client, f"?unit={world.unit_a.pk}")
    # Team A: its open objective at 25 % (one of two key results half-way) and its restricted
    # one at 0 %, which the member may see.
    assert units["Team A"].rollup_count == 2
    assert units["Team A"].rollup_progress == pytest.approx(0.125)
    # Unit A adds team B's objective (0 %); the organization adds its own objective (0 %).
    assert units["Unit A"].rollup_count == 3
    top = _rows(client)
    assert top["Org"].rollup_count == 4
    assert top["Division 1"].rollup_count == 3
    assert _rows(client, f"?unit={world.division_2.pk}")["Team C"].rollup_count == 0
    # Someone outside team A does not see the restricted objective, not even in the counts.
    units = _rows(client_for(world.outsider), f"?unit={world.unit_a.pk}")
    assert units["Team A"].rollup_count == 1
    assert units["Team A"].rollup_progress == pytest.approx(0.25)
    assert _rows(client_for(world.outsider))["Org"].rollup_count == 3
    # The OKR office sees every objective.
    assert _rows(client_for(world.admin))["Org"].rollup_count == 4


def test_organization_roll_ups_say_how_fresh_they_are(world: World) -> None:
    """The roll-ups are refreshed by the scheduler: a check-in shows on the team page at once,
    on the organization page after the next refresh, and the page says when that was."""
    from decimal import Decimal

    from soihtu.checkins.services import checkin_create

    client = client_for(world.outsider)
    with time_machine.travel("2026-11-27 09:00 +02:00", tick=False):
        before = client.get(reverse("okrs:organization") + f"?unit={world.unit_a.pk}")
    assert "Progress as of 27.11.2026 09:00" in before.content.decode()
    checkin_create(author=world.member, key_result=world.kr_a1, value=Decimal("8.5"), confidence=7)
    # Not yet refreshed: the old figure, with its time.
    assert _rows(client, f"?unit={world.unit_a.pk}")["Team A"].rollup_progress == 0.0
    with time_machine.travel("2026-11-27 09:05 +02:00", tick=False):
        call_command("followup_schedule", no_drain=True, verbosity=0)
        after = client.get(reverse("okrs:organization") + f"?unit={world.unit_a.pk}")
    assert after.context["page"].rows[1].rollup_progress == pytest.approx(0.25)
    assert "Progress as of 27.11.2026 09:05" in after.content.decode()


def test_organization_page_opens_a_level_at_a_time(world: World) -> None:
    client = client_for(world.member)
    # The top shows the organization and its divisions only, each opening the next level.
    response = client.get(reverse("okrs:organization"))
    assert [row.unit.name for row in response.context["page"].rows] == [
        "Org",
        "Division 1",
        "Division 2",
    ]
    page = response.content.decode()
    below = reverse("okrs:organization") + f"?unit={world.division_2.pk}"
    assert f'href="?unit={world.division_2.pk}&amp;cycle={world.cycle.pk}"' in page
    assert "Team C" not in page
    # Without JavaScript the link shows that part of the organization as a page of its own.
    focused = client.get(below)
    assert [row.unit.name for row in focused.context["page"].rows] == ["Division 2", "Team C"]
    assert "<html" in focused.content.decode()
    # With htmx, the units below are loaded in place: only the list, focus on its first unit.
    opened = client.get(below, headers={"HX-Request": "true"})
    fragment = opened.content.decode()
    assert "<html" not in fragment
    assert fragment.strip().startswith('<ul class="unit-tree">')
    assert "Team C" in fragment
    assert "autofocus" in fragment
    assert "Division 2</a>" not in fragment  # the unit itself is already on the page


def test_organization_page_shows_one_part_of_the_tree(world: World) -> None:
    response = client_for(world.member).get(
        reverse("okrs:organization") + f"?unit={world.unit_a.pk}"
    )
    page = response.context["page"]
    assert [row.unit.name for row in page.rows] == ["Unit A", "Team A", "Team B"]
    assert [unit.name for unit in page.ancestors] == ["Org", "Division 1"]
    html = response.content.decode()
    assert f'href="?unit={world.unit_a.parent_id}' in html  # a way back up


def test_organization_search_is_paged(world: World) -> None:
    from soihtu.conftest import make_objective

    for i in range(25):
        make_objective(world.team_b, year=world.year, cycle=world.cycle, title=f"Haku {i:02}")
    client = client_for(world.member)
    first = client.get(reverse("okrs:organization") + "?q=haku")
    page = first.context["page"]
    assert len(page.results) == 20
    assert page.more_results
    assert "page=2" in first.content.decode()
    second = client.get(reverse("okrs:organization") + "?q=haku&page=2").context["page"]
    assert len(second.results) == 5
    assert not second.more_results
    assert {o.pk for o in page.results}.isdisjoint({o.pk for o in second.results})
    # A key result's title finds its objective, once.
    found = client.get(reverse("okrs:organization") + f"?q={world.kr_a1.title}").context["page"]
    assert [o.pk for o in found.results] == [world.objective_a.pk]
    nothing = client.get(reverse("okrs:organization") + "?q=zzzz-ei-ole")
    assert "No results for “zzzz-ei-ole”" in nothing.content.decode()
    # Nonsense page numbers are the first page.
    assert client.get(reverse("okrs:organization") + "?q=haku&page=x").status_code == 200


def test_a_sixth_objective_is_saved_with_a_warning(world: World) -> None:
    from soihtu.conftest import make_objective
    from soihtu.okrs.models import Objective

    for i in range(3):  # team A has two objectives in the cycle already
        make_objective(world.team_a, year=world.year, cycle=world.cycle, title=f"Lisä {i}")
    client = client_for(world.supervisor)
    data = {
        "title": "Kuudes",
        "period": f"cycle:{world.cycle.pk}",
        "kind": "committed",
        "status": "active",
        "visibility": "open",
    }
    response = client.post(
        reverse("okrs:objective_create", args=[world.team_a.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert Objective.objects.filter(owner_unit=world.team_a, cycle=world.cycle).count() == 6
    assert "This team now has 6 objectives in the cycle." in response.content.decode()
    team_page = client.get(reverse("okrs:unit", args=[world.team_a.pk])).content.decode()
    assert "This cycle has more than 5 objectives." in team_page


def test_organization_page_shows_which_teams_have_a_torchbearer(world: World) -> None:
    response = client_for(world.member).get(
        reverse("okrs:organization") + f"?unit={world.unit_a.pk}"
    )
    units = {row.unit.name: row for row in response.context["page"].rows}
    assert units["Team A"].torchbearer_name == "Torchbearer A"
    assert units["Team B"].torchbearer_name is None
    page = response.content.decode()
    assert "torchbearer: Torchbearer A" in page
    assert page.count("No torchbearer yet") == 1  # team B


def test_a_reached_key_result_invites_the_team_to_share_it(world: World) -> None:
    from decimal import Decimal

    from soihtu.checkins.services import checkin_create

    checkin_create(author=world.member, key_result=world.kr_a2, value=Decimal(1), confidence=9)
    invite = reverse("successes:new", args=[world.team_a.pk]) + f"?key_result={world.kr_a2.pk}"
    team_page = reverse("okrs:unit", args=[world.team_a.pk])
    assert invite in client_for(world.member).get(team_page).content.decode()
    assert invite not in client_for(world.member_b).get(team_page).content.decode()


def test_a_check_in_note_can_become_an_idea(world: World) -> None:
    from decimal import Decimal

    from soihtu.checkins.services import checkin_create

    checkin = checkin_create(
        author=world.member, key_result=world.kr_a1, value=Decimal(9), confidence=6, note="Chat?"
    )
    url = reverse("okrs:objective", args=[world.objective_a.pk])
    link = reverse("ideas:new", args=[world.team_a.pk]) + f"?checkin={checkin.pk}"
    assert link in client_for(world.member).get(url).content.decode()
    assert client_for(world.member).get(link).status_code == 200
    assert link not in client_for(world.outsider).get(url).content.decode()
