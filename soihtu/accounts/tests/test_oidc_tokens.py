"""Soihtu refuses tokens and callbacks it must not trust, and says so on the sign-in page."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.accounts.tests.oidc_provider import (
    Provider,
    Tamper,
    back_from_provider,
    sign_in_round_trip,
    to_provider,
)
from soihtu.audit.models import AuditEvent
from soihtu.conftest import make_user

pytestmark = pytest.mark.django_db

FAILED = "Signing in did not succeed. Please try again."


@pytest.fixture
def person(sso: Provider) -> User:
    user = make_user("maija_meikalainen")
    user.employee_id = "E1001"
    user.save()
    sso.person = {
        "sub": "kela-0f3a9",
        "employee_id": "E1001",
        "email": "maija.meikalainen@kela.fi",
        "given_name": "Maija",
        "family_name": "Changed",
    }
    return user


def assert_refused_and_nothing_changed(client: Client, response: Any, person: User) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert FAILED in client.get(response["Location"]).content.decode()
    person.refresh_from_db()
    assert person.last_name == "Meikalainen"
    assert not AuditEvent.objects.exists()


def test_untampered_tokens_sign_in(sso: Provider, person: User) -> None:
    """The control for the refusals below: the same flow without tampering succeeds."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = sign_in_round_trip(client)
    assert response["Location"] == reverse("okrs:my_okrs")
    assert client.session[SESSION_KEY] == str(person.pk)


@pytest.mark.parametrize(
    "tamper",
    [
        Tamper.SIGNATURE,
        Tamper.AUDIENCE,
        Tamper.NONCE,
        Tamper.ISSUER,
        Tamper.EXPIRED,
        Tamper.USERINFO_SUBJECT,
    ],
)
def test_tampered_tokens_are_refused(sso: Provider, person: User, tamper: Tamper) -> None:
    sso.tamper = tamper
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused_and_nothing_changed(client, response, person)


@pytest.mark.parametrize("tamper", [None, Tamper.ISSUER])
def test_nobody_signs_in_while_the_issuer_is_not_configured(
    sso: Provider, person: User, settings: Any, tamper: Tamper | None
) -> None:
    """People are bound to the provider's (issuer, subject): without an issuer to check the
    ID token against, there is nothing to bind to (and the settings check fails)."""
    settings.SOIHTU_OIDC_ISSUER = ""
    sso.tamper = tamper
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused_and_nothing_changed(client, response, person)


def test_token_signed_with_another_algorithm_than_configured_is_refused(
    sso: Provider, person: User, settings: Any
) -> None:
    settings.OIDC_RP_SIGN_ALGO = "RS512"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused_and_nothing_changed(client, response, person)


def test_state_that_this_browser_did_not_start_is_refused(sso: Provider, person: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    callback = urlsplit(back_from_provider(to_provider(client)))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = "forged-state"

    response = client.get(f"{callback.path}?{urlencode(query)}")

    assert_refused_and_nothing_changed(client, response, person)
    assert sso.token_requests == []  # the code was never exchanged


def test_callback_in_another_browser_is_refused(sso: Provider, person: User) -> None:
    callback = back_from_provider(to_provider(Client(HTTP_ACCEPT_LANGUAGE="en")))
    other = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = other.get(callback)

    assert_refused_and_nothing_changed(other, response, person)


def test_a_used_code_does_not_sign_in_again(sso: Provider, person: User) -> None:
    first = Client(HTTP_ACCEPT_LANGUAGE="en")
    used = back_from_provider(to_provider(first))
    first.get(used)
    assert first.session[SESSION_KEY] == str(person.pk)
    person.last_name = "Meikalainen"
    person.save()
    AuditEvent.objects.all().delete()

    # A new sign-in in another browser, answered with the old code.
    replay = Client(HTTP_ACCEPT_LANGUAGE="en")
    fresh = urlsplit(back_from_provider(to_provider(replay)))
    state = parse_qs(fresh.query)["state"][0]
    old_code = parse_qs(urlsplit(used).query)["code"][0]
    response = replay.get(f"{fresh.path}?{urlencode({'code': old_code, 'state': state})}")

    assert_refused_and_nothing_changed(replay, response, person)


def test_provider_that_is_down_gives_a_clear_message(
    sso: Provider, person: User, settings: Any
) -> None:
    # A port that is bound but not listening refuses connections, for as long as it is held.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed.getsockname()[1]}/token"
        client = Client(HTTP_ACCEPT_LANGUAGE="en")

        response = sign_in_round_trip(client)

    assert_refused_and_nothing_changed(client, response, person)


def test_wrong_client_secret_is_refused(sso: Provider, person: User, settings: Any) -> None:
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused_and_nothing_changed(client, response, person)
