"""The dashboard shows its figures as of their last refresh, and says when that was: a change
shows after the next refresh and not before, and figures the scheduler stopped refreshing
are flagged."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from soihtu.checkins.services import checkin_create
from soihtu.conftest import client_for
from soihtu.dashboard.csv_export import dashboard_rows
from soihtu.dashboard.selectors import SurveyRow, dashboard_page
from soihtu.dashboard.services import practice_figures_for, practice_figures_refresh
from soihtu.dashboard.tests.fixtures import Practice
from soihtu.organization.models import Unit
from soihtu.retrospectives.models import Retrospective

STALE = "These figures have not been refreshed for over an hour"


def _page(practice: Practice, language: str = "en") -> str:
    client = client_for(practice.world.admin, language)
    return client.get(reverse("dashboard:index")).content.decode()


def _iso(at: datetime.datetime) -> str:
    return timezone.localtime(at).isoformat(timespec="seconds")


def test_the_page_says_when_the_figures_were_computed(practice: Practice) -> None:
    at = timezone.now() - datetime.timedelta(minutes=3)
    practice_figures_refresh(now=at)

    page = _page(practice)

    shown = f"{timezone.localtime(at):%m/%d/%Y %-I:%M} a.m."
    assert f'Figures as of <time datetime="{timezone.localtime(at).isoformat()}">{shown}' in page
    assert "they are brought up to date every few minutes" in page
    assert STALE not in page


def test_the_csv_gives_the_time_of_the_figures_beside_each_of_them(practice: Practice) -> None:
    at = timezone.now() - datetime.timedelta(minutes=3)
    practice_figures_refresh(now=at)
    client = client_for(practice.world.admin)

    response = client.get(reverse("dashboard:csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "as_of"
    assert {row[-1] for row in rows[1:]} == {_iso(at)}


def test_survey_results_are_read_live_and_carry_no_time(practice: Practice) -> None:
    def survey(division: Unit | None) -> list[SurveyRow]:
        return [SurveyRow(division="Division 1", question="Q", agree_percent=80, respondents=6)]

    page = dashboard_page(
        division=None,
        divisions=[],
        whole_organization_allowed=True,
        figures=practice_figures_for(scope=""),
        survey_source=survey,
    )

    rows = dashboard_rows(page)
    assert [row[-1] for row in rows if row[0] == "survey"] == [""]
    assert all(row[-1] == _iso(page.computed_at) for row in rows if row[0] != "survey")


def test_a_checkin_shows_after_the_next_refresh_and_not_before(practice: Practice) -> None:
    world = practice.world
    practice_figures_refresh(now=timezone.now() - datetime.timedelta(minutes=2))
    assert "1 of 4 key results checked in within their team" in _page(practice)

    checkin_create(author=world.member, key_result=world.kr_a2, value=Decimal(5), confidence=7)

    assert "1 of 4 key results checked in within their team" in _page(practice)
    practice_figures_refresh()
    assert "2 of 4 key results checked in within their team" in _page(practice)


def test_a_completed_retrospective_shows_after_the_next_refresh_and_not_before(
    practice: Practice,
) -> None:
    world = practice.world
    client = client_for(world.admin)
    practice_figures_refresh(now=timezone.now() - datetime.timedelta(minutes=2))

    def completed() -> int:
        page = client.get(reverse("dashboard:index")).context["page"]
        t2 = next(row for row in page.cycles if row.cycle == world.closed_cycle)
        return int(t2.retrospectives_completed)

    assert completed() == 1
    Retrospective.objects.filter(team=world.team_b).update(completed_at=timezone.now())
    assert completed() == 1
    practice_figures_refresh()
    assert completed() == 2


def test_figures_the_scheduler_stopped_refreshing_are_flagged(practice: Practice) -> None:
    practice_figures_refresh(now=timezone.now() - datetime.timedelta(hours=1, minutes=1))
    assert STALE in _page(practice)

    practice_figures_refresh()
    assert STALE not in _page(practice)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_time_of_the_figures_is_shown_in_every_language(
    practice: Practice, language: str
) -> None:
    at = timezone.now() - datetime.timedelta(minutes=3)
    practice_figures_refresh(now=at)

    page = _page(practice, language)

    assert f'<html lang="{language}"' in page
    assert f'<time datetime="{timezone.localtime(at).isoformat()}">' in page
