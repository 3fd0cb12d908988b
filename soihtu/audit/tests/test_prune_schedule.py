"""The scheduler (followup_schedule, run every few minutes) forgets security events and access
log entries older than their retention, with the rest of the housekeeping."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from soihtu.audit.models import AccessRecord, SecurityEvent
from soihtu.conftest import World


@pytest.mark.parametrize("option", ["--now", "--no-drain"])
def test_the_scheduler_prunes_the_logs(world: World, settings: object, option: str) -> None:
    settings.SOIHTU_SECURITY_LOG_DAYS = 90  # type: ignore[attr-defined]
    settings.SOIHTU_ACCESS_LOG_DAYS = 730  # type: ignore[attr-defined]
    now = timezone.now()
    for days in (1, 100, 800):
        at = now - datetime.timedelta(days=days)
        SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, user=world.member, at=at)
        AccessRecord.objects.create(
            user=world.member, kind="objective", object_id=1, object_repr="x", at=at
        )
    call_command("followup_schedule", option, stdout=StringIO())
    kept_events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN, user=world.member)
    assert kept_events.count() == 1
    assert AccessRecord.objects.count() == 2
