"""The sign-in page offers the identity provider, the password form, or both, as configured."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.accounts.oidc import check_sign_in_settings
from soihtu.accounts.tests.oidc_provider import Provider
from soihtu.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SSO_START = "/accounts/oidc/authenticate/"


def page(client: Client, url: str = LOGIN) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def password_off(settings: Any) -> None:
    settings.SOIHTU_PASSWORD_LOGIN = False


@pytest.fixture
def person() -> User:
    return make_user("maija_meikalainen")


def test_by_default_there_is_the_password_form_and_no_provider_button(client: Client) -> None:
    html = page(client)
    assert 'type="password"' in html
    assert SSO_START not in html


def test_password_sign_in_works_by_default(client: Client, person: User) -> None:
    response = client.post(LOGIN, {"username": "maija_meikalainen", "password": "test-password-1"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)


def test_with_single_sign_on_there_is_the_providers_button_and_the_password_form(
    sso: Provider, client: Client
) -> None:
    html = page(client)
    assert f'<a class="button" href="{SSO_START}">Sign in with Kela AD</a>' in html
    assert "<h2>Sign in with a password</h2>" in html
    assert 'type="password"' in html


def test_button_without_a_provider_name_speaks_of_the_work_account(
    sso: Provider, client: Client, settings: Any
) -> None:
    settings.SOIHTU_OIDC_PROVIDER_NAME = ""
    assert "Sign in with your work account" in page(client)


def test_button_keeps_the_page_asked_for(sso: Provider, client: Client) -> None:
    response = client.get(reverse("successes:feed"))
    assert response.status_code == 302
    html = page(client, response["Location"])
    assert f'href="{SSO_START}?next=/successes/"' in html


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "Kirjaudu sisään palvelulla Kela AD"),
        ("sv", "Logga in med Kela AD"),
        ("en", "Sign in with Kela AD"),
    ],
)
def test_button_text_is_in_the_users_language(sso: Provider, language: str, text: str) -> None:
    html = page(Client(HTTP_ACCEPT_LANGUAGE=language))
    assert f'<html lang="{language}">' in html
    assert text in html
    assert reverse("set_language") in html  # the language switcher stays on the page


def test_without_password_sign_in_there_is_no_password_form(
    sso: Provider, password_off: None, client: Client
) -> None:
    html = page(client)
    assert SSO_START in html
    assert 'type="password"' not in html
    assert 'name="username"' not in html
    assert "Sign in with a password" not in html


def test_posted_password_is_refused_when_password_sign_in_is_off(
    sso: Provider, password_off: None, client: Client, person: User
) -> None:
    response = client.post(LOGIN, {"username": "maija_meikalainen", "password": "test-password-1"})
    assert response.status_code == 403
    assert "Signing in with a password is turned off." in response.content.decode()
    assert SESSION_KEY not in client.session
    person.refresh_from_db()
    assert person.last_login is None


def test_admin_sign_in_refuses_passwords_too(
    sso: Provider, password_off: None, client: Client
) -> None:
    make_user("okr_office", org_admin=True)
    response = client.post(
        reverse("admin:login"), {"username": "okr_office", "password": "test-password-1"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert SESSION_KEY not in client.session


def test_password_backend_refuses_when_password_sign_in_is_off(settings: Any, person: User) -> None:
    assert authenticate(None, username="maija_meikalainen", password="test-password-1") == person
    settings.SOIHTU_PASSWORD_LOGIN = False
    assert authenticate(None, username="maija_meikalainen", password="test-password-1") is None


def test_single_sign_on_backend_never_takes_a_password(
    sso: Provider, password_off: None, person: User, rf: Any
) -> None:
    request = rf.get("/accounts/oidc/callback/?code=x&state=y")
    assert authenticate(request, username="maija_meikalainen", password="test-password-1") is None


def test_demo_personas_still_sign_in_when_password_sign_in_is_off(
    sso: Provider, password_off: None, settings: Any, client: Client
) -> None:
    settings.DEMO_MODE = True
    persona = make_user("jasen")

    response = client.post(reverse("demo:personas"), {"username": "jasen"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(persona.pk)
    assert client.get(reverse("okrs:my_okrs")).status_code == 200


def test_with_neither_way_the_page_says_signing_in_is_not_set_up(
    password_off: None, client: Client
) -> None:
    assert "Signing in is not set up." in page(client)


def test_settings_check_passes_by_default_and_with_single_sign_on(sso: Provider) -> None:
    assert check_sign_in_settings() == []


def test_settings_check_names_what_single_sign_on_lacks(settings: Any) -> None:
    settings.OIDC_RP_CLIENT_ID = "soihtu"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.fi/token"
    settings.SOIHTU_OIDC_ISSUER = "https://login.example.fi"
    [problem] = check_sign_in_settings()
    assert problem.id == "soihtu.accounts.E001"
    assert "OIDC_OP_USER_ENDPOINT" in problem.msg
    assert "OIDC_OP_JWKS_ENDPOINT" in problem.msg
    assert "OIDC_OP_TOKEN_ENDPOINT" not in problem.msg


def test_settings_check_refuses_having_no_way_to_sign_in(password_off: None) -> None:
    [problem] = check_sign_in_settings()
    assert problem.id == "soihtu.accounts.E002"
