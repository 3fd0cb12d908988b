from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from soihtu.privacy.management.commands._people import find_person
from soihtu.privacy.services import person_anonymize, refusal


class Command(BaseCommand):
    help = (
        "Anonymize a person who has left (deactivated): their name, email, username, employee "
        "id and password go, their OKR history stays as 'former employee'. Cannot be undone. "
        "The person is given by id, username, email address or employee id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="id, username, email address or employee id")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: without it nothing is changed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = find_person(options["person"])
        reason = refusal(actor=None, person=person)
        if reason is not None:
            raise CommandError(reason)
        if not options["yes"]:
            raise CommandError(
                f"This would anonymize person {person.pk} for good. Run again with --yes."
            )
        try:
            person_anonymize(actor=None, person=person)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Anonymized person {person.pk}.")
