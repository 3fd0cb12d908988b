"""Reads for the person's sessions page and the OKR office's list of sessions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from soihtu.accounts.models import SignInSession, User

HANDLE_SALT = "soihtu.accounts.session-handle"
# (what the User-Agent header contains, the name to show), the first match wins: Edge and
# Opera also say Chrome, Chrome also says Safari, Android also says Linux, iPhones say Mac OS X.
BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Windows", "Windows"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]
UNKNOWN_AGENT_SHOWN = 60


def session_handle(session_key: str) -> str:
    """A name for a session that a page may show and a form may send back: the session key
    itself is the cookie's secret and never leaves the server."""
    return salted_hmac(HANDLE_SALT, session_key, algorithm="sha256").hexdigest()[:32]


def _first(agent: str, names: list[tuple[str, str]]) -> str:
    return next((name for marker, name in names if marker in agent), "")


def browser_label(user_agent: str) -> str:
    """'Firefox on Windows' from a User-Agent header, or the header's start if it is unknown."""
    browser, system = _first(user_agent, BROWSERS), _first(user_agent, SYSTEMS)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or user_agent[:UNKNOWN_AGENT_SHOWN] or _("unknown browser")


def active_sessions(user: User, *, now: datetime.datetime) -> QuerySet[SignInSession]:
    """The person's sessions that still let them in at `now`: neither idle past
    SOIHTU_SESSION_IDLE_MINUTES nor older than SOIHTU_SESSION_MAX_HOURS."""
    idle = datetime.timedelta(minutes=int(settings.SOIHTU_SESSION_IDLE_MINUTES))
    lifetime = datetime.timedelta(hours=int(settings.SOIHTU_SESSION_MAX_HOURS))
    return SignInSession.objects.filter(
        Q(signed_in_at__isnull=True) | Q(signed_in_at__gt=now - lifetime),
        user=user,
        expire_date__gt=now,
        last_seen_at__gt=now - idle,
    )


@dataclass(frozen=True)
class SessionRow:
    handle: str
    browser: str
    address: str | None
    signed_in_at: datetime.datetime | None
    last_seen_at: datetime.datetime
    is_current: bool


def sessions_page(*, user: User, current_key: str | None) -> list[SessionRow]:
    """The person's active sessions for their sessions page (one query), this one first and
    then the most recently used."""
    rows = [
        SessionRow(
            handle=session_handle(session.session_key),
            browser=browser_label(session.user_agent),
            address=session.address,
            signed_in_at=session.signed_in_at,
            last_seen_at=session.last_seen_at,
            is_current=session.session_key == current_key,
        )
        for session in active_sessions(user, now=timezone.now()).order_by("-last_seen_at")
    ]
    return sorted(rows, key=lambda row: not row.is_current)
