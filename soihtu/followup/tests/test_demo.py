from __future__ import annotations

import datetime
import random

import pytest
from django.core import mail

from soihtu.demo.generate import generate_demo
from soihtu.followup.demo import generate
from soihtu.followup.models import FollowUpMeeting, ReminderLog
from soihtu.organization.models import Unit

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_demo_sets_varied_cadences_and_a_meeting_two_weeks_ago(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    cadences = set(
        Unit.objects.filter(kind=Unit.Kind.TEAM).values_list("checkin_cadence", flat=True)
    )
    assert len(cadences) >= 2
    latest = FollowUpMeeting.objects.select_related("team").first()
    assert latest is not None
    assert latest.held_at.date() == TODAY - datetime.timedelta(days=14)
    assert latest.team.memberships.filter(user__username="soihdunkantaja").exists()
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_demo_is_deterministic() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    first = list(Unit.objects.order_by("path").values_list("path", "checkin_cadence"))
    Unit.objects.update(checkin_cadence=14)
    FollowUpMeeting.objects.all().delete()
    generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    assert list(Unit.objects.order_by("path").values_list("path", "checkin_cadence")) == first


@pytest.mark.django_db
def test_demo_meetings_have_notes_for_the_next_meeting() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    latest = FollowUpMeeting.objects.first()
    assert latest is not None
    assert "Seuraavalla kerralla" in latest.notes
