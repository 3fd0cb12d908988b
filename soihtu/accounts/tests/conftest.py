"""Fixtures for the sign-in tests: a running OpenID Connect provider, and Soihtu set up for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from soihtu.accounts.tests.oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    running_provider,
)


@pytest.fixture
def oidc_provider() -> Iterator[Provider]:
    """A real OpenID Connect provider on 127.0.0.1 (nobody signs in until a test sets `person`)."""
    yield from running_provider()


@pytest.fixture
def sso(settings: Any, oidc_provider: Provider, monkeypatch: pytest.MonkeyPatch) -> Provider:
    """Single sign-on on, pointed at `oidc_provider` as an operator would configure it."""
    # Requests must reach the provider directly, whatever proxy the machine has.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.url("/authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.url("/token")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.url("/userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.url("/jwks")
    settings.SOIHTU_OIDC_ISSUER = oidc_provider.issuer
    settings.SOIHTU_OIDC_PROVIDER_NAME = "Kela AD"
    return oidc_provider


@pytest.fixture
def client() -> Client:
    """A browser that prefers English, so that the tests can read the messages."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")
