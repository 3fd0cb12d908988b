"""Background tasks of the survey, run from the database-backed queue (the scheduler command
`followup_schedule` drains the queue every few minutes; see docs/follow-up.md)."""

from __future__ import annotations

from django.tasks import task

from soihtu.surveys.models import SurveyRound
from soihtu.surveys.services import invitations_send


@task
def send_invitations(round_id: int) -> int:
    """Email the round's invitations; returns how many went out (none twice)."""
    survey = SurveyRound.objects.filter(pk=round_id).first()
    return invitations_send(survey) if survey is not None else 0
