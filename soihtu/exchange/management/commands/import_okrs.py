from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from soihtu.accounts.models import User
from soihtu.exchange.importer import file_import


class Command(BaseCommand):
    help = (
        "Import a Soihtu OKR export (JSON) into this empty installation: all of it, or nothing "
        "when anything is wrong. No size limit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--actor",
            help="Username of the org admin recorded as the importer in the audit trail.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["actor"])
        try:
            raw = options["file"].read_bytes()
        except OSError as problem:
            raise CommandError(f"Cannot read {options['file']}: {problem.strerror}") from None
        result = file_import(actor=actor, raw=raw)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported ({len(result.errors)} errors).")
        counts = ", ".join(f"{key} {count}" for key, count in result.counts.items())
        self.stdout.write(f"Imported: {counts}.")

    @staticmethod
    def _actor(username: str | None) -> User | None:
        if username is None:
            return None
        actor = User.objects.filter(username=username, is_org_admin=True).first()
        if actor is None:
            raise CommandError(f"{username} is not an org admin.")
        return actor
