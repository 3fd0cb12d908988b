"""The permission matrix: every write view × role × (own team, sibling team, parent unit,
unrelated unit, restricted object). A refusal answers 403 or 404 and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World, client_for
from soihtu.okrs.models import KeyResult, Objective

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
EDITORS = {"admin", "supervisor", "torchbearer"}
TEAM_A = {"admin", "supervisor", "torchbearer", "member"}


@dataclass
class WriteCase:
    name: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, str]]
    allowed: set[str]
    # who gets 404 rather than 403 (the object is hidden from them)
    hidden_from: set[str]


def objective_data(world: World) -> dict[str, str]:
    return {
        "title": "Uusi tavoite",
        "description": "",
        "period": f"cycle:{world.cycle.pk}",
        "kind": "committed",
        "status": "active",
        "visibility": "open",
        "version": "1",
    }


def kr_data(world: World) -> dict[str, str]:
    return {
        "title": "Uusi avaintulos",
        "kind": "increase",
        "start_value": "1",
        "target_value": "5",
        "weight": "1",
        "version": "1",
    }


def checkin_data(world: World) -> dict[str, str]:
    return {"value": "8", "confidence": "7", "note": "", "measured_on": "2026-11-26"}


OUTSIDE_A = {"member_b", "parent_supervisor", "outsider"}
CASES = [
    WriteCase(
        "create objective in team A",
        lambda w: reverse("okrs:objective_create", args=[w.team_a.pk]),
        objective_data,
        EDITORS,
        set(),
    ),
    WriteCase(
        "edit objective of team A",
        lambda w: reverse("okrs:objective_edit", args=[w.objective_a.pk]),
        objective_data,
        EDITORS,
        set(),
    ),
    WriteCase(
        "edit restricted objective of team A",
        lambda w: reverse("okrs:objective_edit", args=[w.restricted_a.pk]),
        objective_data,
        EDITORS,
        OUTSIDE_A,
    ),
    WriteCase(
        "delete objective of team A",
        lambda w: reverse("okrs:objective_delete", args=[w.objective_a.pk]),
        lambda w: {},
        EDITORS,
        set(),
    ),
    WriteCase(
        "delete restricted objective",
        lambda w: reverse("okrs:objective_delete", args=[w.restricted_a.pk]),
        lambda w: {},
        EDITORS,
        OUTSIDE_A,
    ),
    WriteCase(
        "add key result in team A",
        lambda w: reverse("okrs:key_result_create", args=[w.objective_a.pk]),
        kr_data,
        EDITORS,
        set(),
    ),
    WriteCase(
        "add key result to restricted objective",
        lambda w: reverse("okrs:key_result_create", args=[w.restricted_a.pk]),
        kr_data,
        EDITORS,
        OUTSIDE_A,
    ),
    WriteCase(
        "edit key result of team A",
        lambda w: reverse("okrs:key_result_edit", args=[w.kr_a1.pk]),
        lambda w: kr_data(w) | {"kind": "decrease", "start_value": "12", "target_value": "4"},
        EDITORS,
        set(),
    ),
    WriteCase(
        "delete key result of team A",
        lambda w: reverse("okrs:key_result_delete", args=[w.kr_a1.pk]),
        lambda w: {},
        EDITORS,
        set(),
    ),
    WriteCase(
        "check in on team A's key result",
        lambda w: reverse("checkins:new", args=[w.kr_a1.pk]),
        checkin_data,
        TEAM_A,
        set(),
    ),
    WriteCase(
        "check in on restricted key result",
        lambda w: reverse("checkins:new", args=[w.restricted_a.key_results.get().pk]),
        lambda w: {"value": "1", "confidence": "7", "measured_on": "2026-11-26"},
        TEAM_A,
        OUTSIDE_A,
    ),
    WriteCase(
        "edit objective of sibling team B",
        lambda w: reverse("okrs:objective_edit", args=[w.objective_b.pk]),
        objective_data,
        {"admin"},
        set(),
    ),
    WriteCase(
        "check in on sibling team B's key result",
        lambda w: reverse("checkins:new", args=[w.kr_b1.pk]),
        checkin_data,
        {"admin", "member_b"},
        set(),
    ),
    WriteCase(
        "edit organization objective",
        lambda w: reverse("okrs:objective_edit", args=[w.org_objective.pk]),
        lambda w: objective_data(w) | {"period": f"year:{w.year.pk}"},
        {"admin"},
        set(),
    ),
]


def state() -> tuple[object, ...]:
    return (
        sorted(Objective.objects.values_list("id", "title", "version")),
        sorted(KeyResult.objects.values_list("id", "title", "kind", "version")),
        CheckIn.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_write_matrix(world: World, case: WriteCase, persona: str) -> None:
    client = client_for(world.persona(persona))
    before = state()
    response = client.post(case.url(world), case.data(world))
    if persona in case.allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert state() != before
    else:
        expected = 404 if persona in case.hidden_from else 403
        assert response.status_code == expected
        assert state() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_signed_out_people_are_sent_to_sign_in(world: World, case: WriteCase) -> None:
    from django.test import Client

    before = state()
    response = Client().post(case.url(world), case.data(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


@pytest.mark.parametrize("persona", ["member_b", "parent_supervisor", "outsider"])
def test_restricted_objective_is_404_to_people_outside_the_team(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    response = client.get(reverse("okrs:objective", args=[world.restricted_a.pk]))
    assert response.status_code == 404
    team_page = client.get(reverse("okrs:unit", args=[world.team_a.pk])).content.decode()
    assert world.restricted_a.title not in team_page
    search = client.get(reverse("okrs:organization") + "?q=Sisäinen").content.decode()
    assert world.restricted_a.title not in search


@pytest.mark.parametrize("persona", ["admin", "supervisor", "member"])
def test_restricted_objective_is_visible_to_its_team_and_admins(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    response = client.get(reverse("okrs:objective", args=[world.restricted_a.pk]))
    assert response.status_code == 200


def test_get_of_delete_only_asks_for_confirmation(world: World) -> None:
    client = client_for(world.supervisor)
    before = state()
    response = client.get(reverse("okrs:objective_delete", args=[world.objective_a.pk]))
    assert response.status_code == 200
    assert state() == before


@pytest.mark.parametrize("url_name", ["okrs:my_okrs", "okrs:strategy", "okrs:organization"])
def test_read_pages_refuse_post(world: World, url_name: str) -> None:
    response = client_for(world.member).post(reverse(url_name))
    assert response.status_code == 405


def test_unknown_ids_answer_404(world: World) -> None:
    client = client_for(world.admin)
    for url in [
        reverse("okrs:objective", args=[999999]),
        reverse("okrs:objective_edit", args=[999999]),
        reverse("okrs:key_result_edit", args=[999999]),
        reverse("checkins:new", args=[999999]),
        reverse("okrs:unit", args=[999999]),
        reverse("okrs:objective_create", args=[999999]),
    ]:
        assert client.get(url).status_code == 404, url
