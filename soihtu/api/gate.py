"""What every API request passes before its operation runs: the token, the rate limit and the
shape of the body. Session sign-ins are not accepted: the API is for programs, with tokens."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.parser import Parser
from ninja.security import HttpBearer

from soihtu.api import services
from soihtu.api.access import ApiClient, client_for_token
from soihtu.api.errors import ApiError, too_many_requests

JSON_TYPES = frozenset({"application/json", "application/merge-patch+json"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _too_large() -> ApiError:
    limit = settings.API_MAX_BODY_BYTES
    return ApiError(
        413,
        "payload_too_large",
        _("The request body is too large: at most %(kilobytes)s kB is accepted.")
        % {"kilobytes": limit // 1024},
    )


def check_body(request: HttpRequest) -> None:
    """A body is JSON and at most API_MAX_BODY_BYTES long (413, 415); its syntax is the
    parser's to check (400)."""
    if request.method not in BODY_METHODS:
        return
    limit = settings.API_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise _too_large()
    try:
        body = request.body
    except RequestDataTooBig:
        raise _too_large() from None
    if len(body) > limit:
        raise _too_large()
    if body and request.content_type not in JSON_TYPES:
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the request body as JSON, with the header Content-Type: application/json."),
        )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the caller's ApiClient, or None (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = client_for_token(token)
        if client is None:
            return None
        now = timezone.now()
        wait = services.rate_limit_hit(token=client.token, now=now)
        if wait is not None:
            raise too_many_requests(wait)
        services.token_touch(token=client.token, now=now)
        check_body(request)
        return client


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


class DecimalJsonParser(Parser):
    """JSON with exact decimals: 0.1 stays 0.1, and NaN or Infinity are refused."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            request.body, parse_float=Decimal, parse_constant=_refuse_constant
        )
        return data


def client_of(request: HttpRequest) -> ApiClient:
    """The ApiClient that TokenAuth put on the request."""
    client = request.auth  # type: ignore[attr-defined]
    assert isinstance(client, ApiClient)
    return client
