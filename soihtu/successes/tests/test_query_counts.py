"""The feed, the share form and a success do the same number of queries on a demo organization
ten times larger, and at most 15; the demo generator fills them."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.ideas import demo as ideas_demo
from soihtu.organization.models import Unit
from soihtu.successes import demo
from soihtu.successes.models import Success, Thanks

TODAY = datetime.date(2026, 11, 27)
MAX_QUERIES = 15
# The feed: the session, the person, the actor (two), the organization's name, themes, the
# count, the page with its thanks and the linked objectives; one more for a chosen unit.
PINNED = {
    "feed": 10,
    "feed_filtered": 11,
    "feed_unit_name": 11,
    "share_form": 11,
    "detail": 9,
}


def _rng() -> random.Random:
    return random.Random(1)  # noqa: S311 -- deterministic demo data, not cryptography


def _generate(people: int) -> None:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=_rng(), today=TODAY)
    ideas_demo.generate(rng=_rng(), today=TODAY)


def _count_queries() -> dict[str, int]:
    team = Unit.objects.get(memberships__user__username="soihdunkantaja")
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    success = Success.objects.order_by("id").first()
    assert success is not None
    pages = {
        "feed": reverse("successes:feed"),
        "feed_filtered": reverse("successes:feed") + f"?unit={division.pk}&theme=1&page=2",
        "feed_unit_name": reverse("successes:feed") + f"?unit_name={team.name}&theme=",
        "share_form": reverse("successes:new", args=[team.pk]),
        "detail": reverse("successes:detail", args=[success.pk]),
    }
    client = client_for(User.objects.get(username="soihdunkantaja"))
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(captured.captured_queries)
    return counts


@pytest.mark.django_db
def test_pages_do_a_constant_number_of_queries() -> None:
    _generate(40)
    small = _count_queries()
    reset_demo()
    _generate(400)
    large = _count_queries()
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
    assert large == PINNED


@pytest.mark.django_db
def test_demo_shares_reached_goals_of_closed_and_active_cycles_with_thanks() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    demo.generate(rng=_rng(), today=TODAY)
    states = set(Success.objects.values_list("cycle__state", flat=True))
    assert {Cycle.State.CLOSED, Cycle.State.ACTIVE} <= states
    assert Thanks.objects.exists()
    for success in Success.objects.prefetch_related("objectives").select_related("key_result"):
        assert success.key_result is not None
        assert success.key_result.progress >= 0.9999
        assert [o.pk for o in success.objectives.all()] == [success.key_result.objective_id]
    first = sorted(Success.objects.values_list("title", "story", "team_id"))
    Success.objects.all().delete()
    demo.generate(rng=_rng(), today=TODAY)
    assert sorted(Success.objects.values_list("title", "story", "team_id")) == first
