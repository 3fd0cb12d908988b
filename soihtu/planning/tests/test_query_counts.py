"""The planning page and the record do the same number of queries on a demo organization ten
times larger, and at most 15."""

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
from soihtu.organization.models import Unit
from soihtu.planning import demo

TODAY = datetime.date(2026, 11, 27)
MAX_QUERIES = 15


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    team = Unit.objects.get(memberships__user__username="soihdunkantaja")
    cycle = Cycle.objects.current(TODAY)
    assert cycle is not None
    pages = {
        "planning": reverse("planning:team", kwargs={"unit_id": team.pk, "cycle_id": cycle.pk}),
        "record": reverse("planning:record", args=[team.pk]),
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
    small = _count_queries(40)
    reset_demo()
    large = _count_queries(400)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
