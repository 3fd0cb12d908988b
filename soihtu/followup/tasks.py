"""Background tasks of the follow-up rhythm, run from the database-backed queue."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from soihtu.followup.services import reminders_send


@task
def send_reminders() -> int:
    """Send the reminders due now; returns how many emails went out."""
    return reminders_send(timezone.now())
