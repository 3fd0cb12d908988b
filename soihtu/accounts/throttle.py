"""Throttling password guessing: failed sign-ins per account and per client address, and
password reset requests per email and per address (docs/configuration.md, "Password sign-in").

Per account (the username typed, lower-cased, whether or not anyone has it, so that the answer
never tells): SOIHTU_SIGN_IN_FREE_FAILURES failures are free, then each attempt waits twice as
long as the one before (1, 2, 4… seconds, at most SOIHTU_SIGN_IN_MAX_DELAY_SECONDS), and
SOIHTU_SIGN_IN_LOCKOUT_FAILURES failures lock the account for SOIHTU_SIGN_IN_LOCKOUT_MINUTES.
Per address only a lock, after SOIHTU_SIGN_IN_ADDRESS_FAILURES failures: many people share an
office's address. A waiting attempt is refused before its password is checked. A count restarts
when its lock ends or when its first failure is older than SOIHTU_SIGN_IN_WINDOW_MINUTES, so
a lock always ends; the OKR office can end it sooner in the admin.

Each count is changed with its row locked (SELECT … FOR UPDATE), so that simultaneous failures
are all counted and a lock starts exactly once.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from soihtu.accounts.models import SignInThrottle
from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record

Kind = SignInThrottle.Kind
PRUNE_BATCH = 1000


@dataclass(frozen=True)
class Wait:
    """How long someone must wait before trying again; `locked` when a lock (not a growing
    delay) makes them."""

    seconds: int
    locked: bool

    def sign_in_message(self) -> str:
        """What the sign-in page says, in the person's language."""
        if not self.locked:
            return ngettext(
                "Too many failed sign-ins. Try again in %(seconds)d second.",
                "Too many failed sign-ins. Try again in %(seconds)d seconds.",
                self.seconds,
            ) % {"seconds": self.seconds}
        return ngettext(
            "Too many failed sign-ins. Try again in %(minutes)d minute, or ask the OKR office "
            "to unlock your account.",
            "Too many failed sign-ins. Try again in %(minutes)d minutes, or ask the OKR office "
            "to unlock your account.",
            self.minutes,
        ) % {"minutes": self.minutes}

    def reset_message(self) -> str:
        """What the password reset page says, in the person's language."""
        return ngettext(
            "Too many password reset requests. Try again in %(minutes)d minute.",
            "Too many password reset requests. Try again in %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(settings.SOIHTU_SIGN_IN_WINDOW_MINUTES))


def _stale(row: SignInThrottle, now: datetime.datetime) -> bool:
    """Whether the row no longer counts: its lock has ended, or it never locked and its first
    failure is older than the window."""
    if row.locked_until is not None:
        return row.locked_until <= now
    return row.first_at <= now - _window()


def _delay(failures: int) -> int:
    """Seconds the attempt after `failures` failures of one account must wait."""
    free = int(settings.SOIHTU_SIGN_IN_FREE_FAILURES)
    if failures < free:
        return 0
    doublings = min(failures - free, 32)  # 2**32 seconds is far past any cap
    return min(1 << doublings, int(settings.SOIHTU_SIGN_IN_MAX_DELAY_SECONDS))


def _wait(row: SignInThrottle, now: datetime.datetime) -> Wait | None:
    if _stale(row, now):
        return None
    if row.locked_until is not None:
        return Wait(math.ceil((row.locked_until - now).total_seconds()), locked=True)
    if row.kind != Kind.ACCOUNT:
        return None
    ready = row.last_at + datetime.timedelta(seconds=_delay(row.count))
    if ready <= now:
        return None
    return Wait(math.ceil((ready - now).total_seconds()), locked=False)


def _longest_wait(keys: dict[str, str | None], now: datetime.datetime) -> Wait | None:
    """The longest wait any of the rows (kind → key) asks for: one query."""
    wanted = Q(pk__in=[])
    for kind, key in keys.items():
        if key:
            wanted |= Q(kind=kind, key=key)
    waits = [wait for row in SignInThrottle.objects.filter(wanted) if (wait := _wait(row, now))]
    return max(waits, key=lambda wait: (wait.locked, wait.seconds), default=None)


def _count(kind: str, key: str, now: datetime.datetime) -> tuple[SignInThrottle, bool]:
    """Add one to the row (kind, key), locked until the transaction ends; a stale row starts
    again. Returns the row, unsaved, and whether it was created. Call inside a transaction."""
    row, created = SignInThrottle.objects.select_for_update().get_or_create(
        kind=kind, key=key, defaults={"first_at": now, "last_at": now}
    )
    if _stale(row, now):
        row.count, row.first_at, row.locked_until = 0, now, None
    row.count += 1
    row.last_at = now
    return row, created


def _count_and_lock(
    kind: str, key: str, *, limit: int, lock_until: datetime.datetime | None, now: datetime.datetime
) -> tuple[SignInThrottle, bool, bool]:
    """Count one for (kind, key) and lock it until `lock_until` (or the end of its window) when
    the count reaches `limit`. Returns the row, whether it was created, and whether a lock
    started (for exactly one of simultaneous requests: the row is locked meanwhile)."""
    with transaction.atomic():
        row, created = _count(kind, key, now)
        started = row.locked_until is None and row.count >= limit
        if started:
            row.locked_until = lock_until or row.first_at + _window()
        row.save()
    return row, created, started


def _account_key(username: str) -> str:
    return username.strip().lower()[:254]


# Sign-in.


def sign_in_wait(*, username: str, address: str | None, now: datetime.datetime) -> Wait | None:
    """How long a sign-in as `username` from `address` must wait before its password may be
    checked, or None when it may be checked now."""
    keys: dict[str, str | None] = {Kind.ACCOUNT: _account_key(username), Kind.ADDRESS: address}
    return _longest_wait(keys, now)


def sign_in_refused_record(*, username: str, request: HttpRequest | None, wait: Wait) -> None:
    """Record an attempt refused while waiting (its password was not checked, so Django's
    failed sign-in signal, which records the other failures, was not sent)."""
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=username,
        status=429,
        detail={"throttled": True, "locked": wait.locked, "wait_seconds": wait.seconds},
    )


