"""Recording the audit trail, the security events and the access log.

Every service that writes a domain row calls `audit_record`. Sign-ins, refusals and credentials
are `security_event_record`; reads of restricted or personal information are `access_record`.
The last two never fail the request they describe: a log that cannot be written is reported to
the server's log instead.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.http import HttpRequest

from soihtu.accounts.models import User
from soihtu.audit.models import AccessRecord, AuditEvent, SecurityEvent
from soihtu.core.http import client_address

LOGGER = logging.getLogger(__name__)
SECURITY_LOGGER = logging.getLogger("soihtu.security")
PATH_MAX = 300


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited fields of a row as JSON-able values (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(obj.pk for obj in getattr(instance, name).all())
        elif field.is_relation:
            data[name] = getattr(instance, f"{name}_id")
        else:
            data[name] = _jsonable(getattr(instance, name))
    return data


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    objective_id: int | None = None,
) -> AuditEvent:
    """Append one event to the audit trail (call inside the writing transaction)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=instance._meta.model_name or "",
        target_id=instance.pk,
        target_repr=str(instance)[:255],
        objective_id=objective_id,
        before=before,
        after=after,
    )


def audit_export(*, actor: User | None, instance: models.Model, what: str) -> AuditEvent:
    """Record that `actor` downloaded data: personal data and whole-organization exports leave
    a trace of who took them, as changes do."""
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        instance=instance,
        before=None,
        after={"exported": what},
    )


def audited_save(
    *,
    actor: User | None,
    instance: models.Model,
    fields: list[str],
    before: dict[str, Any] | None,
    objective_id: int | None = None,
) -> AuditEvent:
    """Save `instance` and record it: a creation when there was nothing `before`, else an
    update from `before` to its new values (call inside the writing transaction)."""
    instance.save()
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before is not None else AuditEvent.Action.CREATE,
        instance=instance,
        before=before,
        after=snapshot(instance, fields),
        objective_id=objective_id,
    )


def _request_path(request: HttpRequest | None, *, query: bool = True) -> str:
    """The method and path of the request; with its query unless `query` is False (a
    sign-in's query can hold one-time codes and state, which a log must not keep)."""
    if request is None or not request.method:
        return ""
    path = request.get_full_path() if query else request.path
    return f"{request.method} {path}"[:PATH_MAX]


def _signed_in(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    status: int | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent | None:
    """Record a security event: `user` (else the request's signed-in person), or the `username`
    someone tried; the client address and the request come from `request`. Never raises: a
    failure is logged and None returned."""
    person = user or _signed_in(request)
    event = SecurityEvent(
        kind=kind,
        user=person,
        username=(username or (person.username if person else ""))[:150],
        address=client_address(request) if request is not None else None,
        path=_request_path(request, query=False),
        status=status,
        detail=detail or {},
    )
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError:
        LOGGER.exception("Could not record the security event %s", kind)
        event.pk = None
    _security_log_line(event)
    return event if event.pk is not None else None


def _security_log_line(event: SecurityEvent) -> None:
    """The event also goes to the `soihtu.security` logger as one JSON line, for the
    organization's log collection (a SIEM) outside the application's database; JSON keeps
    user-typed names from forging log lines."""
    SECURITY_LOGGER.info(
        json.dumps(
            {
                "at": event.at.isoformat(),
                "event": event.kind,
                "user_id": event.user_id,
                "username": event.username,
                "address": event.address,
                "request": event.path,
                "status": event.status,
                "detail": event.detail,
            },
            ensure_ascii=False,
            default=str,
        )
    )


def access_record(
    *,
    request: HttpRequest,
    kind: str,
    objects: Iterable[tuple[int, str]],
    user: User | None = None,
) -> int:
    """Record that `user` (else the request's signed-in person; the API passes its token's)
    read `objects` ((id, text) pairs) of one kind: one insert for all of them. Never raises;
    returns how many entries were written."""
    reader, path, address = (
        user or _signed_in(request),
        _request_path(request),
        client_address(request),
    )
    rows = [
        AccessRecord(
            user=reader,
            kind=kind,
            object_id=object_id,
            object_repr=str(text)[:255],
            path=path,
            address=address,
        )
        for object_id, text in objects
    ]
    if not rows:
        return 0
    try:
        with transaction.atomic():
            AccessRecord.objects.bulk_create(rows)
    except DatabaseError:
        LOGGER.exception("Could not record %s reads of %s in the access log", len(rows), kind)
        return 0
    return len(rows)


def security_logs_prune(*, now: datetime.datetime) -> tuple[int, int]:
    """Forget security events older than SOIHTU_SECURITY_LOG_DAYS and access log entries
    older than SOIHTU_ACCESS_LOG_DAYS (both two years by default); returns both counts."""
    events = now - datetime.timedelta(days=int(settings.SOIHTU_SECURITY_LOG_DAYS))
    reads = now - datetime.timedelta(days=int(settings.SOIHTU_ACCESS_LOG_DAYS))
    deleted_events, _ = SecurityEvent.objects.filter(at__lt=events).delete()
    deleted_reads, _ = AccessRecord.objects.filter(at__lt=reads).delete()
    return deleted_events, deleted_reads
