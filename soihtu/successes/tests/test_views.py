"""The feed, the share form, a success's page and the thanks button: every persona, bad input,
htmx and the no-JavaScript fallback."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.organization.roles import build_actor
from soihtu.successes.models import Success, Thanks
from soihtu.successes.services import success_share, success_thank
from soihtu.successes.tests.test_services import reach

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


def state() -> tuple[object, ...]:
    return (
        sorted(Success.objects.values_list("id", "title")),
        sorted(Thanks.objects.values_list("success_id", "user_id")),
        AuditEvent.objects.count(),
    )


def a_success(world: World, title: str = "Jono purettu") -> Success:
    return success_share(
        actor=build_actor(world.torchbearer),
        team=world.team_a,
        title=title,
        story="Yhdessä tehty.",
        objectives=[world.objective_a],
    )


def share_data(world: World) -> dict[str, str]:
    return {"title": "Onnistuimme", "story": "Tarina", "objectives": str(world.objective_a.pk)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_share_matrix(world: World, persona: str) -> None:
    before = state()
    response = client_for(world.persona(persona)).post(
        reverse("successes:new", args=[world.team_a.pk]), share_data(world)
    )
    if persona in TEAM_A:
        assert response.status_code == 302
        success = Success.objects.get()
        assert response["Location"] == reverse("successes:detail", args=[success.pk])
    else:
        assert response.status_code == 403
        assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_thank_once(world: World, persona: str) -> None:
    success = a_success(world)
    client = client_for(world.persona(persona))
    url = reverse("successes:thank", args=[success.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Thanks.objects.filter(success=success).count() == 1


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    success = a_success(world)
    before = state()
    for url in [
        reverse("successes:new", args=[world.team_a.pk]),
        reverse("successes:thank", args=[success.pk]),
    ]:
        response = Client().post(url, share_data(world))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "story": "Tarina"},
        {"title": "x" * 201, "story": "Tarina"},
        {"title": "Otsikko", "story": "x" * 2001},
        {"title": "Otsikko", "story": "Tarina", "objectives": "999999"},
        {"title": "Otsikko", "story": "Tarina", "objectives": "abc"},
        {"title": "Otsikko", "story": "Tarina", "key_result": "-1"},
    ],
)
def test_bad_input_changes_nothing(world: World, data: dict[str, str]) -> None:
    before = state()
    response = client_for(world.member).post(reverse("successes:new", args=[world.team_a.pk]), data)
    assert response.status_code == 400
    assert state() == before


def test_other_teams_goals_cannot_be_linked(world: World) -> None:
    before = state()
    client = client_for(world.member)
    for data in [
        {"title": "x", "story": "y", "objectives": str(world.objective_b.pk)},
        {"title": "x", "story": "y", "key_result": str(world.kr_b1.pk)},
    ]:
        response = client.post(reverse("successes:new", args=[world.team_a.pk]), data)
        assert response.status_code == 400
    assert state() == before


def test_unknown_ids_answer_404(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("successes:new", args=[999999])).status_code == 404
    assert client.get(reverse("successes:new", args=[world.unit_a.pk])).status_code == 404
    assert client.get(reverse("successes:detail", args=[999999])).status_code == 404
    assert client.post(reverse("successes:thank", args=[999999])).status_code == 404


def test_read_pages_refuse_post_and_thanks_refuses_get(world: World) -> None:
    success = a_success(world)
    client = client_for(world.member)
    assert client.post(reverse("successes:feed")).status_code == 405
    assert client.post(reverse("successes:detail", args=[success.pk])).status_code == 405
    assert client.get(reverse("successes:thank", args=[success.pk])).status_code == 405


def test_share_form_is_prefilled_from_a_reached_key_result(world: World) -> None:
    reach(world)
    client = client_for(world.member)
    url = reverse("successes:new", args=[world.team_a.pk])
    page = client.get(url).content.decode()
    assert "Reached, not yet shared" in page
    assert f"?key_result={world.kr_a1.pk}" in page
    prefilled = client.get(f"{url}?key_result={world.kr_a1.pk}").content.decode()
    assert f'value="{world.kr_a1.title}"' in prefilled
    assert f'value="{world.kr_a1.pk}"' in prefilled
    other = client.get(f"{url}?key_result={world.kr_b1.pk}").content.decode()
    assert f'value="{world.kr_b1.title}"' not in other
    by_objective = client.get(f"{url}?objective={world.objective_a.pk}").content.decode()
    assert f'value="{world.objective_a.title}"' in by_objective


def test_feed_filters_by_theme_unit_and_objective(world: World) -> None:
    a_success(world, "Tiimin A onnistuminen")
    success_share(
        actor=build_actor(world.member_b),
        team=world.team_b,
        title="Tiimin B onnistuminen",
        story="Tarina",
        objectives=[world.objective_b],
    )
    client = client_for(world.outsider)
    feed = reverse("successes:feed")

    def titles(query: str) -> set[str]:
        page = client.get(feed + query).content.decode()
        return {t for t in ["Tiimin A onnistuminen", "Tiimin B onnistuminen"] if t in page}

    assert titles("") == {"Tiimin A onnistuminen", "Tiimin B onnistuminen"}
    assert titles(f"?theme={world.themes[0].pk}") == {"Tiimin A onnistuminen"}
    assert titles(f"?theme={world.themes[1].pk}") == set()
    assert titles(f"?unit={world.division.pk}") == {
        "Tiimin A onnistuminen",
        "Tiimin B onnistuminen",
    }
    assert titles(f"?unit={world.division_2.pk}") == set()
    assert titles(f"?unit={world.team_b.pk}") == {"Tiimin B onnistuminen"}
    assert titles(f"?objective={world.org_objective.pk}") == {"Tiimin A onnistuminen"}
    assert titles("?theme=abc&unit=&page=zz") == {"Tiimin A onnistuminen", "Tiimin B onnistuminen"}


def test_feed_unit_is_chosen_by_typing_its_name(world: World) -> None:
    a_success(world, "Tiimin A onnistuminen")
    client = client_for(world.outsider)
    feed = reverse("successes:feed")
    page = client.get(feed, {"unit_name": "unit a", "theme": ""}).content.decode()
    assert "Tiimin A onnistuminen" in page
    assert 'name="unit_name" value="Unit A"' in page
    assert f'<input type="hidden" name="unit" value="{world.unit_a.pk}">' in page
    page = client.get(feed, {"unit_name": "division 2"}).content.decode()
    assert "Tiimin A onnistuminen" not in page
    page = client.get(feed, {"unit_name": "division", "theme": ""}).content.decode()
    assert "2 units match “division”. Did you mean:" in page
    assert f'href="?theme=&amp;unit={world.division.pk}"' in page
    assert "Tiimin A onnistuminen" in page
    assert 'name="unit"' not in page.replace('name="unit_name"', "")


def test_feed_hides_restricted_objectives_from_outsiders(world: World) -> None:
    a_success(world).objectives.add(world.restricted_a)
    assert (
        world.restricted_a.title
        not in client_for(world.outsider).get(reverse("successes:feed")).content.decode()
    )
    assert (
        world.restricted_a.title
        in client_for(world.member).get(reverse("successes:feed")).content.decode()
    )


def test_feed_is_paginated_by_twenty(world: World) -> None:
    for i in range(21):
        a_success(world, f"Onnistuminen {i:02d}")
    client = client_for(world.member)
    first = client.get(reverse("successes:feed")).content.decode()
    assert "Onnistuminen 20" in first
    assert "Onnistuminen 00" not in first
    second = client.get(reverse("successes:feed") + "?page=2").content.decode()
    assert "Onnistuminen 00" in second


def test_thanks_with_htmx_swaps_the_button(world: World) -> None:
    success = a_success(world)
    success_thank(actor=build_actor(world.member), success=success)
    client = client_for(world.outsider)
    url = reverse("successes:thank", args=[success.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<form")
    assert "2 thanks" in html
    assert 'aria-pressed="true"' in html
    response = client.post(url, {"undo": "1"}, HTTP_HX_REQUEST="true")
    assert "1 thanks" in response.content.decode()
    assert Thanks.objects.filter(success=success).count() == 1


def test_thanks_without_javascript_returns_to_the_page(world: World) -> None:
    success = a_success(world)
    client = client_for(world.outsider)
    feed = reverse("successes:feed")
    response = client.post(reverse("successes:thank", args=[success.pk]), {"next": feed})
    assert response["Location"] == feed
    response = client.post(
        reverse("successes:thank", args=[success.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("successes:detail", args=[success.pk])


def test_no_page_lists_people_by_thanks(world: World) -> None:
    success = a_success(world)
    success_thank(actor=build_actor(world.outsider), success=success)
    page = client_for(world.member).get(reverse("successes:detail", args=[success.pk]))
    html = page.content.decode()
    assert world.outsider.display_name not in html
    assert "1 thanks" in html
