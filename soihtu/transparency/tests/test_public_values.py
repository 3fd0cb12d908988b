"""The public page says where each published key result stands: its start, current and target
values with the unit (a percentage alone reads the wrong way round for a decrease), the day of
its last update, and what committed and aspirational mean. The open data carries the same."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, make_kr
from soihtu.okrs.models import KeyResult
from soihtu.transparency.tests.helpers import publish


def waiting_time(world: World) -> KeyResult:
    """A decrease from 12 to 5 minutes, now at 12: progress 0 %, which alone would read as
    'nothing to decrease'."""
    kr = make_kr(
        world.org_objective,
        "Jonotusaika",
        kind=KeyResult.Kind.DECREASE,
        start_value=Decimal(12),
        target_value=Decimal(5),
        unit_of_measure="min",
    )
    checkin_create(
        author=world.admin, key_result=kr, value=Decimal(12), confidence=6, note="Ei julkinen"
    )
    return kr


def page(language: str = "en") -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("transparency:public"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_key_result_shows_its_start_current_and_target_values_with_the_unit(
    world: World,
) -> None:
    publish(world)
    waiting_time(world)
    html = page()
    assert "Start: 12 min · " in html
    assert "Now: 12 min · " in html
    assert "Target: 5 min" in html
    assert "Ei julkinen" not in html  # the check-in's note stays private


def test_a_key_result_shows_the_day_of_its_last_update(world: World) -> None:
    publish(world)
    waiting_time(world)
    html = page()
    assert 'Updated <time datetime="2026-11-27">' in html
    # The world's own key result has had no check-in.
    assert "Not updated yet" in html


def test_a_key_result_without_updates_shows_no_current_value(world: World) -> None:
    publish(world)
    html = page()
    assert "Start: 3.9 · " in html
    assert "Target: 4.3" in html
    assert "Now:" not in html


def test_a_guardrail_shows_its_threshold_and_a_milestone_whether_it_is_done(
    world: World,
) -> None:
    publish(world)
    make_kr(
        world.org_objective,
        "Tyytyväisyys pysyy",
        kind=KeyResult.Kind.STAY_ABOVE,
        start_value=Decimal(0),
        target_value=Decimal(4),
        current_value=Decimal("4.2"),
        unit_of_measure="(1–5)",
    )
    make_kr(world.org_objective, "Palvelulupaus julkaistu", kind=KeyResult.Kind.MILESTONE)
    html = page()
    assert "Now: 4.2 (1–5) · " in html
    assert "Target: stay above 4 (1–5)" in html
    assert "Start: 0" not in html  # a guardrail has no start
    assert "Milestone: not done" in html


def test_the_page_explains_committed_and_aspirational(world: World) -> None:
    publish(world)
    html = page()
    assert "A committed objective is a promise" in html
    assert "An aspirational objective is deliberately ambitious" in html


def test_open_data_carries_the_values_and_the_day_of_the_last_update(world: World) -> None:
    publish(world)
    kr = waiting_time(world)
    data = json.loads(Client().get(reverse("transparency:json")).content)
    (objective,) = data["objectives"]
    row = next(k for k in objective["key_results"] if k["id"] == kr.pk)
    assert row == {
        "id": kr.pk,
        "title": "Jonotusaika",
        "progress": 0.0,
        "progress_percent": 0,
        "kind": "decrease",
        "unit": "min",
        "start_value": 12.0,
        "target_value": 5.0,
        "current_value": 12.0,
        "last_update": "2026-11-27",
    }
    body = Client().get(reverse("transparency:csv")).content.decode("utf-8-sig")
    (csv_row,) = [r for r in csv.DictReader(io.StringIO(body)) if r["id"] == str(kr.pk)]
    assert csv_row["record"] == "key_result"
    assert (csv_row["kind"], csv_row["unit"]) == ("decrease", "min")
    assert (csv_row["start_value"], csv_row["current_value"], csv_row["target_value"]) == (
        "12.0",
        "12.0",
        "5.0",
    )
    assert csv_row["last_update"] == "2026-11-27"


def test_the_last_update_is_the_day_in_helsinki(world: World) -> None:
    publish(world)
    kr = waiting_time(world)
    late = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC)  # 27th in Helsinki
    KeyResult.objects.filter(pk=kr.pk).update(last_checkin_at=late)
    data = json.loads(Client().get(reverse("transparency:json")).content)
    rows = data["objectives"][0]["key_results"]
    assert next(k for k in rows if k["id"] == kr.pk)["last_update"] == "2026-11-27"
    assert 'datetime="2026-11-27"' in page()
