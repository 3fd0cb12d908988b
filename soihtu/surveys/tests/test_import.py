"""CSV import: all rows or none, with line numbers."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from soihtu.conftest import World, client_for
from soihtu.surveys.models import Answer, Response
from soihtu.surveys.tests.factories import open_round

HEADER = "response_id,unit,team_uses_okrs,question_key,value\n"
GOOD = HEADER + "".join(
    f"r{i},Division 1,yes,know_strategy,{(i % 5) + 1}\nr{i},Division 1,yes,comments,Hyvä\n"
    for i in range(6)
)


def _upload(world: World, survey_id: int, content: str) -> str:
    response = client_for(world.admin).post(
        f"/surveys/{survey_id}/import/",
        {"file": SimpleUploadedFile("a.csv", content.encode(), content_type="text/csv")},
    )
    return response.content.decode() if response.status_code != 302 else "OK"


def test_one_bad_row_imports_nothing_and_names_its_line(world: World) -> None:
    survey = open_round(world.admin)
    bad = GOOD + "r9,Division 1,maybe,know_strategy,7\n"
    page = _upload(world, survey.pk, bad)
    assert "Line 14" in page
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_good_file_is_imported(world: World) -> None:
    survey = open_round(world.admin)
    assert _upload(world, survey.pk, GOOD) == "OK"
    assert Response.objects.filter(round=survey, breakdown_unit=world.division).count() == 6
    assert Answer.objects.count() == 12


def test_wrong_columns_and_unknown_keys_are_refused(world: World) -> None:
    survey = open_round(world.admin)
    assert "Line 1" in _upload(world, survey.pk, "a,b\n1,2\n")
    page = _upload(world, survey.pk, HEADER + "r1,Nowhere,yes,nope,1\nr1,,no,know_strategy,3\n")
    assert "Line 2" in page
    assert Response.objects.count() == 0
