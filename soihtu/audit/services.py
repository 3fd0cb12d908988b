"""Recording the audit trail. Every service that writes a domain row calls `audit_record`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent


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
