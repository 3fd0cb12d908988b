"""With SECURE_SSL_REDIRECT on (production), a plain-HTTP API call is refused with an error
instead of redirected, before its token is looked at, so that a misconfigured client notices
at once; HTTPS calls work, and the pages still redirect to HTTPS."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from soihtu.api.models import ApiToken
from soihtu.api.tests.helpers import for_user
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World


@pytest.fixture
def production_https(settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_api_call_is_refused_in_the_error_format(
    world: World, production_https: None
) -> None:
    api = for_user(world.member, language="en")
    response = api.get("/themes")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "https_required"
    assert "HTTPS" in error["message"]
    assert "Location" not in response


def test_plain_http_write_changes_nothing_and_the_token_is_not_looked_at(
    world: World, production_https: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = for_user(world.member)

    def looked_at(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the token was looked at")

    monkeypatch.setattr("soihtu.api.gate.client_for_token", looked_at)
    response = api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "https_required"
    assert not CheckIn.objects.exists()
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()


def test_https_api_calls_work(world: World, production_https: None) -> None:
    api = for_user(world.member)
    assert api.get("/themes", secure=True).status_code == 200
    assert api.get("/themes", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_pages_and_the_token_pages_still_redirect_to_https(
    world: World, production_https: None
) -> None:
    api = for_user(world.member)
    for path in ["/", "/api/tokens/"]:
        response = api.client.get(path)
        assert response.status_code == 301
        assert response["Location"] == f"https://testserver{path}"


def test_without_the_redirect_plain_http_api_calls_work(world: World) -> None:
    assert for_user(world.member).get("/themes").status_code == 200
