"""Helpers for survey tests."""

from __future__ import annotations

import datetime

from soihtu.accounts.models import User
from soihtu.surveys import services
from soihtu.surveys.models import SurveyRound


def open_round(admin: User, **extra: object) -> SurveyRound:
    survey = services.round_create_from_template(
        actor=admin,
        title="OKR-kysely 2026",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 12, 15),
        **extra,  # type: ignore[arg-type]
    )
    return services.round_set_state(actor=admin, survey=survey, state=SurveyRound.State.OPEN)


def answer_post(survey: SurveyRound, likert: str = "4") -> dict[str, str]:
    data = {}
    for q in survey.questions.all():
        if q.kind == "likert":
            data[f"q{q.pk}"] = likert
        elif q.kind == "yes_no":
            data[f"q{q.pk}"] = "yes"
        else:
            data[f"q{q.pk}"] = "Hyvä kysely"
    return data
