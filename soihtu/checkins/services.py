"""Recording check-ins."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.checkins.models import CheckIn
from soihtu.okrs.models import KeyResult

CHECKIN_FIELDS = ["key_result", "value", "confidence", "note", "measured_on"]


def checkin_window(key_result: KeyResult) -> tuple[datetime.date, datetime.date]:
    """The dates a check-in of this key result may be measured on: its period, up to today."""
    objective = key_result.objective
    period = objective.cycle or objective.year
    return period.starts_on, min(period.ends_on, timezone.localdate())


@transaction.atomic
def checkin_create(
    *,
    author: User,
    key_result: KeyResult,
    value: Decimal,
    confidence: int,
    note: str = "",
    measured_on: datetime.date | None = None,
) -> CheckIn:
    """Record a check-in and make it the key result's current value and confidence.

    The key result row is locked, so two check-ins at the same moment are both kept and the
    later one becomes current. Refused (ValidationError) on a closed cycle and for a date
    outside the cycle.
    """
    key_result = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle", "objective__year")
        .get(pk=key_result.pk)
    )
    cycle = key_result.objective.cycle
    if cycle is not None and cycle.is_closed:
        raise ValidationError(_("This cycle is closed: check-ins are no longer recorded."))
    measured_on = measured_on or timezone.localdate()
    first, last = checkin_window(key_result)
    if not first <= measured_on <= last:
        raise ValidationError(
            _("The date must be between %(first)s and %(last)s.")
            % {"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")}
        )
    checkin = CheckIn.objects.create(
        key_result=key_result,
        value=value,
        confidence=confidence,
        note=note,
        author=author,
        measured_on=measured_on,
    )
    latest = key_result.checkins.order_by("-measured_on", "-created_at", "-id").first()
    assert latest is not None
    KeyResult.objects.filter(pk=key_result.pk).update(
        current_value=latest.value,
        confidence=latest.confidence,
        last_checkin_at=latest.created_at,
    )
    audit_record(
        actor=author,
        action=AuditEvent.Action.CREATE,
        instance=checkin,
        before=None,
        after=snapshot(checkin, CHECKIN_FIELDS),
        objective_id=key_result.objective_id,
    )
    return checkin
