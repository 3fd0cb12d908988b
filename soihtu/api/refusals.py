"""Refused API calls as security events (docs/privacy.md): 401 (no token, or one that is
unknown, revoked or expired), 403 (a read-only token writing, no permission, plain HTTP) and
429 (the rate limit). The event names the token by its prefix, as the tokens page does, and
never holds its secret; when the token exists (even revoked), its owner is the person."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from soihtu.api.access import TOKEN_MAX_LENGTH, TOKEN_PREFIX, hash_secret
from soihtu.api.models import ApiToken
from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record

REFUSED_STATUSES = frozenset({401, 403, 429})
PREFIX_LENGTH = len(TOKEN_PREFIX) + 6  # as ApiToken.prefix is cut


def _presented_secret(request: HttpRequest) -> str:
    """The bearer token sent, if it looks like one of ours (anything else is not written down:
    it might be a password pasted in the wrong place)."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX):
        return ""
    return secret if len(secret) <= TOKEN_MAX_LENGTH else ""


def _error_code(response: HttpResponse) -> str:
    try:
        return str(json.loads(response.content)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


def api_refusal_record(request: HttpRequest, response: HttpResponse) -> None:
    """Record a refused API call as an `api_refused` event (one query to find the token, one
    insert; never raises)."""
    secret = _presented_secret(request)
    token = (
        ApiToken.objects.select_related("created_by")
        .filter(secret_hash=hash_secret(secret))
        .first()
        if secret
        else None
    )
    detail: dict[str, Any] = {"code": _error_code(response), "token": secret[:PREFIX_LENGTH]}
    if token is not None:
        detail |= {"token": token.prefix, "token_id": token.pk}
    security_event_record(
        kind=SecurityEvent.Kind.API_REFUSED,
        request=request,
        user=token.created_by if token is not None else None,
        status=response.status_code,
        detail=detail,
    )


def refusals_recorded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an API view so that its 401, 403 and 429 answers are recorded, whichever part of
    the API gave them (the token check, the rate limit, an access function, the HTTPS rule)."""

    @functools.wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code in REFUSED_STATUSES and not response.streaming:
            api_refusal_record(request, response)
        return response

    return serve
