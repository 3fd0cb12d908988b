from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from soihtu.exchange.export import export_document, iter_json


class Command(BaseCommand):
    help = (
        "Write the whole organization's OKR data as JSON (see docs/export-import.md), "
        "to --output or to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        document = export_document()
        output: Path | None = options["output"]
        if output is None:
            for chunk in iter_json(document):
                sys.stdout.write(chunk)
            return
        with output.open("w", encoding="utf-8") as file:
            for chunk in iter_json(document):
                file.write(chunk)
        counts = ", ".join(f"{k} {len(v)}" for k, v in document.items() if isinstance(v, list))
        self.stderr.write(f"Exported to {output}: {counts}.")
