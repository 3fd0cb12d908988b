"""The survey block: empty until the surveys app provides results, then shown per division."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.urls import reverse

from soihtu.conftest import client_for
from soihtu.dashboard.selectors import SurveyRow, dashboard_page, survey_by_division
from soihtu.dashboard.services import practice_figures_for
from soihtu.dashboard.tests.fixtures import Practice
from soihtu.organization.models import Unit


def _fake(division: Unit | None) -> Sequence[SurveyRow]:
    rows = [
        SurveyRow(
            division="Division 1",
            question="Tavoitteet ovat selkeät",
            agree_percent=80,
            respondents=6,
        ),
        SurveyRow(
            division="Division 2",
            question="Tavoitteet ovat selkeät",
            agree_percent=60,
            respondents=5,
        ),
    ]
    return [r for r in rows if division is None or r.division == division.name]


def test_no_survey_results_yet(practice: Practice) -> None:
    assert survey_by_division(None) == []
    response = client_for(practice.world.admin).get(reverse("dashboard:index"))
    assert b"No survey results yet." in response.content


def test_an_injected_source_is_shown_per_division(practice: Practice) -> None:
    assert len(survey_by_division(None, _fake)) == 2
    page = dashboard_page(
        division=practice.world.division,
        divisions=[],
        whole_organization_allowed=False,
        figures=practice_figures_for(scope=practice.world.division.path),
        survey_source=_fake,
    )
    assert [(s.division, s.agree_percent) for s in page.surveys] == [("Division 1", 80)]


@pytest.mark.django_db
def test_the_latest_survey_round_is_shown_per_division_with_question_texts() -> None:
    import datetime
    import random

    from soihtu.demo.generate import generate_demo
    from soihtu.surveys import demo as survey_demo

    generate_demo(people=400, today=datetime.date(2026, 11, 27), rituals=False)
    survey_demo.generate(rng=random.Random(1), today=datetime.date(2026, 11, 27))  # noqa: S311
    rows = survey_by_division(None)
    divisions = {row.division for row in rows}
    assert divisions == {"Asiakkuudet", "Etuuspalvelut"}
    assert all(row.respondents >= 5 for row in rows)
    assert all(not row.question.islower() or " " in row.question for row in rows)  # texts, not keys
    asiakkuudet = Unit.objects.get(name="Asiakkuudet")
    assert {row.division for row in survey_by_division(asiakkuudet)} == {"Asiakkuudet"}
