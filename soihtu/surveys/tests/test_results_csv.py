"""The results CSV: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import datetime
import io

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.organization.models import Unit
from soihtu.organization.services import unit_create
from soihtu.surveys import services
from soihtu.surveys.models import MIN_GROUP, Answer, Question, Response, SurveyRound
from soihtu.surveys.tests.factories import open_round


def test_a_formula_looking_unit_name_is_written_as_text(world: World) -> None:
    survey = open_round(world.admin)
    division = unit_create(name="@SUM(1)", kind=Unit.Kind.DIVISION, parent=world.root)
    likert = survey.questions.filter(kind=Question.Kind.LIKERT).first()
    assert likert is not None
    for i in range(MIN_GROUP * 2):
        response = Response.objects.create(
            round=survey,
            breakdown_unit=division,
            team_uses_okrs=i % 2 == 0,
            submitted_on=datetime.date(2026, 11, 20),
        )
        Answer.objects.create(response=response, question=likert, likert=4)
    services.round_set_state(actor=world.admin, survey=survey, state=SurveyRound.State.CLOSED)

    download = client_for(world.admin).get(reverse("surveys:results_csv", args=[survey.pk]))

    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    units = {r["group"] for r in rows if r["group_type"] == "unit"}
    assert units == {"'@SUM(1)"}
    assert all(not r["n"].startswith("'") for r in rows)
