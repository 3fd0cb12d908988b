"""Each token may make API_RATE_LIMIT_PER_MINUTE requests a minute, counted by the database;
then 429 with Retry-After, and nothing is done, until the next minute."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from soihtu.api.models import ApiToken, RateLimitWindow
from soihtu.api.services import rate_limit_hit
from soihtu.api.tests.helpers import for_user
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World

START = datetime.datetime(2026, 11, 27, 12, 0, 10, tzinfo=datetime.UTC)


@override_settings(API_RATE_LIMIT_PER_MINUTE=3)
def test_the_request_over_the_limit_answers_429_until_the_next_minute(world: World) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        api = for_user(world.member)
        other = for_user(world.member)
        for _ in range(3):
            assert api.get("/themes").status_code == 200
        refused = api.post(
            f"/key-results/{world.kr_a1.pk}/check-ins", {"value": 8, "confidence": 6}
        )
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert refused["Retry-After"] == "50"
        assert not CheckIn.objects.exists()
        # Another token has its own count.
        assert other.get("/themes").status_code == 200
        traveller.move_to(START + datetime.timedelta(seconds=50))
        assert api.get("/themes").status_code == 200


@override_settings(API_RATE_LIMIT_PER_MINUTE=2)
def test_the_count_is_kept_in_the_database_and_old_windows_go(world: World) -> None:
    api = for_user(world.member)
    token = ApiToken.objects.get()
    with time_machine.travel(START, tick=False):
        api.get("/themes")
        api.get("/themes")
        assert RateLimitWindow.objects.get(token=token).count == 2
    with time_machine.travel(START + datetime.timedelta(minutes=3), tick=False):
        assert rate_limit_hit(token=token, now=timezone.now()) is None
        assert RateLimitWindow.objects.get(token=token).count == 1


@pytest.mark.parametrize("seconds", [0, 59])
def test_retry_after_is_the_rest_of_the_minute(world: World, seconds: int) -> None:
    for_user(world.member)
    token = ApiToken.objects.get()
    now = START.replace(second=seconds)
    with override_settings(API_RATE_LIMIT_PER_MINUTE=0):
        assert rate_limit_hit(token=token, now=now) == max(1, 60 - seconds)


def test_last_use_is_recorded(world: World) -> None:
    api = for_user(world.member)
    assert ApiToken.objects.get().last_used_at is None
    api.get("/themes")
    assert ApiToken.objects.get().last_used_at is not None
