"""Bad input gets a clear message in the user's language and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World, client_for
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.tests.test_permissions import checkin_data, kr_data, objective_data, state


def post(world: World, url: str, data: dict[str, str], language: str = "en") -> str:
    before = state()
    response = client_for(world.supervisor, language).post(url, data)
    assert response.status_code == 400
    assert state() == before
    return response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_value": "abc"}, "Enter a number."),
        ({"target_value": "kymmenen"}, "Enter a number."),
        ({"start_value": "5", "target_value": "5"}, "The target must differ from the start value."),
        ({"start_value": "5", "target_value": "1"}, "To increase, the target must be greater"),
        (
            {"kind": "decrease", "start_value": "1", "target_value": "5"},
            "To decrease, the target must be smaller",
        ),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"title": ""}, "This field is required."),
        ({"weight": "11"}, "less than or equal to 10"),
        ({"kind": "sideways"}, "Select a valid choice."),
        ({"owner": "999999"}, "Select a valid choice."),
        ({"target_value": "1e400"}, "Ensure this value is less than or equal to"),
    ],
)
def test_bad_key_result_input(world: World, changes: dict[str, str], message: str) -> None:
    url = reverse("okrs:key_result_create", args=[world.objective_a.pk])
    assert message in post(world, url, kr_data(world) | changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"description": "x" * 2001}, "at most 2000 characters"),
        ({"period": "cycle:999999"}, "Select a valid choice."),
        ({"period": "year:1"}, "Select a valid choice."),  # a team sets objectives per cycle
        ({"contributes_to": "999999"}, "Select a valid choice."),
        ({"visibility": "secret"}, "Select a valid choice."),
    ],
)
def test_bad_objective_input(world: World, changes: dict[str, str], message: str) -> None:
    url = reverse("okrs:objective_create", args=[world.team_a.pk])
    assert message in post(world, url, objective_data(world) | changes)


def test_contributing_to_an_objective_of_the_own_level_is_refused(world: World) -> None:
    url = reverse("okrs:objective_create", args=[world.team_a.pk])
    data = objective_data(world) | {"contributes_to": str(world.objective_b.pk)}
    assert "Select a valid choice." in post(world, url, data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "abc"}, "Enter a number."),
        ({"value": ""}, "This field is required."),
        ({"confidence": "11"}, "Select a valid choice."),
        ({"confidence": "-1"}, "Select a valid choice."),
        ({"measured_on": "2026-08-31"}, "The date must be between 01.09.2026 and 27.11.2026."),
        ({"measured_on": "2026-12-15"}, "The date must be between"),
        ({"measured_on": "31.02.2026"}, "Enter a valid date."),
        ({"note": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_checkin_input(world: World, changes: dict[str, str], message: str) -> None:
    url = reverse("checkins:new", args=[world.kr_a1.pk])
    assert message in post(world, url, checkin_data(world) | changes)


def test_messages_come_in_the_users_language(world: World) -> None:
    url = reverse("checkins:new", args=[world.kr_a1.pk])
    assert "Syötä luku." in post(world, url, checkin_data(world) | {"value": "abc"}, "fi")
    assert "Fyll i ett tal." in post(world, url, checkin_data(world) | {"value": "abc"}, "sv")


def test_finnish_decimal_comma_is_accepted(world: World) -> None:
    client = client_for(world.member, "fi")
    url = reverse("checkins:new", args=[world.kr_a1.pk])
    response = client.post(url, checkin_data(world) | {"value": "8,5"})
    assert response.status_code == 302
    assert CheckIn.objects.get().value == 8.5


def test_checkin_on_a_closed_cycle_gets_a_message(world: World) -> None:
    objective = Objective.objects.create(
        owner_unit=world.team_a, year=world.year, cycle=world.closed_cycle, title="Vanha"
    )
    kr = KeyResult.objects.create(
        objective=objective, title="Vanha KR", start_value=0, target_value=10
    )
    url = reverse("checkins:new", args=[kr.pk])
    data = checkin_data(world) | {"measured_on": "2026-08-01"}
    assert "This cycle is closed" in post(world, url, data)


def test_a_forged_role_changes_nothing(world: World) -> None:
    client = client_for(world.member)
    before = state()
    forged = objective_data(world) | {"role": "supervisor", "is_org_admin": "on", "owner_unit": "1"}
    response = client.post(reverse("okrs:objective_edit", args=[world.objective_a.pk]), forged)
    assert response.status_code == 403
    response = client.post(reverse("okrs:objective_create", args=[world.team_a.pk]), forged)
    assert response.status_code == 403
    assert state() == before
    world.member.refresh_from_db()
    assert not world.member.is_org_admin


def test_an_edit_on_a_stale_version_is_refused_with_a_message(world: World) -> None:
    url = reverse("okrs:objective_edit", args=[world.objective_a.pk])
    client = client_for(world.supervisor)
    assert client.post(url, objective_data(world) | {"title": "Ensimmäinen"}).status_code == 302
    before = state()
    response = client.post(url, objective_data(world) | {"title": "Toinen"})  # version 1 again
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    assert state() == before
    assert AuditEvent.objects.filter(action="update").count() == 1
