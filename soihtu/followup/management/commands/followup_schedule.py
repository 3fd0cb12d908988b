"""Run by cron or a systemd timer every few minutes: queue the reminders task and the
notifications task (check-in summaries and webhook retries, docs/notifications.md), and by
default run the queue once so that a single cron line is enough (see docs/follow-up.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from soihtu.api.services import idempotent_requests_prune
from soihtu.audit.services import security_logs_prune
from soihtu.dashboard.services import practice_figures_refresh
from soihtu.followup.services import reminders_send
from soihtu.followup.tasks import send_reminders
from soihtu.notifications.inbox_email import (
    notification_digests_send,
    notification_email_has_work,
    notification_emails_send,
)
from soihtu.notifications.services import notify, notify_has_work
from soihtu.notifications.tasks import email_notifications, notify_teams
from soihtu.okrs.services import unit_progress_refresh
from soihtu.surveys.services import responses_mix_all


class Command(BaseCommand):
    help = (
        "Queue the follow-up reminders and the webhook notifications, and run the task queue "
        "once unless --no-drain."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send the reminders in this process, without the task queue.",
        )
        parser.add_argument(
            "--no-drain",
            action="store_true",
            help="Only queue the task; a separate `manage.py db_worker` runs it.",
        )

    def handle(self, *args: Any, now: bool, no_drain: bool, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        # Housekeeping: API idempotency keys are remembered for a week (docs/api.md), and new
        # survey answers are mixed among the round's others (docs/survey.md).
        idempotent_requests_prune(now=timezone.now())
        responses_mix_all()
        # Security events and the access log are kept for SOIHTU_SECURITY_LOG_DAYS and
        # SOIHTU_ACCESS_LOG_DAYS (two years by default), then forgotten (docs/privacy.md).
        security_logs_prune(now=timezone.now())
        # Sessions idle for longer than SESSION_COOKIE_AGE leave the table (docs/configuration.md).
        call_command("clearsessions")
        # The practice dashboard's figures, as of now (docs/dashboard.md).
        practice_figures_refresh()
        # The organization page's progress roll-ups (docs/performance.md).
        unit_progress_refresh()
        if now:
            sent = reminders_send(timezone.now())
            if verbosity:
                self.stdout.write(f"Sent {sent} reminders.")
            # Notifications: plan the check-in summaries and post the due webhook messages.
            delivered = notify(timezone.now())
            if verbosity:
                self.stdout.write(f"Delivered {delivered} webhook messages.")
            # Notifications by email, after the reminders (which write some of them).
            emailed = notification_emails_send(timezone.now())
            emailed += notification_digests_send(timezone.now())
            if verbosity:
                self.stdout.write(f"Sent {emailed} notification emails.")
            return
        result = send_reminders.enqueue()
        if verbosity:
            self.stdout.write(f"Queued the reminders task {result.id}.")
        # Notifications: the same for the webhooks, through the queue (when there are any).
        if notify_has_work():
            notified = notify_teams.enqueue()
            if verbosity:
                self.stdout.write(f"Queued the notifications task {notified.id}.")
        # Notifications by email and the daily digests (when any wait; docs/notifications.md).
        if notification_email_has_work():
            emails = email_notifications.enqueue()
            if verbosity:
                self.stdout.write(f"Queued the notification emails task {emails.id}.")
        if not no_drain:
            call_command(
                "db_worker",
                batch=True,
                startup_delay=False,
                reload=False,
                verbosity=max(verbosity - 1, 0),
            )
