"""The demo publishes the page with a few organization objectives of each year that has begun."""

from __future__ import annotations

import datetime
import json
import random

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.demo.generate import generate_demo
from soihtu.okrs.models import Objective
from soihtu.organization.models import OrganizationSettings
from soihtu.transparency import demo
from soihtu.transparency.selectors import published_objectives

TODAY = datetime.date(2026, 11, 27)


def _rng() -> random.Random:
    return random.Random(3)  # noqa: S311 -- deterministic demo data, not cryptography


@pytest.mark.django_db
def test_demo_publishes_three_objectives_of_this_year_and_two_of_earlier_years() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    demo.generate(rng=_rng(), today=TODAY)
    assert OrganizationSettings.objects.get().transparency_enabled
    by_year: dict[int, int] = {}
    for number in published_objectives().values_list("year__number", flat=True):
        by_year[number] = by_year.get(number, 0) + 1
    assert by_year[2026] == 3
    assert by_year[2022] == 2  # the pilot year, for the year chooser
    assert all(count == 2 for number, count in by_year.items() if number < 2026)
    assert set(Objective.objects.filter(is_public=True)) == set(published_objectives())
    data = json.loads(Client().get(reverse("transparency:json")).content)
    assert len(data["objectives"]) == 3
    assert all(objective["key_results"] for objective in data["objectives"])
    first = sorted(Objective.objects.filter(is_public=True).values_list("pk", flat=True))
    Objective.objects.update(is_public=False)
    demo.generate(rng=_rng(), today=TODAY)
    assert sorted(Objective.objects.filter(is_public=True).values_list("pk", flat=True)) == first
