"""How long a signed-in session lasts: SOIHTU_SESSION_IDLE_MINUTES without a request, and
SOIHTU_SESSION_MAX_HOURS after signing in however active (docs/configuration.md).

The clock is the session's own stamps (soihtu.accounts.sessions), so a page costs no query: the
session row is written only when the last-seen stamp is a minute old. The check runs in
process_view, after every middleware's request phase (the messages exist) and before
LoginRequiredMiddleware, which then sends a browser whose session just ended to sign in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from soihtu.accounts import sessions
from soihtu.accounts.models import User
from soihtu.accounts.oidc import sso_enabled
from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record
from soihtu.core.http import has_session_cookie, is_htmx

SEEN_EVERY = 60  # seconds between writes of the last-seen stamp
SSO_BACKEND = "soihtu.accounts.oidc.SoihtuOIDCBackend"
SAFE_METHODS = frozenset({"GET", "HEAD"})


class Expiry(StrEnum):
    IDLE = "idle"
    ABSOLUTE = "absolute"


def _stamps_missing(session: SessionBase) -> bool:
    return not all(
        isinstance(session.get(key), int | float)
        for key in (sessions.SIGNED_IN_AT_KEY, sessions.SEEN_AT_KEY)
    )


def expiry(session: SessionBase, now: float) -> Expiry | None:
    """Why the session has ended by `now` (POSIX seconds), or None while it lasts."""
    idle = int(settings.SOIHTU_SESSION_IDLE_MINUTES) * 60
    lifetime = int(settings.SOIHTU_SESSION_MAX_HOURS) * 3600
    if now - float(session[sessions.SEEN_AT_KEY]) >= idle:
        return Expiry.IDLE
    if now - float(session[sessions.SIGNED_IN_AT_KEY]) >= lifetime:
        return Expiry.ABSOLUTE
    return None


def _end(request: HttpRequest, user: User, reason: Expiry) -> None:
    # Not logout(): the person did not sign out, so only `session_expired` is recorded.
    security_event_record(
        kind=SecurityEvent.Kind.SESSION_EXPIRED,
        request=request,
        user=user,
        detail={"reason": reason},
    )
    request.session.flush()
    request.user = AnonymousUser()


def _message(reason: Expiry) -> str:
    if reason is Expiry.IDLE:
        minutes = int(settings.SOIHTU_SESSION_IDLE_MINUTES)
        text = ngettext(
            "You were signed out after %(count)d minute without activity.",
            "You were signed out after %(count)d minutes without activity.",
            minutes,
        )
        return text % {"count": minutes}
    hours = int(settings.SOIHTU_SESSION_MAX_HOURS)
    text = ngettext(
        "You were signed out because you signed in %(count)d hour ago.",
        "You were signed out because you signed in %(count)d hours ago.",
        hours,
    )
    return text % {"count": hours}


def _return_to(request: HttpRequest) -> str | None:
    """Where to go after signing in again: this page, or for a form or an htmx request the
    page it was sent from (a POST cannot be repeated by a redirect)."""
    if is_htmx(request):
        origin = request.headers.get("HX-Current-URL", "")
    elif request.method in SAFE_METHODS:
        return request.get_full_path()
    else:
        origin = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        origin, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(origin)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _sign_in_again(
    request: HttpRequest, view_func: Callable[..., Any], reason: Expiry, via_provider: bool
) -> HttpResponse:
    """Back to the identity provider (single sign-on past its lifetime, on a GET: a provider
    session that still lasts signs the person straight back in), else to the sign-in page."""
    if reason is Expiry.ABSOLUTE and via_provider and request.method in SAFE_METHODS:
        start = reverse("accounts:oidc_authentication_init")
    else:
        messages.info(request, _message(reason), fail_silently=True)
        start = resolve_url(getattr(view_func, "login_url", None) or settings.LOGIN_URL)
    target = _return_to(request)
    location = redirect_to_login(target, start)["Location"] if target else start
    if is_htmx(request):
        # htmx follows HX-Redirect with a full page load, whatever the status.
        return HttpResponse(status=401, headers={"HX-Redirect": location})
    return HttpResponse(status=302, headers={"Location": location})


def _signed_in(request: HttpRequest) -> User | None:
    if not has_session_cookie(request):
        return None
    user = request.user
    return user if isinstance(user, User) else None


def _check(request: HttpRequest, now: float) -> Expiry | None:
    """Why the request's session has ended, or None; a lasting session's last-seen stamp is
    refreshed when it is a minute old (only then is the session row written)."""
    session = request.session
    if _stamps_missing(session):
        # A session from before the stamps counts as signed in now, not as ended.
        sessions.sign_in_stamp(session, request, now)
        return None
    reason = expiry(session, now)
    if reason is None and now - float(session[sessions.SEEN_AT_KEY]) >= SEEN_EVERY:
        session[sessions.SEEN_AT_KEY] = now
    return reason


class SessionLifetimeMiddleware:
    """Ends sessions idle or too old, and keeps the last-seen stamp fresh (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = _signed_in(request)
        if user is None:
            return None
        reason = _check(request, time.time())
        if reason is None:
            return None
        via_provider = request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND and sso_enabled()
        _end(request, user, reason)
        if not getattr(view_func, "login_required", True):
            return None  # a page for everyone (the API, public pages): shown signed out
        return _sign_in_again(request, view_func, reason, via_provider)
