"""`manage.py demo_generate`: fill an empty database with the Kela-like demo organization."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from soihtu.demo.generate import PERSONAS, DemoSummary, generate_demo, number, reset_demo
from soihtu.organization.models import Unit


def _refuse_production_unless_named(named: str) -> None:
    """Made-up people and objectives must not land in a real organization's database by a
    slip: under production settings the operator has to name the database."""
    database = str(settings.DATABASES["default"]["NAME"])
    if settings.PRODUCTION and named != database:
        raise CommandError(
            "These are production settings (SOIHTU_ENV=production): demo_generate would fill "
            f"the database “{database}” with a made-up organization (with --reset, after "
            "deleting its people and objectives). If that is really what you want, run it "
            f"again with --yes-overwrite-database={database}"
        )


class Command(BaseCommand):
    help = (
        "Generate the demo organization (units, people, cycles, objectives, key results and "
        "check-ins). Does nothing if the database already has units, unless --reset is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--people", type=int, default=300, help="About how many people.")
        parser.add_argument("--seed", type=int, default=2022, help="The same seed, the same demo.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the existing demo data (all but superusers) and generate it again.",
        )
        parser.add_argument(
            "--yes-overwrite-database",
            metavar="NAME",
            default="",
            help="Under production settings (SOIHTU_ENV=production) the command runs only "
            "when given the name of the configured database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _refuse_production_unless_named(options["yes_overwrite_database"])
        if not options["reset"] and Unit.objects.exists():
            self.stdout.write("The demo organization already exists; use --reset to replace it.")
            return
        started = self._lap = time.monotonic()
        with transaction.atomic():
            if options["reset"]:
                reset_demo()
                self._progress("Existing demo data… deleted")
            summary = generate_demo(
                people=options["people"], seed=options["seed"], progress=self._progress
            )
        if connection.vendor == "postgresql":
            # Planner statistics for the freshly loaded tables: without them (autovacuum off, as
            # on some managed databases during bulk loads) PostgreSQL plans every page blind.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self._progress("Planner statistics (ANALYZE)… done")
        self._report(summary, time.monotonic() - started)

    def _progress(self, message: str) -> None:
        """One line per step, with the seconds it took."""
        now = time.monotonic()
        self.stdout.write(f"{message} ({now - self._lap:.1f} s)")
        self._lap = now

    def _report(self, summary: DemoSummary, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {seconds:.1f} s (generation {summary.seconds:.1f} s): "
                f"{number(summary.people)} people, {number(summary.units)} units "
                f"({number(summary.teams)} teams), {number(summary.objectives)} objectives, "
                f"{number(summary.key_results)} key results, {number(summary.checkins)} check-ins."
            )
        )
        usernames = ", ".join(username for username, _role in PERSONAS)
        self.stdout.write(f"Sign in as {usernames} with the password “demo”.")
