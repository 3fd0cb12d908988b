"""`manage.py bench_sessions`: sign in people of the demo organization for `make bench`."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soihtu.demo.bench import bench_people


def _refuse_unless_demo_or_named(named: str) -> None:
    """Sessions and API tokens for made-up load belong in a demo database only: the demo mode of
    development settings, or the database named by the operator (under production settings,
    always named, as for demo_generate)."""
    database = str(settings.DATABASES["default"]["NAME"])
    if named == database or (settings.DEMO_MODE and not settings.PRODUCTION):
        return
    raise CommandError(
        f"bench_sessions would sign in people of the database “{database}” and give them API "
        "tokens, for a load test. Run it on a demo database: with SOIHTU_DEMO=1 under "
        f"development settings, or with --yes-database={database}"
    )


class Command(BaseCommand):
    help = (
        "Sign in people of the demo organization (team members and torchbearers who may check "
        "in, spread over teams, and the OKR office) and write their session cookies, API tokens "
        "and page addresses as JSON, for the load test of `make bench`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--count", type=int, default=200, help="How many people.")
        parser.add_argument("--output", required=True, help="The JSON file to write.")
        parser.add_argument(
            "--seed", type=int, default=2022, help="The same seed, the same people."
        )
        parser.add_argument(
            "--yes-database",
            metavar="NAME",
            default="",
            help="Outside the demo mode of development settings the command runs only when "
            "given the name of the configured database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _refuse_unless_demo_or_named(options["yes_database"])
        if options["count"] < 1:
            raise CommandError("--count must be at least 1.")
        try:
            document = bench_people(count=options["count"], seed=options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        output.write_text(json.dumps(document, indent=1), encoding="utf-8")
        output.chmod(0o600)  # live sessions and tokens
        self.stdout.write(
            f"{len(document['people'])} people signed in (cycle {document['cycle']}), "
            f"written to {output}."
        )
