"""The follow-up pages (the meeting, its presentation and print view among them) do the same
number of queries on a demo organization ten times larger, and at most 15."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import own_query_count, page_query_counts
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.followup.demo import generate
from soihtu.followup.models import FollowUpMeeting
from soihtu.organization.models import Unit

TODAY = datetime.date(2026, 11, 27)
MAX_QUERIES = 15


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    user = User.objects.get(username="soihdunkantaja")
    team = Unit.objects.get(memberships__user=user, memberships__role="torchbearer")
    present = reverse("followup:present", kwargs={"unit_id": team.pk})
    pages = {
        "meeting": reverse("followup:meeting", kwargs={"unit_id": team.pk}),
        "cadence": reverse("followup:cadence", kwargs={"unit_id": team.pk}),
        "my_reminders": reverse("followup:my_reminders"),
        "present": present,
        "present_last": present + "?o=99",
        "print": reverse("followup:print", kwargs={"unit_id": team.pk}),
    }
    client = client_for(user)
    counts = page_query_counts(client, pages)
    # Everything in the cycle counts as changed when no meeting has been held: the most rows.
    FollowUpMeeting.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(pages["meeting"]).status_code == 200
    counts["meeting_first"] = own_query_count(captured)
    return counts


@pytest.mark.django_db
def test_follow_up_pages_do_a_constant_number_of_queries() -> None:
    small = _count_queries(40)
    FollowUpMeeting.objects.all().delete()
    reset_demo()
    large = _count_queries(400)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
