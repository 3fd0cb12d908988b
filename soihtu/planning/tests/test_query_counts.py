"""The planning page and the record do the same number of queries on a demo organization ten
times larger, and at most 15."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.organization.models import Unit
from soihtu.planning import demo

TODAY = datetime.date(2026, 11, 27)


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
    return page_query_counts(client_for(User.objects.get(username="soihdunkantaja")), pages)


@pytest.mark.django_db
def test_pages_do_a_constant_number_of_queries() -> None:
    small = _count_queries(40)
    reset_demo()
    assert_constant_and_few(small, _count_queries(400))
