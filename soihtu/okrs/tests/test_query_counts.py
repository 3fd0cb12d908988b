"""Every page does exactly its pinned number of queries, the same on a demo organization ten
times larger, and at most 15."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_pinned, page_query_counts, remember_queries
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo
from soihtu.okrs.models import Objective
from soihtu.organization.models import Unit

TODAY = datetime.date(2026, 11, 27)


def _torchbearer() -> User:
    return User.objects.get(username="soihdunkantaja")


def _team() -> Unit:
    return Unit.objects.get(memberships__user__username="soihdunkantaja")


def _objective() -> Objective:
    cycle = Cycle.objects.current(TODAY)
    objective = Objective.objects.filter(owner_unit=_team(), cycle=cycle).order_by("id").first()
    assert objective is not None
    return objective


def _org_objective() -> Objective:
    objective = (
        Objective.objects.filter(owner_unit__parent__isnull=True, year__number=TODAY.year)
        .order_by("id")
        .first()
    )
    assert objective is not None
    return objective


def _division() -> Unit:
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    return division


PAGES: dict[str, Callable[[], str]] = {
    "my_okrs": lambda: reverse("okrs:my_okrs"),
    "team": lambda: reverse("okrs:unit", args=[_team().pk]),
    "objective": lambda: reverse("okrs:objective", args=[_objective().pk]),
    "organization_objective": lambda: reverse("okrs:objective", args=[_org_objective().pk]),
    "strategy": lambda: reverse("okrs:strategy"),
    "organization": lambda: reverse("okrs:organization"),
    "organization_division": lambda: reverse("okrs:organization") + f"?unit={_division().pk}",
    "organization_search": lambda: reverse("okrs:organization") + "?q=asiakas",
    "organization_search_page_2": lambda: reverse("okrs:organization") + "?q=a&page=2",
    "checkin_form": lambda: reverse("checkins:new", args=[_objective().key_results.first().pk]),  # type: ignore[union-attr]
    "map": lambda: reverse("okrs:map"),
    "map_objective": lambda: reverse("okrs:map") + f"?focus=objective:{_objective().pk}",
    "map_organization_objective": lambda: (
        reverse("okrs:map") + f"?focus=objective:{_org_objective().pk}"
    ),
    "map_unit": lambda: reverse("okrs:map") + f"?focus=unit:{_team().pk}",
    "map_division": lambda: reverse("okrs:map") + f"?focus=unit:{_division().pk}",
}


PINNED = {
    "my_okrs": 12,
    "team": 14,
    "objective": 16,
    "organization_objective": 15,  # its conversation: one query (line of sight: none)
    "strategy": 16,
    "organization": 12,
    "organization_division": 14,
    "organization_division_opened": 12,
    "organization_search": 13,
    "organization_search_page_2": 13,
    "checkin_form": 7,
    # The alignment map: the overview, and focused on an objective or a unit (two levels of
    # contributors below a team's objectives are empty, so one query less).
    "map": 12,
    "map_objective": 13,
    "map_organization_objective": 13,
    "map_unit": 14,
    "map_division": 15,
}


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7)
    client = client_for(_torchbearer())
    counts = page_query_counts(client, {n: url() for n, url in PAGES.items()})
    # A division's units opened in place on the organization page (htmx).
    url = PAGES["organization_division"]()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    counts["organization_division_opened"] = remember_queries(
        "organization_division_opened", captured
    )
    return counts


@pytest.mark.django_db
def test_pages_do_a_constant_number_of_queries() -> None:
    small = _count_queries(40)
    from soihtu.demo.generate import reset_demo

    reset_demo()
    assert_pinned(PINNED, small, _count_queries(400))
