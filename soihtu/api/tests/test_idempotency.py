"""Posting a check-in with an Idempotency-Key: a retry records nothing new and answers as the
first time; the key reused for another request is refused; concurrent duplicates make one
check-in (the unique constraint decides); a failed request can be retried."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from soihtu.api.models import IdempotentRequest
from soihtu.api.tests.helpers import Api, for_user, personal_token
from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World
from soihtu.cycles.models import Cycle


def url(world: World) -> str:
    return f"/key-results/{world.kr_a1.pk}/check-ins"


def test_a_retry_with_the_same_key_records_one_check_in(world: World) -> None:
    api = for_user(world.member)
    first = api.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    retry = api.post(url(world), {"value": 8, "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert first["Location"] == retry["Location"] == f"/api/v1/check-ins/{first.json()['id']}"
    assert "Idempotent-Replayed" not in first
    assert CheckIn.objects.count() == 1
    assert AuditEvent.objects.filter(target_type="checkin").count() == 1


def test_the_same_key_for_another_request_is_refused(world: World) -> None:
    api = for_user(world.member)
    api.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    before = (CheckIn.objects.count(), AuditEvent.objects.count())
    other_value = api.post(
        url(world), {"value": "9", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1"
    )
    other_kr = api.post(
        f"/key-results/{world.kr_a2.pk}/check-ins",
        {"value": "8", "confidence": 7},
        HTTP_IDEMPOTENCY_KEY="run-1",
    )
    for response in (other_value, other_kr):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert (CheckIn.objects.count(), AuditEvent.objects.count()) == before


def test_keys_belong_to_one_token(world: World) -> None:
    first, second = for_user(world.member), for_user(world.member)
    first.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    second.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    assert CheckIn.objects.count() == 2


def test_without_a_key_every_post_records_a_check_in(world: World) -> None:
    api = for_user(world.member)
    api.post(url(world), {"value": "8", "confidence": 7})
    api.post(url(world), {"value": "8", "confidence": 7})
    assert CheckIn.objects.count() == 2
    assert not IdempotentRequest.objects.exists()


def test_a_refused_request_can_be_retried_with_its_key(world: World) -> None:
    api = for_user(world.member)
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.CLOSED)
    refused = api.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    assert refused.status_code == 422
    assert "closed" in refused.json()["error"]["message"]
    assert not IdempotentRequest.objects.exists()
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.ACTIVE)
    retry = api.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="run-1")
    assert retry.status_code == 201
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "ääkkönen", "with\ttab"])
def test_a_malformed_key_is_refused(world: World, key: str) -> None:
    api = for_user(world.member)
    response = api.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "Idempotency-Key"
    assert not CheckIn.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_make_one_check_in(world: World) -> None:
    """Both requests start together, each on a connection of its own; whichever commits
    first wins and the other replays its answer."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writes: there is no concurrency to test")
    secret = personal_token(world.member)
    start = threading.Barrier(2, timeout=10)
    answers: list[Any] = []

    def post() -> None:
        try:
            start.wait()
            response = Api(secret).post(
                url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="same"
            )
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == 2
    assert [status for status, _body in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert CheckIn.objects.count() == 1


def test_the_scheduler_forgets_keys_after_a_week(world: World) -> None:
    api = for_user(world.member)
    api.post(url(world), {"value": "8", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="old")
    api.post(url(world), {"value": "9", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="new")
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    call_command("followup_schedule", now=True, verbosity=0)
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == {"new"}
    retry = api.post(url(world), {"value": "9", "confidence": 7}, HTTP_IDEMPOTENCY_KEY="new")
    assert retry["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 2
