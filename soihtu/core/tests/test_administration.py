"""The administration page lists the OKR office's tools, and only the OKR office sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for

LINKS = [
    "admin:index",
    "dashboard:index",
    "surveys:rounds",
    "transparency:settings",
    "hrimport:upload",
    "exchange:index",
    "vivagoals:upload",
    "api:tokens",
    "privacy:people",
]


def test_org_admin_sees_every_tool(world: World) -> None:
    response = client_for(world.admin).get(reverse("administration"))
    assert response.status_code == 200
    for name in LINKS:
        assert f'href="{reverse(name)}"' in response.text, name


def test_navigation_links_to_it_for_org_admins_only(world: World) -> None:
    page = client_for(world.admin).get(reverse("okrs:my_okrs")).text
    assert f'href="{reverse("administration")}"' in page
    page = client_for(world.supervisor).get(reverse("okrs:my_okrs")).text
    assert f'href="{reverse("administration")}"' not in page


@pytest.mark.parametrize(
    "persona", ["supervisor", "torchbearer", "member", "member_b", "outsider", "parent_supervisor"]
)
def test_others_are_refused(world: World, persona: str) -> None:
    response = client_for(world.persona(persona)).get(reverse("administration"))
    assert response.status_code == 403


def test_only_get(world: World) -> None:
    assert client_for(world.admin).post(reverse("administration")).status_code == 405
