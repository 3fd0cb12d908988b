"""What signing in and out leaves behind: the session's stamps (where and when it began) and
the security events. Connected to Django's authentication signals in AccountsConfig.ready, so
that every way of signing in (password, single sign-on, the demo's personas) is covered."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from soihtu.accounts import sessions
from soihtu.accounts.models import User
from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record


def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None:
        return
    sessions.sign_in_stamp(request.session, request, time.time())
    backend = str(getattr(user, "backend", "")).rsplit(".", 1)[-1]
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN, request=request, user=user, detail={"backend": backend}
    )


def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    security_event_record(kind=SecurityEvent.Kind.SIGN_OUT, request=request, user=user)


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in `credentials`; only the name is kept.
    username = str(credentials.get("username", ""))
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, request=request, user=None, username=username
    )


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="soihtu.accounts.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="soihtu.accounts.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="soihtu.accounts.sign_in_failed")
