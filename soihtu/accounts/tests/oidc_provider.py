"""A small but real OpenID Connect provider for the tests, served on 127.0.0.1.

It implements the authorization code flow as Soihtu uses it: discovery, /authorize (which
approves at once, as whoever the test made `person`), /token (client_secret_post or
client_secret_basic, one-time codes, PKCE with S256), /userinfo with bearer tokens and /jwks.
ID tokens are RS256, signed with joserfc. A test may make it misbehave (`tamper`) to check that
Soihtu refuses what a broken or hostile provider sends.

`sign_in_round_trip` drives a browser's part of the flow: Django's test client for Soihtu,
`requests` for the provider.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import requests
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

CLIENT_ID = "soihtu-test"
CLIENT_SECRET = "test-client-secret-1"
REDIRECT_URI = "http://testserver/accounts/oidc/callback/"
KEY_ID = "test-key-1"
TIMEOUT = 5  # seconds; everything is on the loopback


class Tamper(StrEnum):
    """Ways the provider can misbehave."""

    SIGNATURE = "signature"  # signed by another key that claims the same key id
    AUDIENCE = "audience"  # the ID token is for another client
    NONCE = "nonce"  # the ID token answers another sign-in
    ISSUER = "issuer"  # the ID token names another issuer
    EXPIRED = "expired"  # the ID token has expired
    USERINFO_SUBJECT = "userinfo_subject"  # userinfo describes someone else


@cache
def signing_keys() -> tuple[RSAKey, RSAKey]:
    """The provider's key and an impostor's key with the same key id (made once: slow)."""
    parameters: Any = {"kid": KEY_ID, "alg": "RS256", "use": "sig"}
    return RSAKey.generate_key(2048, parameters), RSAKey.generate_key(2048, parameters)


@dataclass
class Grant:
    claims: dict[str, Any]
    nonce: str | None
    redirect_uri: str
    code_challenge: str | None


@dataclass
class Provider:
    """The provider's state, which the tests set and inspect."""

    issuer: str
    redirect_uri: str = REDIRECT_URI
    # The claims of whoever signs in next (with "sub"); None: the person declines.
    person: dict[str, Any] | None = None
    # Claims of `person` that also go into the ID token (the rest only in userinfo).
    id_token_claims: frozenset[str] = frozenset()
    tamper: Tamper | None = None
    # The client authentication method of each token request, and its PKCE verifier.
    token_requests: list[tuple[str, str | None]] = field(default_factory=list)
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.issuer}{path}"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.url("/authorize"),
            "token_endpoint": self.url("/token"),
            "userinfo_endpoint": self.url("/userinfo"),
            "jwks_uri": self.url("/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        person = grant.claims
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": person["sub"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            **{name: person[name] for name in self.id_token_claims if name in person},
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        match self.tamper:
            case Tamper.AUDIENCE:
                claims["aud"] = "another-client"
            case Tamper.NONCE:
                claims["nonce"] = "another-sign-in"
            case Tamper.ISSUER:
                claims["iss"] = "http://127.0.0.1:9/impostor"
            case Tamper.EXPIRED:
                claims["iat"], claims["exp"] = now - 600, now - 300
        key, impostor = signing_keys()
        signer = impostor if self.tamper is Tamper.SIGNATURE else key
        return jwt.encode({"alg": "RS256", "kid": KEY_ID, "typ": "JWT"}, claims, signer)


class ProviderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        host, port = self.server_address[:2]
        self.provider = Provider(issuer=f"http://{host!s}:{port}")


class ProviderHandler(BaseHTTPRequestHandler):
    server: ProviderServer

    @property
    def provider(self) -> Provider:
        return self.server.provider

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests' output is for failures."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        match url.path:
            case "/.well-known/openid-configuration":
                self._json(200, self.provider.discovery())
            case "/authorize":
                self._authorize(query)
            case "/userinfo":
                self._userinfo()
            case "/jwks":
                self._json(200, {"keys": [signing_keys()[0].as_dict(private=False)]})
            case _:
                self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        form = {key: values[0] for key, values in parse_qs(body).items()}
        match urlsplit(self.path).path:
            case "/token":
                self._token(form)
            case "/userinfo":
                self._userinfo()
            case _:
                self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> None:
        provider = self.provider
        redirect_uri = query.get("redirect_uri", "")
        # Never redirect to an address the client did not register: say so here instead.
        if query.get("client_id") != CLIENT_ID or redirect_uri != provider.redirect_uri:
            self._json(400, {"error": "invalid_request", "error_description": "unknown client"})
            return
        back: dict[str, str] = {"state": query["state"]} if "state" in query else {}
        challenge = query.get("code_challenge")
        if query.get("response_type") != "code":
            back["error"] = "unsupported_response_type"
        elif "openid" not in query.get("scope", "").split():
            back["error"] = "invalid_scope"
        elif challenge and query.get("code_challenge_method") != "S256":
            back["error"] = "invalid_request"
        elif provider.person is None:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            with provider.lock:
                provider.codes[code] = Grant(
                    dict(provider.person), query.get("nonce"), redirect_uri, challenge
                )
            back["code"] = code
        self._redirect(f"{redirect_uri}?{urlencode(back)}")

    def _client_authentication(self, form: dict[str, str]) -> str | None:
        """The method the client authenticated with, or None when it failed to."""
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            if "client_secret" in form:
                return None  # one method per request (RFC 6749, 2.3)
            decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
            client_id, _colon, secret = decoded.partition(":")
            method = "client_secret_basic"
            client_id, secret = unquote(client_id), unquote(secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
            method = "client_secret_post"
        known = client_id == CLIENT_ID and hmac.compare_digest(secret, CLIENT_SECRET)
        return method if known else None

    def _token(self, form: dict[str, str]) -> None:
        provider = self.provider
        method = self._client_authentication(form)
        if method is None:
            self._json(401, {"error": "invalid_client"})
            return
        verifier = form.get("code_verifier")
        provider.token_requests.append((method, verifier))
        if form.get("grant_type") != "authorization_code":
            self._json(400, {"error": "unsupported_grant_type"})
            return
        with provider.lock:
            grant = provider.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            self._json(400, {"error": "invalid_grant"})
            return
        if grant.code_challenge is not None and not _pkce_matches(verifier, grant.code_challenge):
            self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
            return
        access_token = secrets.token_urlsafe(24)
        with provider.lock:
            provider.access_tokens[access_token] = grant.claims
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(grant),
            },
        )

    def _userinfo(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        with self.provider.lock:
            claims = self.provider.access_tokens.get(token)
        if claims is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.provider.tamper is Tamper.USERINFO_SUBJECT:
            claims = {**claims, "sub": "someone-else"}
        self._json(200, claims)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _pkce_matches(verifier: str | None, challenge: str) -> bool:
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected, challenge)


def running_provider() -> Iterator[Provider]:
    """A provider on an ephemeral port of 127.0.0.1 in a thread, shut down afterwards."""
    server = ProviderServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server.provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


def to_provider(client: Client, start: str | None = None) -> str:
    """Start signing in on Soihtu; return the provider's authorization URL it sends us to."""
    response = client.get(start or reverse("accounts:oidc_authentication_init"))
    assert response.status_code == 302, response.status_code
    return str(response["Location"])


def back_from_provider(authorization_url: str) -> str:
    """Let the provider approve; return the path and query of Soihtu's callback."""
    reply = requests.get(authorization_url, allow_redirects=False, timeout=TIMEOUT)
    assert reply.status_code == 302, reply.text
    callback = urlsplit(reply.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT_URI
    return f"{callback.path}?{callback.query}"


def sign_in_round_trip(client: Client, start: str | None = None) -> _MonkeyPatchedWSGIResponse:
    """The whole flow: Soihtu → provider → Soihtu's callback; returns the callback's response."""
    return client.get(back_from_provider(to_provider(client, start)))
