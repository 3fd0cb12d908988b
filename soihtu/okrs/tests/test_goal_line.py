"""A key result's line says what to reach or hold ("Increase to 52 %"), so that a target
is never read as a change ("by 52 %")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from soihtu.conftest import World, client_for, make_kr
from soihtu.okrs.models import GOAL_LINES, KeyResult

K = KeyResult.Kind


@pytest.mark.parametrize(
    ("kind", "start", "target", "unit", "line"),
    [
        (K.INCREASE, "40", "52", "%", "Increase to 52 %"),
        (K.DECREASE, "12", "5.00", "min", "Decrease to 5 min"),
        (K.STAY_ABOVE, "0", "4", "(scale 1–5)", "Stay above 4 (scale 1–5)"),
        (K.STAY_BELOW, "0", "2.5", "", "Stay below 2.5"),
        (K.MILESTONE, "0", "1", "", "Milestone"),
    ],
)
def test_the_line_says_to_what_value(
    world: World, kind: str, start: str, target: str, unit: str, line: str
) -> None:
    kr = make_kr(
        world.objective_a,
        "Measured",
        kind=kind,
        start_value=Decimal(start),
        target_value=Decimal(target),
        unit_of_measure=unit,
    )
    assert kr.goal_line == line


def test_the_team_page_shows_increase_to_the_target(world: World) -> None:
    make_kr(
        world.objective_a,
        "Calls answered the same day",
        start_value=Decimal(40),
        target_value=Decimal(52),
        unit_of_measure="%",
    )
    html = client_for(world.member).get(reverse("okrs:unit", args=[world.team_a.pk])).content
    assert "Increase to 52 %" in html.decode()


def test_the_finnish_line_is_its_own_sentence_not_the_kind_and_a_number(world: World) -> None:
    """The kind's name ("kasvata") before the bare target read as "grow by 52 %"."""
    make_kr(
        world.objective_a,
        "Calls answered the same day",
        start_value=Decimal(40),
        target_value=Decimal(52),
        unit_of_measure="%",
    )
    html = client_for(world.member, "fi").get(reverse("okrs:unit", args=[world.team_a.pk]))
    with translation.override("fi"):
        kind = str(KeyResult.Kind.INCREASE.label).capitalize()
        line = str(GOAL_LINES[KeyResult.Kind.INCREASE]) % {"target": "52 %"}
    assert f"{kind} 52 %" not in html.content.decode()
    assert line in html.content.decode()
