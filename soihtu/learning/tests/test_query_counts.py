"""The learning library does the same, pinned, number of queries on a demo organization ten
times larger, however its unit is chosen: by id, by a typed name, or not yet (several match)."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.organization.models import Unit
from soihtu.retrospectives import demo

TODAY = datetime.date(2026, 11, 27)
LIBRARY = reverse("learning:library")
# The session and the person, the person's memberships and the units above them (the actor),
# the organization's name, themes, cycles, the count and the page of learnings, and their
# themes: ten; one more for the unit by id or for the units matching a typed name, two when a
# typed name replaces the unit chosen before.
PINNED = {
    "library": 11,
    "library_search": 11,
    "library_unit": 12,
    "library_unit_name": 12,
    "library_unit_name_several": 12,
    "library_unit_kept": 12,
    "library_unit_renamed": 13,
}


def _urls() -> dict[str, str]:
    team = Unit.objects.get(memberships__user__username="soihdunkantaja")
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    return {
        "library": LIBRARY,
        "library_search": f"{LIBRARY}?q=asiakas",
        "library_unit": f"{LIBRARY}?unit={division.pk}&page=2",
        "library_unit_name": f"{LIBRARY}?unit_name={team.name}&q=",
        "library_unit_name_several": f"{LIBRARY}?unit_name=a",
        "library_unit_kept": f"{LIBRARY}?unit={team.pk}&unit_name={team.name}",
        "library_unit_renamed": f"{LIBRARY}?unit={division.pk}&unit_name={team.name}",
    }


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data
    client = client_for(User.objects.get(username="soihdunkantaja"))
    return page_query_counts(client, _urls())


@pytest.mark.django_db
def test_the_library_does_a_pinned_number_of_queries_at_two_sizes() -> None:
    small = _count_queries(40)
    reset_demo()
    large = _count_queries(400)
    assert_constant_and_few(small, large)
    assert large == PINNED
