"""The dashboard and its CSV do an exact, pinned number of queries, the same on a demo
organization ten times larger: read from the stored figures after the scheduler's refresh,
and on a scope's first view, which computes them. A changed count prints the queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_pinned, page_query_counts, remember_queries
from soihtu.dashboard.models import PracticeFigures
from soihtu.dashboard.services import practice_figures_refresh
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.organization.models import Unit

TODAY = datetime.date(2026, 11, 27)

# Session, person, roles, the units above them, the divisions, the stored figures, their
# cycles, the strategy themes, and the survey block's three (questions, results, divisions).
CSV = 11
PAGE = CSV + 2  # the header: the organization's name and the bell's unread count
PINNED = {
    "index": PAGE,
    "index_division": PAGE,
    "csv": CSV,
    "csv_division": CSV,
    "supervisor_index": PAGE,
    "supervisor_csv": CSV,
}
# A scope's first view, before any refresh: the page, the figures' 17 queries, and their
# insert with the savepoint around it.
FIRST_VIEW = {"first_view": PAGE + 20, "first_view_division": PAGE + 20}


def _count_queries(people: int) -> tuple[dict[str, int], dict[str, int]]:
    generate_demo(people=people, today=TODAY, seed=7)
    PracticeFigures.objects.all().delete()  # reset_demo leaves the smaller demo's
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    admin = client_for(User.objects.get(username="okr.toimisto"))
    supervisor = client_for(User.objects.get(username="esihenkilo"))
    index, csv = reverse("dashboard:index"), reverse("dashboard:csv")
    of_division = f"?division={division.pk}"
    first = {}
    for name, url in [("first_view", index), ("first_view_division", index + of_division)]:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200
        first[name] = remember_queries(name, captured)
    assert PracticeFigures.objects.count() == 2
    practice_figures_refresh()
    urls = {
        "index": index,
        "index_division": index + of_division,
        "csv": csv,
        "csv_division": csv + of_division,
    }
    counts = page_query_counts(admin, urls)
    mine = page_query_counts(supervisor, {"index": index, "csv": csv})
    return counts | {f"supervisor_{name}": n for name, n in mine.items()}, first


@pytest.mark.django_db
def test_dashboard_does_a_pinned_number_of_queries_at_two_sizes() -> None:
    small, small_first = _count_queries(40)
    reset_demo()
    large, large_first = _count_queries(400)

    assert_pinned(PINNED, small, large)
    assert small_first == large_first == FIRST_VIEW, (small_first, large_first)