def sign_in_failure_record(
    *, username: str, address: str | None, request: HttpRequest | None, now: datetime.datetime
) -> None:
    """Count a failed sign-in for the account and for the address; a count that reaches its
    limit locks, recorded as the security event `locked_out`."""
    lockout = now + datetime.timedelta(minutes=int(settings.SOIHTU_SIGN_IN_LOCKOUT_MINUTES))
    limits = [(Kind.ACCOUNT, _account_key(username), settings.SOIHTU_SIGN_IN_LOCKOUT_FAILURES)]
    if address:
        limits.append((Kind.ADDRESS, address, settings.SOIHTU_SIGN_IN_ADDRESS_FAILURES))
    created = False
    for kind, key, limit in limits:
        row, new, started = _count_and_lock(
            kind, key, limit=int(limit), lock_until=lockout, now=now
        )
        created |= new
        if started:
            security_event_record(
                kind=SecurityEvent.Kind.LOCKED_OUT,
                request=request,
                username=username,
                detail={"throttle": kind, "failures": row.count, "until": lockout.isoformat()},
            )
    if created:
        throttles_prune(now=now)


def sign_in_succeeded(*, username: str) -> None:
    """The right password ends the account's count (not the address's: signing in to one's
    own account must not hide guessing at others from the same address)."""
    SignInThrottle.objects.filter(kind=Kind.ACCOUNT, key=_account_key(username)).delete()


# Password reset.


def password_reset_hit(*, email: str, address: str | None, now: datetime.datetime) -> Wait | None:
    """Count one password reset request for `email` and `address`, or refuse it: the wait when
    either has had its limit (SOIHTU_PASSWORD_RESET_PER_EMAIL, SOIHTU_PASSWORD_RESET_PER_ADDRESS)
    within the window, so that nobody can flood an inbox. Unknown emails count the same."""
    keys: dict[str, str | None] = {
        Kind.RESET_EMAIL: email.strip().lower()[:254],
        Kind.RESET_ADDRESS: address,
    }
    wait = _longest_wait(keys, now)
    if wait is not None:
        return wait
    limits: dict[str, int] = {
        Kind.RESET_EMAIL: settings.SOIHTU_PASSWORD_RESET_PER_EMAIL,
        Kind.RESET_ADDRESS: settings.SOIHTU_PASSWORD_RESET_PER_ADDRESS,
    }
    created = False
    for kind, key in keys.items():
        if key:
            _row, new, _started = _count_and_lock(
                kind, key, limit=int(limits[kind]), lock_until=None, now=now
            )
            created |= new
    if created:
        throttles_prune(now=now)
    return None


# The OKR office, and housekeeping.


@transaction.atomic
def throttles_unlock(*, throttles: QuerySet[SignInThrottle], request: HttpRequest) -> int:
    """End the counts and locks of `throttles` (the OKR office, in the admin); each is recorded
    as the security event `unlocked` by the request's person. Returns how many ended."""
    # By primary key: the admin's queryset may carry a DISTINCT, which cannot be locked.
    rows = list(SignInThrottle.objects.select_for_update().filter(pk__in=throttles.values("pk")))
    for row in rows:
        security_event_record(
            kind=SecurityEvent.Kind.UNLOCKED,
            request=request,
            detail={"throttle": row.kind, "key": row.key},
        )
    SignInThrottle.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def throttles_prune(*, now: datetime.datetime) -> int:
    """Remove rows that no longer count (a row that is being counted is skipped, never waited
    for). Runs when a new row is made, so that guessed usernames do not pile up."""
    stale = Q(locked_until__isnull=True, first_at__lte=now - _window()) | Q(locked_until__lte=now)
    with transaction.atomic():
        rows = SignInThrottle.objects.filter(stale)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:PRUNE_BATCH])
        removed, _ = SignInThrottle.objects.filter(pk__in=ids).delete()
    return removed
