"""The ideas overview counts exactly as it did with one correlated sub-select per cycle and
kind of step: the old queries are kept here as the oracle, on a generated demo with the edge
cases added (steps at midnight on a cycle's first and last day, an idea tried twice in one
cycle, a cycle overlapping another)."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo
from soihtu.ideas import demo
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.ideas.selectors import ADOPTED, RECORDED, TRIED, overview_page
from soihtu.organization.models import PATH_STEP, Unit

TODAY = datetime.date(2026, 11, 27)
HELSINKI = ZoneInfo("Europe/Helsinki")
KINDS = {"recorded": RECORDED, "tried": TRIED, "adopted": ADOPTED}


def _old_steps_in_cycle(step: Q) -> Subquery:
    steps = (
        IdeaStep.objects.filter(
            step, at__date__gte=OuterRef("starts_on"), at__date__lte=OuterRef("ends_on")
        )
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("idea_id", distinct=True))
        .values("n")
    )
    return Subquery(steps, output_field=IntegerField())


def _old_per_cycle() -> dict[int, tuple[int, int, int]]:
    cycles = Cycle.objects.filter(starts_on__lte=timezone.localdate()).annotate(
        **{name: Coalesce(_old_steps_in_cycle(step), 0) for name, step in KINDS.items()}
    )
    return {c.pk: (c.recorded, c.tried, c.adopted) for c in cycles}  # type: ignore[attr-defined]


def _old_per_division(cycle: Cycle) -> dict[int, tuple[int, int, int]]:
    rows = (
        IdeaStep.objects.filter(at__date__gte=cycle.starts_on, at__date__lte=cycle.ends_on)
        .annotate(division_path=Substr("idea__team__path", 1, 2 * PATH_STEP))
        .values("division_path")
        .annotate(
            recorded=Count("idea_id", filter=RECORDED, distinct=True),
            tried=Count("idea_id", filter=TRIED, distinct=True),
            adopted=Count("idea_id", filter=ADOPTED, distinct=True),
        )
        .order_by()
    )
    by_path = {r["division_path"]: (r["recorded"], r["tried"], r["adopted"]) for r in rows}
    return {d.pk: by_path.get(d.path, (0, 0, 0)) for d in Unit.objects.filter(depth=1)}


def _step(idea: Idea, from_state: str, to_state: str, at: datetime.datetime) -> None:
    IdeaStep.objects.create(idea=idea, from_state=from_state, to_state=to_state, at=at)


def _edge_cases() -> None:
    team = Unit.objects.filter(kind=Unit.Kind.TEAM).order_by("path").first()
    assert team is not None
    first_minute = datetime.datetime(2026, 9, 1, 0, 0, tzinfo=HELSINKI)  # 21:00 UTC the day before
    last_minute = datetime.datetime(2026, 8, 31, 23, 59, 59, tzinfo=HELSINKI)
    at_midnight = Idea.objects.create(team=team, title="Keskiyöllä", state=Idea.State.NEW)
    _step(at_midnight, "", Idea.State.NEW, first_minute)
    before = Idea.objects.create(team=team, title="Juuri ennen", state=Idea.State.TRIED)
    _step(before, "", Idea.State.NEW, last_minute - datetime.timedelta(days=3))
    _step(before, Idea.State.NEW, Idea.State.TRIED, last_minute)
    twice = Idea.objects.create(team=team, title="Kahdesti", state=Idea.State.TRIED)
    day = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=HELSINKI)
    for n, (old, new) in enumerate(
        [
            ("", Idea.State.NEW),
            (Idea.State.NEW, Idea.State.TRIED),
            (Idea.State.TRIED, Idea.State.DROPPED),
            (Idea.State.DROPPED, Idea.State.NEW),
            (Idea.State.NEW, Idea.State.TRIED),
        ]
    ):
        _step(twice, old, new, day + datetime.timedelta(days=n))
    current = Cycle.objects.get(starts_on=datetime.date(2026, 9, 1))
    Cycle.objects.create(
        year=current.year,
        name="Päällekkäinen",
        starts_on=datetime.date(2026, 8, 15),
        ends_on=datetime.date(2026, 10, 2),
    )


@pytest.mark.django_db
def test_overview_counts_are_those_of_the_old_queries() -> None:
    generate_demo(people=120, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data
    _edge_cases()
    expected = _old_per_cycle()
    assert len(expected) >= 4
    assert sum(sum(counts) for counts in expected.values()) > 100
    for cycle_id in expected:
        page = overview_page(cycle_id)
        assert {c.pk: (c.recorded, c.tried, c.adopted) for c in page.cycles} == expected  # type: ignore[attr-defined]
        assert page.cycle is not None
        assert page.cycle.pk == cycle_id
        got = {r.division.pk: (r.recorded, r.tried, r.adopted) for r in page.divisions}
        assert got == _old_per_division(page.cycle)


@pytest.mark.django_db
def test_an_idea_counts_once_per_cycle_and_by_the_local_date_of_its_step() -> None:
    generate_demo(people=40, today=TODAY, seed=7, rituals=False)
    _edge_cases()
    counts = {
        c.starts_on.isoformat(): (c.recorded, c.tried, c.adopted)  # type: ignore[attr-defined]
        for c in overview_page(None).cycles
    }
    assert counts["2026-09-01"] == (2, 1, 0)  # at midnight, and twice (tried twice, counts once)
    assert counts["2026-05-01"] == (1, 1, 0)  # just before midnight
    assert counts["2026-08-15"] == (3, 2, 0)  # the overlapping cycle has them all
