"""Refused requests are security events: a 403 from the access layer on the pages, and the API's
401, 403 and 429, with the token's prefix but never its secret. A 404 (how restricted objects
answer outsiders) is not recorded, and a refusal changes nothing else."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.api.models import ApiToken
from soihtu.api.services import token_revoke
from soihtu.api.tests.helpers import API, Api, personal_token
from soihtu.audit.models import SecurityEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World
from soihtu.okrs.models import Objective
from soihtu.organization.roles import build_actor

REFUSED = SecurityEvent.Kind.REFUSED
API_REFUSED = SecurityEvent.Kind.API_REFUSED


def _client(user: User, address: str = "192.0.2.20") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)
    client.force_login(user)
    return client


def _objectives() -> list[tuple[object, ...]]:
    return list(Objective.objects.order_by("pk").values_list("pk", "title", "version"))


def _refusals() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind__in=[REFUSED, API_REFUSED]))


def test_a_403_from_the_access_layer_records_who_where_and_what(world: World) -> None:
    before = _objectives()
    url = reverse("okrs:objective_edit", args=[world.objective_a.pk])
    response = _client(world.member).post(url, {"title": "Muutettu"})
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=REFUSED)
    assert (event.user, event.username, event.address, event.status, event.path) == (
        world.member,
        "member_a",
        "192.0.2.20",
        403,
        f"POST {url}",
    )
    assert event.detail == {"view": "okrs:objective_edit"}
    assert _objectives() == before


def test_a_403_of_a_page_outside_okrs_is_recorded_too(world: World) -> None:
    response = _client(world.member).get(reverse("privacy:people"))
    assert response.status_code == 403
    assert SecurityEvent.objects.get(kind=REFUSED).detail == {"view": "privacy:people"}


def test_a_404_for_a_restricted_objective_is_not_recorded(world: World) -> None:
    before = _objectives()
    client = _client(world.outsider)
    assert client.get(reverse("okrs:objective", args=[world.restricted_a.pk])).status_code == 404
    url = reverse("okrs:objective_edit", args=[world.restricted_a.pk])
    assert client.post(url, {"title": "Muutettu"}).status_code == 404
    assert _refusals() == []
    assert _objectives() == before


def test_an_api_call_without_a_token_is_recorded_as_401(world: World) -> None:
    response = Api(None).get("/objectives")
    assert response.status_code == 401
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert (event.user, event.status, event.path) == (None, 401, f"GET {API}/objectives")
    assert event.detail == {"code": "unauthorized", "token": ""}


def test_an_unknown_token_is_recorded_by_its_prefix_never_its_secret(world: World) -> None:
    secret = "sht_" + "a1b2c3" + "x" * 37
    response = Api(secret).get(f"/objectives/{world.objective_a.pk}")
    assert response.status_code == 401
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert event.user is None
    assert event.detail == {"code": "unauthorized", "token": "sht_a1b2c3"}
    assert secret not in str(event.detail) + event.path


def test_something_that_is_not_a_token_is_not_written_down(world: World) -> None:
    response = Api("my-password-123").get("/objectives")
    assert response.status_code == 401
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert event.detail == {"code": "unauthorized", "token": ""}
    assert "my-password" not in str(event.detail)


def test_a_revoked_token_still_in_use_is_recorded_with_its_owner(world: World) -> None:
    secret = personal_token(world.member)
    token = ApiToken.objects.get(created_by=world.member)
    token_revoke(actor=build_actor(world.member), token=token)
    assert Api(secret).get("/objectives").status_code == 401
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert (event.user, event.username, event.status) == (world.member, "member_a", 401)
    assert event.detail == {"code": "unauthorized", "token": token.prefix, "token_id": token.pk}
    assert secret not in str(event.detail)


def test_a_read_only_token_writing_is_recorded_as_403_and_saves_nothing(world: World) -> None:
    secret = personal_token(world.member, scope=ApiToken.Scope.READ)
    token = ApiToken.objects.get(created_by=world.member)
    api = Api(secret)
    response = api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": "7", "confidence": 7})
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert (event.user, event.status) == (world.member, 403)
    assert event.path == f"POST {API}/key-results/{world.kr_a1.pk}/check-ins"
    assert event.detail == {"code": "forbidden", "token": token.prefix, "token_id": token.pk}
    assert secret not in str(event.detail)


def test_the_rate_limit_is_recorded_as_429(world: World, settings: object) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 1  # type: ignore[attr-defined]
    secret = personal_token(world.member)
    token = ApiToken.objects.get(created_by=world.member)
    api = Api(secret)
    assert api.get("/objectives").status_code == 200
    assert api.get("/objectives").status_code == 429
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert (event.user, event.status) == (world.member, 429)
    assert event.detail == {"code": "rate_limited", "token": token.prefix, "token_id": token.pk}


def test_plain_http_to_the_api_is_recorded_as_403(world: World, settings: object) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]
    secret = personal_token(world.member)
    token = ApiToken.objects.get(created_by=world.member)
    assert Api(secret).get("/objectives").status_code == 403
    event = SecurityEvent.objects.get(kind=API_REFUSED)
    assert event.detail == {"code": "https_required", "token": token.prefix, "token_id": token.pk}


def test_an_api_404_and_a_success_are_not_recorded(world: World) -> None:
    api = Api(personal_token(world.outsider))
    assert api.get(f"/objectives/{world.restricted_a.pk}").status_code == 404
    assert api.get(f"/objectives/{world.objective_a.pk}").status_code == 200
    assert _refusals() == []


@pytest.mark.parametrize("status", [401, 403])
def test_an_api_refusal_that_cannot_be_recorded_still_answers(
    world: World, status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(SecurityEvent, "save", broken)
    secret = personal_token(world.member, scope=ApiToken.Scope.READ) if status == 403 else None
    response = Api(secret).post(
        f"/key-results/{world.kr_a1.pk}/check-ins", {"value": "7", "confidence": 7}
    )
    assert response.status_code == status
    assert response.json()["error"]["message"]
