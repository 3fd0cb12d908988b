"""Background tasks of notifications, run from the database-backed queue (the scheduler command
`followup_schedule` queues `notify_teams` and drains the queue every few minutes; see
docs/notifications.md)."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from soihtu.notifications.inbox_email import notification_digests_send, notification_emails_send
from soihtu.notifications.services import delivery_attempt, notify


@task
def deliver(delivery_id: int) -> str:
    """Post one delivery if it is still due; returns its state afterwards ("" if not due)."""
    delivery = delivery_attempt(delivery_id, timezone.now())
    return delivery.state if delivery is not None else ""


@task
def notify_teams() -> int:
    """Plan the check-in summaries due now and post every due delivery; returns how many
    were delivered."""
    return notify(timezone.now())


@task
def email_notifications() -> int:
    """Email the notifications waiting for their own email, and the daily digests due now;
    returns how many emails went out."""
    now = timezone.now()
    return notification_emails_send(now) + notification_digests_send(now)
