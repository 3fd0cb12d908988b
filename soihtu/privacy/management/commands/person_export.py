from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from soihtu.privacy.management.commands._people import find_person
from soihtu.privacy.selectors import person_export


class Command(BaseCommand):
    help = (
        "Write everything Soihtu holds about a person as JSON (see docs/privacy.md). "
        "The person is given by id, username, email address or employee id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="id, username, email address or employee id")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        person = find_person(options["person"])
        body = json.dumps(
            person_export(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        if options["output"]:
            Path(options["output"]).write_text(body + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(body)
