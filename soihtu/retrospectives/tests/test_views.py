"""The retrospective page and its write views: the permission matrix, bad input, the story."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.cycles.models import TeamCycle
from soihtu.learning.models import Learning
from soihtu.retrospectives.models import KeyResultScore, ObjectiveReview, Retrospective
from soihtu.retrospectives.services import fingerprint, notes_values, review_values, score_values
from soihtu.retrospectives.tests.helpers import open_review

TEAM_A = {"admin", "supervisor", "torchbearer", "member"}
LEADERS = {"admin", "supervisor", "torchbearer"}
PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]


def url(world: World, name: str = "team", *extra: int) -> str:
    return reverse(f"retrospectives:{name}", args=[world.team_a.pk, world.cycle.pk, *extra])


@dataclass
class WriteCase:
    name: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, str]]
    allowed: set[str]


def review_data(world: World) -> dict[str, str]:
    p = f"review-{world.objective_a.pk}-"
    seen = fingerprint(review_values(None, world.objective_a))
    return {
        p + "outcome": "partly",
        p + "learned": "Opimme paljon",
        p + "why": "Syy",
        p + "seen": seen,
    }


def score_data(world: World) -> dict[str, str]:
    p = f"kr-{world.kr_a1.pk}-"
    seen = fingerprint(score_values(None))
    return {p + "adjusted_score": "0.5", p + "reason": "Syy", p + "seen": seen}


def notes_data(world: World) -> dict[str, str]:
    seen = fingerprint(notes_values(None))
    return {"notes-what_worked": "Hyvä", "notes-what_we_change": "Muutos", "notes-seen": seen}


CASES = [
    WriteCase("review", lambda w: url(w, "save"), review_data, TEAM_A),
    WriteCase("score", lambda w: url(w, "save"), score_data, TEAM_A),
    WriteCase("notes", lambda w: url(w, "save"), notes_data, TEAM_A),
    WriteCase(
        "participants",
        lambda w: url(w, "save"),
        lambda w: {"participants-participants": [str(w.member.pk)], "participants-seen": ""},  # type: ignore[dict-item]
        LEADERS,
    ),
    WriteCase(
        "complete",
        lambda w: url(w, "save"),
        lambda w: {"complete": "yes", "complete-complete_anyway": "on"},
        LEADERS,
    ),
]


def _state() -> tuple[int, int, int, int, int]:
    return (
        Retrospective.objects.filter(completed_at__isnull=False).count(),
        ObjectiveReview.objects.count(),
        KeyResultScore.objects.count(),
        Learning.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_write_permission_matrix(world: World, case: WriteCase, persona: str) -> None:
    open_review(world)
    client = client_for(world.persona(persona))
    before = _state()
    response = client.post(case.url(world), case.data(world))
    if persona in case.allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _state() != before
    elif case.name == "participants" and persona == "member":
        assert response.status_code == 302  # the block is not theirs: left as it was
        assert _state() == before
    else:
        assert response.status_code == (403 if persona in TEAM_A else 404)
        assert _state() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_get_is_not_allowed_on_writes(world: World, case: WriteCase) -> None:
    open_review(world)
    assert client_for(world.torchbearer).get(case.url(world)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_is_for_the_team(world: World, persona: str) -> None:
    open_review(world)
    response = client_for(world.persona(persona)).get(url(world))
    assert response.status_code == (200 if persona in TEAM_A else 404)


def test_member_sees_forms_but_not_the_complete_button(world: World) -> None:
    open_review(world)
    html = client_for(world.member).get(url(world)).content.decode()
    assert 'id="retrospective-form"' in html
    assert "Complete the retrospective" not in html
    html = client_for(world.torchbearer).get(url(world)).content.decode()
    assert "Complete the retrospective" in html


def test_writes_are_refused_when_not_open(world: World) -> None:
    client = client_for(world.member)
    before = _state()
    response = client.post(url(world, "save"), review_data(world))
    assert response.status_code == 400
    assert "The retrospective is not open." in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"adjusted_score": "1.5", "reason": "x"},
        {"adjusted_score": "0.5", "reason": ""},
        {"adjusted_score": "abc", "reason": "x"},
        {"adjusted_score": "0.55", "reason": "x"},
    ],
)
def test_bad_scores_change_nothing(world: World, data: dict[str, str]) -> None:
    open_review(world)
    prefix = f"kr-{world.kr_a1.pk}-"
    before = _state()
    response = client_for(world.member).post(
        url(world, "save"), score_data(world) | {prefix + k: v for k, v in data.items()}
    )
    assert response.status_code == 400
    assert _state() == before


def test_review_adjusted_without_reason_changes_nothing(world: World) -> None:
    open_review(world)
    data = review_data(world) | {f"review-{world.objective_a.pk}-adjusted_score": "0.3"}
    before = _state()
    response = client_for(world.member).post(url(world, "save"), data)
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert _state() == before


def test_review_of_another_teams_objective_is_not_written(world: World) -> None:
    open_review(world)
    p = f"review-{world.objective_b.pk}-"
    data = {p + "outcome": "reached", p + "learned": "Ei meidän", p + "seen": ""}
    before = _state()
    response = client_for(world.member).post(url(world, "save"), data)
    assert response.status_code == 302
    assert _state() == before


def test_carry_over_without_next_cycle_changes_nothing(world: World) -> None:
    open_review(world)
    before = _state()
    response = client_for(world.torchbearer).post(
        url(world, "save"),
        {
            "complete": "yes",
            "complete-complete_anyway": "on",
            "complete-carry_over": [str(world.objective_a.pk)],
        },
    )
    assert response.status_code == 400
    assert "no next cycle" in response.content.decode()
    assert _state() == before


def test_start_button_in_the_last_two_weeks(world: World) -> None:
    import datetime

    import time_machine

    from soihtu.conftest import HELSINKI

    client = client_for(world.torchbearer)
    assert client.post(url(world, "start")).status_code == 400
    assert "Start the retrospective" not in client.get(url(world)).content.decode()
    with time_machine.travel(datetime.datetime(2026, 12, 18, 10, tzinfo=HELSINKI), tick=False):
        client = client_for(world.torchbearer)  # sessions expire: sign in again
        assert "Start the retrospective" in client.get(url(world)).content.decode()
        assert client_for(world.member).post(url(world, "start")).status_code == 403
        assert client.post(url(world, "start")).status_code == 302
    assert TeamCycle.objects.get(team=world.team_a).state == "review"
    assert 'id="retrospective-form"' in client.get(url(world)).content.decode()


def test_complete_through_the_page(world: World) -> None:
    open_review(world)
    client = client_for(world.torchbearer)
    client.post(url(world, "save"), review_data(world))
    data = {"complete": "yes", "complete-complete_anyway": "on"}
    response = client.post(url(world, "save"), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opimme paljon" in html
    assert Learning.objects.get().text == "Opimme paljon"
