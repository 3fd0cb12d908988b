"""Opening a round queues its email invitations; the background worker sends them once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from soihtu.conftest import World
from soihtu.surveys import services
from soihtu.surveys.models import Invitation, SurveyRound


def _draft(world: World) -> SurveyRound:
    return services.round_create_from_template(
        actor=world.admin,
        title="Syksyn kysely",
        opens_on=datetime.date(2026, 11, 20),
        closes_on=datetime.date(2026, 12, 15),
    )


@pytest.mark.django_db(transaction=True)
def test_opening_a_round_queues_invitations_that_the_worker_sends_once(world: World) -> None:
    survey = _draft(world)
    mail.outbox.clear()
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    assert mail.outbox == []  # queued, not sent in the request
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    invited = {address for message in mail.outbox for address in message.to}
    assert world.member.email in invited
    assert Invitation.objects.filter(round=survey).count() == len(mail.outbox)
    assert all("http" in message.body for message in mail.outbox)  # links are absolute
    sent = len(mail.outbox)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.OPEN)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(mail.outbox) == sent
