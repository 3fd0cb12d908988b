"""Who sees the dashboard, and for which division."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import client_for
from soihtu.dashboard.tests.fixtures import Practice
from soihtu.organization.models import Membership

URLS = ["dashboard:index", "dashboard:csv"]


def _user(practice: Practice, persona: str):  # type: ignore[no-untyped-def]
    if persona == "division_head":
        return practice.division_head
    return practice.world.persona(persona)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("division_head", 200),
        ("parent_supervisor", 200),
        ("supervisor", 200),
        ("torchbearer", 403),
        ("member", 403),
        ("member_b", 403),
        ("outsider", 403),
    ],
)
def test_who_may_see_the_dashboard(practice: Practice, persona: str, status: int, url: str) -> None:
    response = client_for(_user(practice, persona)).get(reverse(url))
    assert response.status_code == status


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("persona", "division", "status"),
    [
        ("admin", "division", 200),
        ("admin", "division_2", 200),
        ("division_head", "division", 200),
        ("division_head", "division_2", 403),
        ("supervisor", "division", 200),
        ("supervisor", "division_2", 403),
        ("parent_supervisor", "division_2", 403),
        ("member", "division", 403),
        ("outsider", "division_2", 403),
    ],
)
def test_chosen_division(
    practice: Practice, persona: str, division: str, status: int, url: str
) -> None:
    unit = getattr(practice.world, division)
    response = client_for(_user(practice, persona)).get(reverse(url), {"division": unit.pk})
    assert response.status_code == status


@pytest.mark.parametrize("value", ["x", "999999", "-1"])
def test_unknown_division_is_not_found(practice: Practice, value: str) -> None:
    response = client_for(practice.world.admin).get(reverse("dashboard:index"), {"division": value})
    assert response.status_code == 404


def test_a_unit_is_not_a_division(practice: Practice) -> None:
    response = client_for(practice.world.admin).get(
        reverse("dashboard:index"), {"division": practice.world.team_a.pk}
    )
    assert response.status_code == 404


def test_supervisor_sees_their_own_division_by_default(practice: Practice) -> None:
    response = client_for(practice.world.supervisor).get(reverse("dashboard:index"))
    page = response.context["page"]
    assert page.division == practice.world.division
    assert page.divisions == [practice.world.division]
    assert not page.whole_organization_allowed
    assert b"Whole organization" not in response.content


def test_admin_sees_the_whole_organization_by_default(practice: Practice) -> None:
    response = client_for(practice.world.admin).get(reverse("dashboard:index"))
    page = response.context["page"]
    assert page.division is None
    assert page.divisions == [practice.world.division, practice.world.division_2]


def test_supervisor_of_the_organization_sees_everything(practice: Practice) -> None:
    Membership.objects.create(
        user=practice.world.member_b, unit=practice.world.root, role=Membership.Role.SUPERVISOR
    )
    client = client_for(practice.world.member_b)
    assert client.get(reverse("dashboard:index")).context["page"].division is None
    response = client.get(reverse("dashboard:index"), {"division": practice.world.division_2.pk})
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(practice: Practice) -> None:
    from django.test import Client

    response = Client().get(reverse("dashboard:index"))
    assert response.status_code == 302


@pytest.mark.parametrize("url", URLS)
def test_post_is_not_allowed(practice: Practice, url: str) -> None:
    response = client_for(practice.world.admin).post(reverse(url))
    assert response.status_code == 405
