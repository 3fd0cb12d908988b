"""What every answer tells the browser, and the web basics a security review checks first
(docs/security.md, ASVS 5.0 chapters 3, 4 and 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.api.tests.helpers import API, personal_token
from soihtu.conftest import World, client_for
from soihtu.core.tests.settings_files import production_settings
from soihtu.okrs.models import Objective

YEAR = 365 * 24 * 3600


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, Any]:
    """The running settings with the security settings of a production installation."""
    values = production_settings(monkeypatch)
    for name in [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]:
        setattr(settings, name, values[name])
    return values


def test_production_sends_hsts_for_a_year_with_subdomains(
    world: World, production: dict[str, Any]
) -> None:
    response = client_for(world.member).get(reverse("okrs:my_okrs"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= YEAR
    assert "includeSubDomains" in hsts


def test_production_sends_browsers_from_plain_http_to_https(
    world: World, production: dict[str, Any]
) -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/open/", "/no/such/page/", f"{API}/objectives"]
)
def test_every_answer_forbids_sniffing_framing_and_leaking_the_address(
    world: World, path: str
) -> None:
    response = client_for(world.member).get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_content_security_policy_allows_no_plugins_base_or_framing(world: World) -> None:
    policy = client_for(world.member).get(reverse("okrs:my_okrs"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("okrs:my_okrs", "text/html; charset=utf-8"),
        ("exchange:export", "application/json"),
        ("exchange:objectives_csv", "text/csv; charset=utf-8"),
    ],
)
def test_answers_name_their_type_and_character_set(
    world: World, name: str, content_type: str
) -> None:
    response = client_for(world.admin).get(reverse(name))
    assert response["Content-Type"].startswith(content_type)


def test_downloads_are_attachments_so_the_browser_never_renders_them(world: World) -> None:
    response = client_for(world.admin).get(reverse("exchange:objectives_csv"))
    assert response["Content-Disposition"].startswith("attachment;")


def test_text_people_type_is_shown_as_text_never_run(world: World) -> None:
    Objective.objects.filter(pk=world.objective_a.pk).update(
        title='<script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    page = client_for(world.member).get(reverse("okrs:unit", args=[world.team_a.pk]))
    html = page.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_form_posted_from_another_site_is_refused_and_changes_nothing(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.supervisor)
    before = list(Objective.objects.values_list("id", "title"))
    response = client.post(
        reverse("okrs:objective_delete", args=[world.objective_a.pk]),
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert list(Objective.objects.values_list("id", "title")) == before


def test_signing_in_never_sends_the_person_to_another_site(world: World) -> None:
    response = Client().post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "member_a", "password": "test-password-1"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("name", ["okrs:my_okrs", "okrs:organization", "okrs:strategy"])
def test_trace_is_refused_and_never_echoes_the_request(world: World, name: str) -> None:
    response = client_for(world.member).generic("TRACE", reverse(name), HTTP_X_SECRET="echo-me")
    assert response.status_code == 405
    assert b"echo-me" not in response.content


def test_an_api_token_in_the_address_is_never_accepted(world: World) -> None:
    secret = personal_token(world.member)
    response = Client().get(f"{API}/objectives?token={secret}&access_token={secret}")
    assert response.status_code == 401


def test_the_session_cookie_is_http_only_and_same_site(world: World) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "member_a", "password": "test-password-1"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_http_only_too(world: World) -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.cookies["csrftoken"]["httponly"]
