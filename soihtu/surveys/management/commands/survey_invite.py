from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from soihtu.surveys.models import SurveyRound
from soihtu.surveys.services import invitations_send


class Command(BaseCommand):
    help = "Email the survey invitation to everyone in the round's audience not yet invited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        survey = SurveyRound.objects.filter(pk=options["round_id"]).first()
        if survey is None:
            raise CommandError("No such survey round.")
        if survey.state != SurveyRound.State.OPEN:
            raise CommandError("The round is not open.")
        sent = invitations_send(survey)
        self.stdout.write(f"Sent {sent} invitations.")
