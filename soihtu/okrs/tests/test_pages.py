from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for


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


def test_organization_page_rolls_progress_up_the_tree(world: World) -> None:
    from decimal import Decimal

    from soihtu.checkins.services import checkin_create

    checkin_create(author=world.member, key_result=world.kr_a1, value=Decimal("8.5"), confidence=7)
    client = client_for(world.member)
    response = client.get(reverse("okrs:organization"))
    units = {u.name: u for u in response.context["page"].units}
    # Team A: its open objective at 25 % (one of two key results half-way) and its restricted
    # one at 0 %, which the member may see.
    assert units["Team A"].rollup_count == 2
    assert units["Team A"].rollup_progress == pytest.approx(0.125)
    # Unit A adds team B's objective (0 %); the organization adds its own objective (0 %).
    assert units["Unit A"].rollup_count == 3
    assert units["Org"].rollup_count == 4
    assert units["Team C"].rollup_count == 0
    # Someone outside team A does not see the restricted objective, not even in the counts.
    outsider = client_for(world.outsider).get(reverse("okrs:organization"))
    units = {u.name: u for u in outsider.context["page"].units}
    assert units["Team A"].rollup_count == 1
    assert units["Team A"].rollup_progress == pytest.approx(0.25)


def test_organization_page_can_show_one_part_of_the_tree(world: World) -> None:
    response = client_for(world.member).get(
        reverse("okrs:organization") + f"?unit={world.unit_a.pk}"
    )
    names = [u.name for u in response.context["page"].units]
    assert names == ["Unit A", "Team A", "Team B"]


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
    response = client_for(world.member).get(reverse("okrs:organization"))
    units = {u.name: u for u in response.context["page"].units}
    assert units["Team A"].torchbearer_name == "Torchbearer A"
    assert units["Team B"].torchbearer_name is None
    page = response.content.decode()
    assert "torchbearer: Torchbearer A" in page
    assert page.count("No torchbearer yet") == 2  # teams B and C


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
