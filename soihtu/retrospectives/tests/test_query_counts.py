"""The retrospective page and the learning library do the same number of queries on a demo
organization ten times larger, and at most 15."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.learning.models import Learning
from soihtu.organization.models import Unit
from soihtu.retrospectives import demo

TODAY = datetime.date(2026, 11, 27)


def _team() -> Unit:
    return Unit.objects.get(memberships__user__username="soihdunkantaja")


def _retro(cycle: Callable[[], Cycle]) -> Callable[[], str]:
    return lambda: reverse(
        "retrospectives:team", kwargs={"unit_id": _team().pk, "cycle_id": cycle().pk}
    )


def _closed() -> Cycle:
    return Cycle.objects.filter(year__number=2026, state=Cycle.State.CLOSED).latest("starts_on")


def _in_review() -> Cycle:
    return Cycle.objects.get(state=Cycle.State.REVIEW)


def _print(cycle: Callable[[], Cycle]) -> Callable[[], str]:
    return lambda: reverse(
        "retrospectives:print", kwargs={"unit_id": _team().pk, "cycle_id": cycle().pk}
    )


PAGES: dict[str, Callable[[], str]] = {
    "completed_retrospective": _retro(_closed),
    "open_retrospective": _retro(_in_review),
    "completed_retrospective_print": _print(_closed),
    "open_retrospective_print": _print(_in_review),
    "library": lambda: reverse("learning:library"),
    "library_search": lambda: reverse("learning:library") + "?q=asiakas",
    "library_filtered": lambda: (
        reverse("learning:library")
        + f"?unit={_team().parent_id}&theme=&cycle={_closed().pk}&page=1"
    ),
}


def _count_queries(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data
    Cycle.objects.filter(state=Cycle.State.ACTIVE).update(state=Cycle.State.REVIEW)
    # Make sure the search finds something at both sizes.
    Learning.objects.create(text="Asiakas ensin", team=_team(), cycle=_closed())
    client = client_for(User.objects.get(username="soihdunkantaja"))
    return page_query_counts(client, {name: url() for name, url in PAGES.items()})


@pytest.mark.django_db
def test_pages_do_a_constant_number_of_queries() -> None:
    small = _count_queries(40)
    reset_demo()
    assert_constant_and_few(small, _count_queries(400))
