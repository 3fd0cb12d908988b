"""Every list of the API does the same number of queries on a demo organization ten times larger
(the token, its rate limit and its last use included), and at most 15."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soihtu.accounts.models import User
from soihtu.api.tests.helpers import Api, personal_token
from soihtu.core.tests.queries import assert_constant_and_few, own_query_count
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import generate_demo, reset_demo
from soihtu.ideas import demo as ideas_demo
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.retrospectives import demo as retrospectives_demo
from soihtu.successes import demo as successes_demo
from soihtu.surveys import demo as surveys_demo
from soihtu.surveys.models import SurveyRound

TODAY = datetime.date(2026, 11, 27)


def _generate(people: int) -> None:
    generate_demo(people=people, today=TODAY, seed=7, rituals=False)
    for module in (retrospectives_demo, successes_demo, ideas_demo, surveys_demo):
        module.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data


def _lists() -> dict[str, str]:
    team = Unit.objects.get(memberships__user__username="soihdunkantaja")
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    cycle = Cycle.objects.get(state=Cycle.State.ACTIVE)
    key_result = KeyResult.objects.filter(objective__owner_unit=team, checkins__isnull=False)
    theme = StrategyTheme.objects.order_by("id").first()
    assert theme is not None
    survey = SurveyRound.objects.exclude(state=SurveyRound.State.DRAFT).order_by("-pk").first()
    assert survey is not None
    return {
        "themes": "/themes",
        "units": "/units",
        "people": "/people",
        "people_of_a_division": f"/people?unit={division.pk}",
        "years": "/years",
        "cycles": "/cycles",
        "objectives": "/objectives?limit=200",
        "objectives_filtered": f"/objectives?cycle={cycle.pk}&unit={division.pk}&theme={theme.pk}",
        "key_results": "/key-results?limit=200",
        "key_results_filtered": f"/key-results?cycle={cycle.pk}&unit={division.pk}",
        "check_ins": f"/key-results/{key_result.first().pk}/check-ins",  # type: ignore[union-attr]
        "retrospectives": "/retrospectives",
        "learnings": "/learnings?limit=200",
        "learnings_filtered": f"/learnings?unit={division.pk}&theme={theme.pk}",
        "successes": "/successes?limit=200",
        "successes_filtered": f"/successes?unit={division.pk}&theme={theme.pk}",
        "ideas": "/ideas?limit=200",
        "surveys": "/surveys",
        "survey_results": f"/surveys/{survey.pk}/results",
    }


def _count_queries() -> dict[str, int]:
    torchbearer = User.objects.get(username="soihdunkantaja")
    admin = User.objects.filter(is_org_admin=True).first()
    assert admin is not None
    counts = {}
    for name, path in _lists().items():
        user = admin if name.startswith("survey") else torchbearer
        api = Api(personal_token(user))
        with CaptureQueriesContext(connection) as captured:
            response = api.get(path)
        assert response.status_code == 200, (name, response.content)
        body = response.json()
        assert body.get("items", body.get("questions")), f"{name} is empty: nothing to count"
        counts[name] = own_query_count(captured)
    return counts


@pytest.mark.django_db
def test_lists_do_a_constant_number_of_queries() -> None:
    _generate(40)
    small = _count_queries()
    reset_demo()
    _generate(400)
    large = _count_queries()
    assert_constant_and_few(small, large)
