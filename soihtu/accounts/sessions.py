"""The session engine (SESSION_ENGINE): Django's database sessions in Soihtu's own table, which
also records whose each session is, from where, and when it was last used.

The keys below are written into the session data when someone signs in and as they use the
site; saving copies them to the table's columns so that sessions can be listed per person.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.http import HttpRequest
from django.utils import timezone

from soihtu.accounts.models import SignInSession
from soihtu.core.http import client_address

ADDRESS_KEY = "soihtu_address"
USER_AGENT_KEY = "soihtu_user_agent"
SIGNED_IN_AT_KEY = "soihtu_signed_in_at"  # POSIX seconds
SEEN_AT_KEY = "soihtu_seen_at"  # POSIX seconds, refreshed at most once a minute
USER_AGENT_MAX = 300


def stamp(value: Any) -> datetime.datetime | None:
    """A POSIX time stored in the session as an aware datetime (None if there is none)."""
    if not isinstance(value, int | float):
        return None
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)


def sign_in_stamp(session: SessionBase, request: HttpRequest, now: float) -> None:
    """Write into `session` where and when it begins: at sign-in, or for a session made
    before these stamps existed (it counts as signed in at `now`)."""
    session[ADDRESS_KEY] = client_address(request)
    session[USER_AGENT_KEY] = request.headers.get("User-Agent", "")[:USER_AGENT_MAX]
    session[SIGNED_IN_AT_KEY] = now
    session[SEEN_AT_KEY] = now


def _user_id(data: dict[str, Any]) -> int | None:
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[SignInSession]:
        return SignInSession

    def _fill(self, session: SignInSession, data: dict[str, Any]) -> SignInSession:
        session.user_id = _user_id(data)
        session.address = data.get(ADDRESS_KEY) or None
        session.user_agent = str(data.get(USER_AGENT_KEY, ""))[:USER_AGENT_MAX]
        session.signed_in_at = stamp(data.get(SIGNED_IN_AT_KEY))
        session.last_seen_at = stamp(data.get(SEEN_AT_KEY)) or timezone.now()
        return session

    def create_model_instance(self, data: dict[str, Any]) -> SignInSession:
        session = super().create_model_instance(data)
        assert isinstance(session, SignInSession)
        return self._fill(session, data)

    async def acreate_model_instance(self, data: dict[str, Any]) -> SignInSession:
        session = await super().acreate_model_instance(data)
        assert isinstance(session, SignInSession)
        return self._fill(session, data)
