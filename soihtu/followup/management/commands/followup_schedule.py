"""Run by cron or a systemd timer every few minutes: queue the reminders task, and by default
run the queue once so that a single cron line is enough (see docs/follow-up.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from soihtu.followup.services import reminders_send
from soihtu.followup.tasks import send_reminders


class Command(BaseCommand):
    help = "Queue the follow-up reminders, and run the task queue once unless --no-drain."

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
        if now:
            sent = reminders_send(timezone.now())
            if verbosity:
                self.stdout.write(f"Sent {sent} reminders.")
            return
        result = send_reminders.enqueue()
        if verbosity:
            self.stdout.write(f"Queued the reminders task {result.id}.")
        if not no_drain:
            call_command(
                "db_worker",
                batch=True,
                startup_delay=False,
                reload=False,
                verbosity=max(verbosity - 1, 0),
            )
