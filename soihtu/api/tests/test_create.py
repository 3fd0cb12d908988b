"""Creating objectives and key results through the API: what the pages' new-objective and
new-key-result forms accept, answered with Location and ETag; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from soihtu.api.tests.helpers import API, for_user
from soihtu.api.tests.test_permissions import state
from soihtu.audit.models import AuditEvent
from soihtu.conftest import World
from soihtu.okrs.models import KeyResult, Objective


def test_torchbearer_creates_an_objective_and_its_key_result(world: World) -> None:
    api = for_user(world.torchbearer)
    response = api.post(
        "/objectives",
        {
            "unit_id": world.team_a.pk,
            "cycle_id": world.cycle.pk,
            "title": "Jonot lyhyemmiksi",
            "kind": "aspirational",
            "themes": [world.themes[1].pk],
            "contributes_to": [world.org_objective.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    objective = Objective.objects.get(pk=body["id"])
    assert response["Location"] == f"{API}/objectives/{objective.pk}"
    assert response["ETag"] == '"1"'
    assert (objective.owner_unit, objective.cycle, objective.kind) == (
        world.team_a,
        world.cycle,
        "aspirational",
    )
    assert list(objective.contributes_to.all()) == [world.org_objective]
    assert body["contributes_to"] == [world.org_objective.pk]
    assert AuditEvent.objects.filter(target_type="objective", target_id=objective.pk).exists()

    added = api.post(
        f"/objectives/{objective.pk}/key-results",
        {
            "title": "Odotus alle 5 min",
            "kind": "decrease",
            "start_value": "12",
            "target_value": 5,
            "owner_id": world.member.pk,
        },
    )
    assert added.status_code == 201, added.content
    key_result = KeyResult.objects.get(pk=added.json()["id"])
    assert added["Location"] == f"{API}/key-results/{key_result.pk}"
    assert (key_result.objective, key_result.owner, key_result.kind) == (
        objective,
        world.member,
        "decrease",
    )


def test_a_milestone_needs_no_values(world: World) -> None:
    response = for_user(world.torchbearer).post(
        f"/objectives/{world.objective_a.pk}/key-results",
        {"title": "Chat-palvelu auki", "kind": "milestone"},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["start_value"], response.json()["target_value"]) == ("0", "1")


OBJECTIVE_REFUSALS: list[tuple[str, dict[str, Any], str]] = [
    ("no period", {}, "cycle_id"),
    ("closed cycle", {"cycle_id": "closed"}, "cycle_id"),
    ("unknown cycle", {"cycle_id": 999_999}, "cycle_id"),
    ("unknown theme", {"cycle_id": "active", "themes": [999_999]}, "themes"),
    ("empty title", {"cycle_id": "active", "title": ""}, "title"),
    ("title too long", {"cycle_id": "active", "title": "x" * 201}, "title"),
    ("unknown field", {"cycle_id": "active", "owner": 1}, "owner"),
    ("wrong kind", {"cycle_id": "active", "kind": "stretch"}, "kind"),
]


@pytest.mark.parametrize(("case", "extra", "field"), OBJECTIVE_REFUSALS)
def test_bad_objective_is_refused_and_changes_nothing(
    world: World, case: str, extra: dict[str, Any], field: str
) -> None:
    cycles = {"closed": world.closed_cycle.pk, "active": world.cycle.pk}
    body: dict[str, Any] = {"unit_id": world.team_a.pk, "title": "Uusi tavoite"} | extra
    if isinstance(body.get("cycle_id"), str):
        body["cycle_id"] = cycles[body["cycle_id"]]
    api = for_user(world.torchbearer)
    before = state()
    response = api.post("/objectives", body)
    assert response.status_code in (400, 422), (case, response.content)
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert any(field in f for f in fields), (case, fields)
    assert state() == before


KEY_RESULT_REFUSALS: list[tuple[str, dict[str, Any], str]] = [
    ("target equals start", {"start_value": 5, "target_value": 5}, "target_value"),
    ("no target", {"start_value": 5}, "target_value"),
    ("not a number", {"start_value": "viisi", "target_value": 5}, "start_value"),
    ("owner outside the team", {"target_value": 5, "start_value": 0, "owner_id": 0}, "owner_id"),
    ("weight too big", {"target_value": 5, "start_value": 0, "weight": 11}, "weight"),
]


@pytest.mark.parametrize(("case", "extra", "field"), KEY_RESULT_REFUSALS)
def test_bad_key_result_is_refused_and_changes_nothing(
    world: World, case: str, extra: dict[str, Any], field: str
) -> None:
    if extra.get("owner_id") == 0:
        extra = extra | {"owner_id": world.outsider.pk}
    api = for_user(world.torchbearer)
    before = state()
    response = api.post(
        f"/objectives/{world.objective_a.pk}/key-results", {"title": "Mittari"} | extra
    )
    assert response.status_code in (400, 422), (case, response.content)
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert any(field in f for f in fields), (case, fields)
    assert state() == before


def test_unknown_unit_and_objective_answer_404(world: World) -> None:
    api = for_user(world.admin)
    before = state()
    assert api.post("/objectives", {"unit_id": 999_999, "title": "x"}).status_code == 404
    response = api.post("/objectives/999999/key-results", {"title": "x", "kind": "milestone"})
    assert response.status_code == 404
    assert state() == before
