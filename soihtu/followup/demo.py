"""Demo rows for the follow-up rhythm: teams check in at varied cadences, and the torchbearer
persona's team held follow-up meetings with notes, the latest two weeks ago. No email is
sent."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.followup.models import FollowUpMeeting
from soihtu.organization.models import Cadence, Membership, Unit

TORCHBEARER = "soihdunkantaja"
# Most teams follow up every two weeks; some weekly, a few monthly.
CADENCE_WEIGHTS = [(Cadence.WEEKLY, 3), (Cadence.BIWEEKLY, 6), (Cadence.MONTHLY, 2)]
# The persona team's meetings (days ago, notes): the demo speaks Finnish, like its other data.
MEETING_NOTES = [
    (28, "Jonotusajan mittaus siirretään uuteen puhelinjärjestelmään."),
    (
        14,
        "Chatin pilotti alkaa ensi viikolla; koulutus pidetään ennen sitä.\n"
        "Seuraavalla kerralla: katsotaan jonotusajan kehitys ja päätetään, laajennetaanko chat.",
    ),
]


def _meeting_time(today: datetime.date, days_ago: int) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(
        day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone()
    )


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Set each team's cadence and record the persona team's follow-up meetings."""
    cadences = [c for c, _w in CADENCE_WEIGHTS]
    weights = [w for _c, w in CADENCE_WEIGHTS]
    teams = list(Unit.objects.filter(kind=Unit.Kind.TEAM).order_by("path"))
    torchbearer = User.objects.filter(username=TORCHBEARER).first()
    persona_team_id = (
        Membership.objects.filter(user=torchbearer, role=Membership.Role.TORCHBEARER)
        .values_list("unit_id", flat=True)
        .first()
    )
    for team in teams:
        team.checkin_cadence = rng.choices(cadences, weights)[0]
        if team.pk == persona_team_id:
            team.checkin_cadence = Cadence.BIWEEKLY
    Unit.objects.bulk_update(teams, ["checkin_cadence"])
    if persona_team_id is None:
        return
    FollowUpMeeting.objects.bulk_create(
        [
            FollowUpMeeting(
                team_id=persona_team_id,
                held_at=_meeting_time(today, days),
                held_by=torchbearer,
                notes=notes,
            )
            for days, notes in MEETING_NOTES
        ]
    )
