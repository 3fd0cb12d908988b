"""The API's permission matrix mirrors the pages': seven personas with personal tokens × reads and
writes of team A's and team B's objects; service tokens inside and outside their scope; read-only,
revoked and expired tokens, tokens of people who left, and service tokens whose creator is no
longer an org admin. A refusal changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.api.models import ApiToken
from soihtu.api.services import service_tokens_revoke_for
from soihtu.api.tests.helpers import Api, add_survey, for_user, personal_token, service_token
from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World
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
OUTSIDE_A = {"member_b", "parent_supervisor", "outsider"}


def state() -> tuple[object, ...]:
    return (
        sorted(Objective.objects.values_list("id", "title", "version")),
        sorted(KeyResult.objects.values_list("id", "title", "target_value", "version")),
        CheckIn.objects.count(),
        AuditEvent.objects.count(),
    )


def restricted_kr(world: World) -> KeyResult:
    return world.restricted_a.key_results.get()


@dataclass
class Write:
    name: str
    send: Callable[[Api, World], Any]
    allowed: set[str]
    hidden_from: set[str]  # who gets 404 rather than 403
    success: int


def patch_objective(objective: Callable[[World], Objective]) -> Callable[[Api, World], Any]:
    return lambda api, w: api.patch(
        f"/objectives/{objective(w).pk}", {"title": "Uusi nimi"}, HTTP_IF_MATCH='"1"'
    )


def post_checkin(key_result: Callable[[World], KeyResult]) -> Callable[[Api, World], Any]:
    return lambda api, w: api.post(
        f"/key-results/{key_result(w).pk}/check-ins", {"value": "1", "confidence": 7}
    )


def post_objective(unit: Callable[[World], Any]) -> Callable[[Api, World], Any]:
    def send(api: Api, w: World) -> Any:
        period = {"year_id": w.year.pk} if unit(w) == w.root else {"cycle_id": w.cycle.pk}
        return api.post("/objectives", {"unit_id": unit(w).pk, "title": "Uusi", **period})

    return send


def post_key_result(objective: Callable[[World], Objective]) -> Callable[[Api, World], Any]:
    return lambda api, w: api.post(
        f"/objectives/{objective(w).pk}/key-results",
        {"title": "Uusi mittari", "start_value": 0, "target_value": 10},
    )


WRITES = [
    Write("create objective for team A", post_objective(lambda w: w.team_a), EDITORS, set(), 201),
    Write("create objective for team B", post_objective(lambda w: w.team_b), {"admin"}, set(), 201),
    Write("create organization objective", post_objective(lambda w: w.root), {"admin"}, set(), 201),
    Write(
        "add key result to team A", post_key_result(lambda w: w.objective_a), EDITORS, set(), 201
    ),
    Write(
        "add key result to restricted objective",
        post_key_result(lambda w: w.restricted_a),
        EDITORS,
        OUTSIDE_A,
        201,
    ),
    Write(
        "add key result to team B",
        post_key_result(lambda w: w.objective_b),
        {"admin"},
        set(),
        201,
    ),
    Write(
        "edit objective of team A", patch_objective(lambda w: w.objective_a), EDITORS, set(), 200
    ),
    Write(
        "edit restricted objective of team A",
        patch_objective(lambda w: w.restricted_a),
        EDITORS,
        OUTSIDE_A,
        200,
    ),
    Write(
        "edit objective of team B", patch_objective(lambda w: w.objective_b), {"admin"}, set(), 200
    ),
    Write(
        "edit organization objective",
        patch_objective(lambda w: w.org_objective),
        {"admin"},
        set(),
        200,
    ),
    Write(
        "edit key result of team A",
        lambda api, w: api.patch(
            f"/key-results/{w.kr_a1.pk}", {"target_value": 4}, HTTP_IF_MATCH='"1"'
        ),
        EDITORS,
        set(),
        200,
    ),
    Write("check in on team A's key result", post_checkin(lambda w: w.kr_a1), TEAM_A, set(), 201),
    Write(
        "check in on team B's key result",
        post_checkin(lambda w: w.kr_b1),
        {"admin", "member_b"},
        set(),
        201,
    ),
    Write("check in on restricted key result", post_checkin(restricted_kr), TEAM_A, OUTSIDE_A, 201),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_write_matrix(world: World, write: Write, persona: str) -> None:
    api = for_user(world.persona(persona))
    before = state()
    response = write.send(api, world)
    if persona in write.allowed:
        assert response.status_code == write.success, response.content
        assert state() != before
    else:
        expected = 404 if persona in write.hidden_from else 403
        assert response.status_code == expected, response.content
        assert response.json()["error"]["code"] == ("not_found" if expected == 404 else "forbidden")
        assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_read_only_tokens_write_nothing(world: World, write: Write, persona: str) -> None:
    api = for_user(world.persona(persona), ApiToken.Scope.READ)
    before = state()
    response = write.send(api, world)
    assert response.status_code == 403
    assert "only read" in response.json()["error"]["message"]
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_restricted_objective_is_read_by_its_unit_only(world: World, persona: str) -> None:
    api = for_user(world.persona(persona), ApiToken.Scope.READ)
    detail = api.get(f"/objectives/{world.restricted_a.pk}")
    listed = {o["id"] for o in api.get("/objectives").json()["items"]}
    krs = {kr["id"] for kr in api.get("/key-results").json()["items"]}
    checkins = api.get(f"/key-results/{restricted_kr(world).pk}/check-ins")
    if persona in TEAM_A:
        assert detail.status_code == 200
        assert world.restricted_a.pk in listed
        assert restricted_kr(world).pk in krs
        assert checkins.status_code == 200
    else:
        assert detail.status_code == 404
        assert world.restricted_a.pk not in listed
        assert restricted_kr(world).pk not in krs
        assert checkins.status_code == 404
    assert world.objective_b.pk in listed


@pytest.mark.parametrize("persona", PERSONAS)
def test_survey_aggregates_as_the_results_page(world: World, persona: str) -> None:
    survey = add_survey(world)
    api = for_user(world.persona(persona), ApiToken.Scope.READ)
    rounds = api.get("/surveys")
    results = api.get(f"/surveys/{survey.pk}/results")
    if persona == "admin":
        assert results.status_code == 200
        assert results.json()["limited"] is False
    elif persona in {"supervisor", "parent_supervisor"}:
        assert results.status_code == 200
        assert results.json()["limited"] is True
    else:
        assert rounds.status_code == 403
        assert results.status_code == 403
        return
    assert rounds.status_code == 200
    assert [r["id"] for r in rounds.json()["items"]] == [survey.pk]


# Service tokens.


def test_service_token_writes_inside_its_scope_in_its_creators_name(world: World) -> None:
    api = Api(service_token(world.admin, [world.team_a]))
    response = api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6})
    assert response.status_code == 201
    assert response.json()["author_id"] == world.admin.pk
    assert CheckIn.objects.get().author == world.admin
    edit = api.patch(f"/objectives/{world.restricted_a.pk}", {"title": "Uusi"}, HTTP_IF_MATCH="*")
    assert edit.status_code == 200


def test_service_token_scope_covers_the_units_below(world: World) -> None:
    api = Api(service_token(world.admin, [world.unit_a]))
    for key_result in (world.kr_a1, world.kr_b1):
        response = api.post(
            f"/key-results/{key_result.pk}/check-ins", {"value": 2, "confidence": 5}
        )
        assert response.status_code == 201
    assert api.get(f"/objectives/{world.restricted_a.pk}").status_code == 200


def test_service_token_changes_nothing_outside_its_scope(world: World) -> None:
    api = Api(service_token(world.admin, [world.team_b]))
    before = state()
    assert (
        api.post(
            f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6}
        ).status_code
        == 403
    )
    assert (
        api.patch(
            f"/objectives/{world.objective_a.pk}", {"title": "x"}, HTTP_IF_MATCH="*"
        ).status_code
        == 403
    )
    assert (
        api.patch(
            f"/objectives/{world.org_objective.pk}", {"title": "x"}, HTTP_IF_MATCH="*"
        ).status_code
        == 403
    )
    # Restricted objects outside the scope stay hidden; open ones are read as by anyone.
    assert (
        api.post(
            f"/key-results/{restricted_kr(world).pk}/check-ins", {"value": 1, "confidence": 6}
        ).status_code
        == 404
    )
    assert api.get(f"/objectives/{world.restricted_a.pk}").status_code == 404
    assert world.restricted_a.pk not in {o["id"] for o in api.get("/objectives").json()["items"]}
    assert api.get(f"/objectives/{world.objective_a.pk}").status_code == 200
    assert state() == before


def test_service_token_does_not_borrow_its_creators_own_key_results(world: World) -> None:
    KeyResult.objects.filter(pk=world.kr_b1.pk).update(owner=world.admin)
    api = Api(service_token(world.admin, [world.team_a]))
    before = state()
    response = api.post(f"/key-results/{world.kr_b1.pk}/check-ins", {"value": 8, "confidence": 6})
    assert response.status_code == 403
    assert state() == before


def test_service_token_sees_no_survey_results(world: World) -> None:
    survey = add_survey(world)
    api = Api(service_token(world.admin, [world.root]))
    assert api.get("/surveys").status_code == 403
    assert api.get(f"/surveys/{survey.pk}/results").status_code == 403


def test_read_only_service_token_writes_nothing(world: World) -> None:
    api = Api(service_token(world.admin, [world.team_a], ApiToken.Scope.READ))
    before = state()
    response = api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6})
    assert response.status_code == 403
    assert api.get(f"/objectives/{world.restricted_a.pk}").status_code == 200
    assert state() == before


# Tokens that no longer work, and no token at all.


def _revoke(token: ApiToken, world: World) -> None:
    token.revoked_at = timezone.now()
    token.save()


def _expire(token: ApiToken, world: World) -> None:
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()


def _deactivate(token: ApiToken, world: World) -> None:
    world.member.is_active = False
    world.member.save()


def _anonymize(token: ApiToken, world: World) -> None:
    world.member.anonymized_at = timezone.now()
    world.member.save()


@pytest.mark.parametrize("spoil", [_revoke, _expire, _deactivate, _anonymize])
def test_tokens_that_no_longer_work_answer_401(world: World, spoil: Callable[..., None]) -> None:
    secret = personal_token(world.member)
    api = Api(secret)
    assert api.get("/themes").status_code == 200
    spoil(ApiToken.objects.get(), world)
    before = state()
    for response in (
        api.get("/objectives"),
        api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6}),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["error"]["code"] == "unauthorized"
    assert state() == before


def _creator_not_org_admin(world: World) -> None:
    # Behind the services' back (a database fix): the token is checked when it is used.
    User.objects.filter(pk=world.admin.pk).update(is_org_admin=False)


def _creator_role_removed(world: World) -> None:
    service_tokens_revoke_for(
        user=world.admin, actor=None, request=None, reason="org_admin_removed_by_single_sign_on"
    )


def _creator_deactivated(world: World) -> None:
    User.objects.filter(pk=world.admin.pk).update(is_active=False)


def _creator_anonymized(world: World) -> None:
    User.objects.filter(pk=world.admin.pk).update(anonymized_at=timezone.now())


def _service_token_expired(world: World) -> None:
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))


@pytest.mark.parametrize(
    "spoil",
    [
        _creator_not_org_admin,
        _creator_role_removed,
        _creator_deactivated,
        _creator_anonymized,
        _service_token_expired,
    ],
)
def test_service_tokens_work_only_while_their_creator_is_an_active_org_admin(
    world: World, spoil: Callable[[World], None]
) -> None:
    api = Api(service_token(world.admin, [world.team_a]))
    assert api.get("/themes").status_code == 200
    spoil(world)
    before = state()
    for response in (
        api.get("/objectives"),
        api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6}),
        api.patch(f"/objectives/{world.objective_a.pk}", {"title": "x"}, HTTP_IF_MATCH="*"),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
    assert state() == before


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer sht_not-a-real-token", "Token sht_abc", "Basic dXNlcjpwdw=="],
)
def test_without_a_valid_token_nothing_is_read_or_written(
    world: World, authorization: str | None
) -> None:
    api = Api(None)
    if authorization is not None:
        api.client.defaults["HTTP_AUTHORIZATION"] = authorization
    before = state()
    assert api.get("/objectives").status_code == 401
    response = api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6})
    assert response.status_code == 401
    assert state() == before


def test_a_signed_in_session_is_not_an_api_token(world: World) -> None:
    from soihtu.conftest import client_for

    client = client_for(world.admin)
    before = state()
    assert client.get("/api/v1/objectives").status_code == 401
    response = client.post(
        f"/api/v1/key-results/{world.kr_a1.pk}/check-ins",
        {"value": 8, "confidence": 6},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert state() == before
