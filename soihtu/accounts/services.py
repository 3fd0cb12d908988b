"""Writes to a person: their own settings, their sessions, their single sign-on identity."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from soihtu.accounts.models import SignInSession, User
from soihtu.accounts.selectors import session_handle
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.audit.services import audit_record, security_event_record, snapshot


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the language the person chose, so that their emails follow it; audited."""
    person = User.objects.select_for_update().get(pk=user.pk)
    if person.language == language:
        return person
    before = snapshot(person, ["language"])
    person.language = language
    person.save(update_fields=["language"])
    audit_record(
        actor=person,
        action=AuditEvent.Action.UPDATE,
        instance=person,
        before=before,
        after=snapshot(person, ["language"]),
    )
    return person


@transaction.atomic
def sessions_end_others(
    *, user: User, keep_session_key: str | None, handle: str = "", request: HttpRequest | None
) -> int:
    """End the person's sessions other than `keep_session_key` (the one they use), or only the
    one whose `session_handle` is `handle`; a handle that is not one of theirs ends nothing.
    Records a `sessions_ended` security event; returns how many sessions ended."""
    others = SignInSession.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    if handle:
        keys = list(others.values_list("session_key", flat=True))
        others = others.filter(session_key__in=[k for k in keys if session_handle(k) == handle])
    ended, _ = others.delete()
    security_event_record(
        kind=SecurityEvent.Kind.SESSIONS_ENDED,
        request=request,
        user=user,
        detail={"count": ended, "ended": "one" if handle else "others"},
    )
    return ended


@transaction.atomic
def sessions_end_all(*, person: User, actor: User, request: HttpRequest | None) -> int:
    """The OKR office ends every session of `person` (a lost laptop, a suspected break-in):
    they must sign in again everywhere. Records `sessions_ended` with who did it."""
    ended, _ = SignInSession.objects.filter(user=person).delete()
    security_event_record(
        kind=SecurityEvent.Kind.SESSIONS_ENDED,
        request=request,
        user=person,
        detail={"count": ended, "ended": "all", "by": actor.pk, "by_username": actor.username},
    )
    return ended


@transaction.atomic
def user_identity_forget(*, actor: User, person: User) -> User:
    """Unbind `person` from the identity provider's (issuer, subject), audited: their next
    single sign-on binds them again (docs/single-sign-on.md)."""
    person = User.objects.select_for_update().get(pk=person.pk)
    fields = ["oidc_issuer", "oidc_subject"]
    before = snapshot(person, fields)
    person.oidc_issuer = person.oidc_subject = ""
    person.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=person,
        before=before,
        after=snapshot(person, fields),
    )
    return person
