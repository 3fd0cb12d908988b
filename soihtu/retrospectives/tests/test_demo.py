from __future__ import annotations

import datetime
import random

import pytest

from soihtu.demo.generate import generate_demo
from soihtu.learning.models import Learning
from soihtu.retrospectives import demo
from soihtu.retrospectives.models import ObjectiveReview, Retrospective

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_demo_adds_completed_retrospectives_with_learnings() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data
    retros = Retrospective.objects.all()
    assert retros.exists()
    assert all(r.is_completed for r in retros)
    assert {r.cycle.year.number for r in retros.select_related("cycle__year")} == {2022, 2026}
    assert ObjectiveReview.objects.exists()
    assert Learning.objects.filter(internal=True).exists()
    assert Learning.objects.filter(internal=False, themes__isnull=False).exists()
