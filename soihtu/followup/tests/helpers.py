from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import checkin_create
from soihtu.okrs.models import KeyResult


def check_in(
    author: User, key_result: KeyResult, value: str = "8", confidence: int = 7, note: str = ""
) -> CheckIn:
    """A check-in measured today, at the current (simulated) time."""
    return checkin_create(
        author=author,
        key_result=key_result,
        value=Decimal(value),
        confidence=confidence,
        note=note,
        measured_on=timezone.localdate(),
    )


def fresh(key_result: KeyResult) -> KeyResult:
    return KeyResult.objects.select_related(
        "objective__owner_unit", "objective__cycle", "objective__year", "owner"
    ).get(pk=key_result.pk)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)
