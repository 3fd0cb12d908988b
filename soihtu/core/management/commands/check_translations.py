"""Fail when a user-visible string lacks a Finnish or Swedish translation, or is fuzzy.

Runs makemessages first, so a string added to the code but never extracted counts as missing.
When nothing but the extraction date changed, the .po files are left as they were.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

REQUIRED = ("fi", "sv")
DATE_LINE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)


def _name(entry: polib.POEntry) -> str:
    """The msgid, and its context when it has one: "Change" alone and "Change" as a column
    are two strings to translate."""
    if entry.msgctxt is None:
        return repr(entry.msgid)
    return f"{entry.msgid!r} (context {entry.msgctxt!r})"


def catalog_problems(locale_dir: Path, languages: tuple[str, ...] = REQUIRED) -> list[str]:
    """Every entry of each language's django.po, with or without a context (msgctxt), that
    is untranslated (a plural form counts) or fuzzy; obsolete entries are left out."""
    problems = []
    for language in languages:
        catalog = polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))
        problems += [f"{language}: missing: {_name(e)}" for e in catalog.untranslated_entries()]
        problems += [f"{language}: fuzzy: {_name(e)}" for e in catalog.fuzzy_entries()]
    return problems


class Command(BaseCommand):
    help = "Check that every string has a Finnish and a Swedish translation (none fuzzy)."

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        files = sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))
        before = {path: path.read_text(encoding="utf-8") for path in files}
        call_command(
            "makemessages",
            locale=["fi", "sv", "en"],
            ignore_patterns=[".venv/*", ".tools/*", "staticfiles/*"],
            no_obsolete=True,
            verbosity=0,
        )
        for path, text in before.items():
            if DATE_LINE.sub("", path.read_text(encoding="utf-8")) == DATE_LINE.sub("", text):
                path.write_text(text, encoding="utf-8")
        problems = catalog_problems(locale_dir)
        if problems:
            raise CommandError(
                f"{len(problems)} translation problems (run `make messages` and translate):\n"
                + "\n".join(problems[:200])
            )
        self.stdout.write("Translations complete: fi and sv have every string, none fuzzy.")
