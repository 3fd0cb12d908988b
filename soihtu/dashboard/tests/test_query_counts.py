"""The dashboard and its CSV do the same number of queries on a demo organization ten times
larger, and at most 15."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.organization.models import Unit

TODAY = datetime.date(2026, 11, 27)


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7)
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    admin = client_for(User.objects.get(username="okr.toimisto"))
    supervisor = client_for(User.objects.get(username="esihenkilo"))
    of_division = f"?division={division.pk}"
    counts = page_query_counts(
        admin,
        {
            "index": reverse("dashboard:index"),
            "index_division": reverse("dashboard:index") + of_division,
            "csv": reverse("dashboard:csv"),
            "csv_division": reverse("dashboard:csv") + of_division,
        },
    )
    counts |= {
        f"supervisor_{name}": n
        for name, n in page_query_counts(
            supervisor,
            {"index": reverse("dashboard:index"), "csv": reverse("dashboard:csv")},
        ).items()
    }
    return counts


@pytest.mark.django_db
def test_dashboard_does_a_constant_number_of_queries() -> None:
    small = _count_queries(40)
    reset_demo()
    assert_constant_and_few(small, _count_queries(400))
