"""Demo rows for the conversation on goals: on the torchbearer persona team's first objective,
the supervisor asks the torchbearer something by @mention and gets a reply, and a member
comments on the newest check-in. The persona torchbearer finds the mention under the bell."""

from __future__ import annotations

import datetime
import random

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.comments.access import Target
from soihtu.comments.services import comment_create
from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership

TORCHBEARER = "soihdunkantaja"
SUPERVISOR = "esihenkilo"
MEMBER = "jasen"


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """A short conversation in the persona team (nothing when the personas are missing)."""
    del rng, today  # the conversation is the same in every demo
    people = {
        u.username: u for u in User.objects.filter(username__in=[TORCHBEARER, SUPERVISOR, MEMBER])
    }
    if len(people) < 3:
        return
    team_id = (
        Membership.objects.filter(user=people[TORCHBEARER], role=Membership.Role.TORCHBEARER)
        .values_list("unit_id", flat=True)
        .first()
    )
    objective = (
        Objective.objects.filter(owner_unit_id=team_id, cycle__isnull=False)
        .order_by("-cycle__starts_on", "id")
        .first()
    )
    if objective is None:
        return
    question = comment_create(
        author=people[SUPERVISOR],
        target=Target(objective=objective),
        body=(
            "@sami.soihdunkantaja Riittääkö chatin pilottiin nykyinen porukka, "
            "vai tarvitaanko apua toisesta tiimistä?"
        ),
    )
    comment_create(
        author=people[TORCHBEARER],
        target=Target(objective=objective),
        body="Riittää, kunhan koulutus pidetään ennen pilottia. Sovitaan se seurantapalaverissa.",
        parent=question,
    )
    checkin = (
        CheckIn.objects.filter(key_result__objective=objective)
        .select_related("key_result")
        .order_by("-measured_on", "-id")
        .first()
    )
    if checkin is not None:
        comment_create(
            author=people[MEMBER],
            target=Target(objective=objective, key_result=checkin.key_result, checkin=checkin),
            body="Hyvä suunta! Iltapäivän ruuhka purkautui selvästi nopeammin.",
        )
