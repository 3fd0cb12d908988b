"""Every page does the same number of queries on a demo organization ten times larger,
and at most 15."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
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


PAGES: dict[str, Callable[[], str]] = {
    "my_okrs": lambda: reverse("okrs:my_okrs"),
    "team": lambda: reverse("okrs:unit", args=[_team().pk]),
    "objective": lambda: reverse("okrs:objective", args=[_objective().pk]),
    "organization_objective": lambda: reverse("okrs:objective", args=[_org_objective().pk]),
    "strategy": lambda: reverse("okrs:strategy"),
    "organization": lambda: reverse("okrs:organization") + "?q=asiakas",
    "checkin_form": lambda: reverse("checkins:new", args=[_objective().key_results.first().pk]),  # type: ignore[union-attr]
}


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7)
    return page_query_counts(client_for(_torchbearer()), {n: url() for n, url in PAGES.items()})


@pytest.mark.django_db
def test_pages_do_a_constant_number_of_queries() -> None:
    small = _count_queries(40)
    from soihtu.demo.generate import reset_demo

    reset_demo()
    assert_constant_and_few(small, _count_queries(400))
