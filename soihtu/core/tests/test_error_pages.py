"""403, 404, 500 and the CSRF failure are pages of the site, in the person's language, with the
way back; the 500 page does not touch the database. The demo shows them too (DEBUG off)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.core.tests.settings_files import settings_module

pytestmark = pytest.mark.urls("soihtu.core.tests.error_urls")

LANGUAGES = ["fi", "sv", "en"]
FRONT = reverse("okrs:my_okrs")


def visitor(language: str = "en", **extra: Any) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **extra)


def assert_site_page(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert '<header class="site-header">' in html
    assert 'id="language-select"' in html
    assert f'href="{FRONT}"' in html
    assert '<footer class="site-footer">' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_page_is_the_sites_404_page(db: None, language: str) -> None:
    response = visitor(language).get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page(response.text, language)
    assert "Traceback" not in response.text


def test_404_words(world: World) -> None:
    html = client_for(world.member).get("/no-such-page/").text
    assert "<h1>Page not found</h1>" in html
    assert "or it is not shown to you" in html
    assert world.member.display_name in html  # signed in: the header as on every page


def test_restricted_objective_answers_the_same_404_page(world: World) -> None:
    url = reverse("okrs:objective", args=[world.restricted_a.pk])
    response = client_for(world.outsider).get(url)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_request_is_the_sites_400_page(db: None, language: str) -> None:
    response = visitor(language).get("/test-errors/400/")
    assert response.status_code == 400
    assert_site_page(response.text, language)
    assert "malformed" not in response.text


def test_400_words(world: World) -> None:
    client = client_for(world.member)
    client.raise_request_exception = False
    html = client.get("/test-errors/400/").text
    assert "<h1>The request could not be handled</h1>" in html
    assert "Nothing was saved." in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusal_is_the_sites_403_page(world: World, language: str) -> None:
    response = client_for(world.member, language).get(reverse("administration"))
    assert response.status_code == 403
    assert_site_page(response.text, language)


def test_403_words(world: World) -> None:
    html = client_for(world.member).get(reverse("administration")).text
    assert "<h1>Not allowed</h1>" in html
    assert "ask your supervisor or the OKR office" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_csrf_failure_is_a_page_of_the_site(world: World, language: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, enforce_csrf_checks=True)
    response = client.post(reverse("accessibility"), {"message": "x"})
    assert response.status_code == 403
    assert_site_page(response.text, language)
    if language == "en":
        assert "<h1>The form could not be sent</h1>" in response.text
        assert "Nothing was saved." in response.text
    assert "CSRF verification failed" not in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_is_the_sites_500_page(db: None, language: str) -> None:
    response = visitor(language).get("/test-errors/500/")
    assert response.status_code == 500
    assert_site_page(response.text, language)
    assert "a bug" not in response.text


def test_500_words(db: None) -> None:
    html = visitor().get("/test-errors/500/").text
    assert "<h1>Something went wrong</h1>" in html
    assert "not because of anything you did" in html


def refuse_queries(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
    raise AssertionError(f"the 500 page queried the database: {sql}")


def test_500_page_does_not_query_the_database(world: World) -> None:
    """Signed in, so that the header would look the person up if it could; the database
    refuses every query while the failing page is answered."""
    client = client_for(world.member)
    client.raise_request_exception = False
    client.get(FRONT)  # a session that is fresh, so nothing is saved on the way out
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/test-errors/500/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.text
    assert world.member.display_name not in response.text


def test_500_page_queries_nothing(db: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert visitor().get("/test-errors/500/").status_code == 500


def test_500_page_language_switcher_works(db: None) -> None:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    html = client.get("/test-errors/500/").text
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        reverse("set_language"),
        {"language": "sv", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("referer", "shown"),
    [
        ("http://testserver/units/", True),
        ("https://evil.example/phish", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_back_link_only_to_this_site(db: None, referer: str, shown: bool) -> None:
    headers = {"referer": referer} if referer else {}
    html = visitor().get("/no-such-page/", headers=headers).text
    assert ("Back to the previous page" in html) is shown
    if shown:
        assert f'href="{referer}"' in html


def test_signed_out_refusal_page(db: None) -> None:
    response = visitor().get("/test-errors/403/")
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.text


def test_demo_runs_without_debug_and_serves_its_static_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = settings_module(monkeypatch, SOIHTU_DEMO="1")
    assert demo["DEBUG"] is False  # a missing page shows the site's 404 page
    assert demo["WHITENOISE_USE_FINDERS"] is True
    development = settings_module(monkeypatch, SOIHTU_DEMO="0")
    assert development["DEBUG"] is True
    assert settings_module(monkeypatch, SOIHTU_DEMO="1", DEBUG="1")["DEBUG"] is True
