"""The team's ideas, an idea and the overview do the same number of queries on a demo
organization ten times larger, and at most 15; the demo generator fills them."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.ideas import demo
from soihtu.ideas.access import TRANSITIONS
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.organization.models import Unit

TODAY = datetime.date(2026, 11, 27)
MAX_QUERIES = 15
# The overview: the session, the person, the organization's name, the cycles, the counts per
# cycle, the divisions and their counts in the cycle.
PINNED = {"team": 10, "detail": 11, "form": 9, "overview": 8}


def _rng() -> random.Random:
    return random.Random(1)  # noqa: S311 -- deterministic demo data, not cryptography


def _count_queries() -> dict[str, int]:
    team = Unit.objects.get(memberships__user__username="soihdunkantaja")
    idea = Idea.objects.filter(team=team).order_by("id").first()
    assert idea is not None
    pages = {
        "team": reverse("ideas:team", args=[team.pk]),
        "detail": reverse("ideas:detail", args=[idea.pk]),
        "form": reverse("ideas:new", args=[team.pk]),
        "overview": reverse("ideas:overview"),
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
    generate_demo(people=40, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=_rng(), today=TODAY)
    small = _count_queries()
    reset_demo()
    generate_demo(people=400, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=_rng(), today=TODAY)
    large = _count_queries()
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
    assert large == PINNED


@pytest.mark.django_db
def test_demo_has_ideas_in_every_state_with_a_consistent_history() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    demo.generate(rng=_rng(), today=TODAY)
    assert set(Idea.objects.values_list("state", flat=True)) == set(Idea.State.values)
    assert Idea.objects.values("cycle").distinct().count() > 2
    now = datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC)
    for idea in Idea.objects.prefetch_related("steps").select_related("cycle"):
        steps = list(idea.steps.all())
        assert steps[0].from_state == ""
        assert steps[0].to_state == Idea.State.NEW
        assert steps[-1].to_state == idea.state
        for before, after in itertools.pairwise(steps):
            assert after.from_state == before.to_state
            assert after.to_state in TRANSITIONS[before.to_state]
        assert all(s.at < now for s in steps)
    assert Cycle.objects.filter(ideas__isnull=False, state=Cycle.State.CLOSED).exists()
    first = sorted(Idea.objects.values_list("title", "state", "team_id"))
    IdeaStep.objects.all().delete()
    Idea.objects.all().delete()
    demo.generate(rng=_rng(), today=TODAY)
    assert sorted(Idea.objects.values_list("title", "state", "team_id")) == first
