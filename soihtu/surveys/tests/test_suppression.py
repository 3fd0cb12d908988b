"""No page, CSV or selector output reveals a group under five answers, nor lets one be derived
by subtracting shown groups from a total."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soihtu.conftest import World, client_for
from soihtu.organization.models import Unit
from soihtu.organization.services import unit_create
from soihtu.surveys.models import MIN_GROUP, Answer, Question, Response, SurveyRound
from soihtu.surveys.selectors import division_results
from soihtu.surveys.suppression import shown_groups
from soihtu.surveys.tests.factories import open_round


@given(st.dictionaries(st.integers(0, 30), st.integers(0, 40), max_size=12))
def test_hidden_groups_cannot_be_derived(counts: dict[int, int]) -> None:
    shown = shown_groups(counts)
    hidden = set(counts) - shown
    assert all(counts[k] >= MIN_GROUP for k in shown)
    if shown:
        # What subtraction reveals is the sum of the hidden groups: two or more, five or more.
        assert not hidden or (len(hidden) >= 2 and sum(counts[k] for k in hidden) >= MIN_GROUP)


ORGS = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 12)),  # per division: using OKRs, not yet
    min_size=1,
    max_size=5,
)


def _populate(world: World, org: list[tuple[int, int]]) -> None:
    survey = open_round(world.admin)
    questions = list(survey.questions.exclude(kind=Question.Kind.TEXT))
    for i, (using, not_yet) in enumerate(org):
        division = unit_create(name=f"Div {i}", kind=Unit.Kind.DIVISION, parent=world.root)
        for j in range(using + not_yet):
            response = Response.objects.create(
                round=survey,
                breakdown_unit=division,
                team_uses_okrs=j < using,
                submitted_on=datetime.date(2026, 11, 20),
            )
            Answer.objects.bulk_create(
                Answer(response=response, question=q, likert=(j % 5) + 1, yes_no=j % 2 == 0)
                for q in questions
            )
    # Results exist only for closed rounds (see test_results_after_closing.py).
    SurveyRound.objects.filter(pk=survey.pk).update(state=SurveyRound.State.CLOSED)


def _check_csv(content: str, org: list[tuple[int, int]]) -> None:
    rows = list(csv.DictReader(io.StringIO(content)))
    totals = {r["question_key"]: int(r["n"]) for r in rows if r["group_type"] == "all"}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        if row["group_type"] in {"unit", "uses_okrs"}:
            assert int(row["n"]) >= MIN_GROUP, row
            groups[(row["question_key"], row["group_type"])].append(int(row["n"]))
    sizes = [u + n for u, n in org]
    for (key, kind), shown in groups.items():
        rest = totals[key] - sum(shown)
        assert rest == 0 or rest >= MIN_GROUP, (key, kind, rest)
        if kind == "unit":
            hidden_count = len([s for s in sizes if s]) - len(shown)
            assert hidden_count == 0 or hidden_count >= 2
    if sum(sizes) < MIN_GROUP:
        assert not totals


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(org=ORGS)
def test_results_page_and_csv_never_reveal_small_groups(
    world: World, org: list[tuple[int, int]]
) -> None:
    with transaction.atomic():
        _populate(world, org)
        survey_id = Response.objects.values_list("round_id", flat=True).first()
        if survey_id is not None:
            client = client_for(world.admin)
            _check_csv(client.get(f"/surveys/{survey_id}/results.csv").content.decode(), org)
            page = client.get(f"/surveys/{survey_id}/results/").content.decode()
            for i, (using, not_yet) in enumerate(org):
                if using + not_yet < MIN_GROUP:
                    assert f"Div {i}<" not in page
            shown = division_results(Response.objects.first().round)  # type: ignore[union-attr]
            assert all(d.n >= MIN_GROUP for d in shown)
            hidden = [
                u + n
                for i, (u, n) in enumerate(org)
                if u + n and f"Div {i}" not in {d.unit.name for d in shown}
            ]
            assert not shown or not hidden or (len(hidden) >= 2 and sum(hidden) >= MIN_GROUP)
        transaction.set_rollback(True)
