"""The demo rounds reproduce the seed's figures, and the results page's queries stay constant."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.surveys import demo
from soihtu.surveys.models import SurveyRound
from soihtu.surveys.selectors import division_results, results_page

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_demo_reproduces_the_seed_figures() -> None:
    generate_demo(people=400, today=TODAY, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data
    latest, _earlier = SurveyRound.objects.order_by("-opens_on")
    page = results_page(latest)
    shares = {r.question.key: r.agree for r in page.questions}
    assert shares["know_strategy"] == 90
    assert shares["strategy_more_familiar"] == 50
    assert shares["chose_goals"] == 60
    assert shares["cooperation"] == 60
    assert shares["lessons_discussed"] == 70
    assert shares["new_ideas"] is not None
    assert shares["new_ideas"] > 50
    assert 0 < page.responses <= 250
    assert latest.respondents.count() == page.responses
    trend = next(r.trend for r in page.questions if r.question.key == "know_strategy")
    assert len(trend) == 2
    assert trend[0].agree is not None
    assert trend[0].agree < 90
    assert {d.unit.name for d in division_results(latest)} <= {"Asiakkuudet", "Etuuspalvelut"}


def _counts(people: int) -> dict[str, int]:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data
    survey = SurveyRound.objects.order_by("-opens_on").first()
    assert survey is not None
    admin = User.objects.get(username="okr.toimisto")
    urls = {
        "results": reverse("surveys:results", args=[survey.pk]),
        "csv": reverse("surveys:results_csv", args=[survey.pk]),
        "rounds": reverse("surveys:rounds"),
    }
    return page_query_counts(client_for(admin), urls)


@pytest.mark.django_db
def test_results_pages_do_a_constant_number_of_queries() -> None:
    small = _counts(40)
    reset_demo()
    SurveyRound.objects.all().delete()
    assert_constant_and_few(small, _counts(400))
