"""Posting deliveries to a receiver on 127.0.0.1: both formats, the signature, and what happens
when the endpoint fails, hangs, redirects or is gone."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from soihtu.conftest import NOW, World
from soihtu.notifications import sending, services
from soihtu.notifications.models import Delivery, Problem, TeamWebhook
from soihtu.notifications.tasks import deliver
from soihtu.notifications.tests.helpers import add_webhook, fresh, minutes, now, share
from soihtu.notifications.tests.receiver import Receiver, closed_port_url

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_shared_success_is_posted_as_generic_json_with_a_valid_signature(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Capture
) -> None:
    receiver.secret = "s3cret-value"
    webhook = add_webhook(world, receiver.url, secret="s3cret-value")
    with django_capture_on_commit_callbacks(execute=True):
        success = share(world)
    delivery = Delivery.objects.get()
    assert (delivery.webhook, delivery.event, delivery.state) == (
        webhook,
        Delivery.Event.SUCCESS,
        Delivery.State.PENDING,
    )
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "soihtu.notifications.tasks.deliver"
    assert queued.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    assert receiver.requests == []  # nothing is posted in the person's request

    assert deliver.call(delivery.pk) == Delivery.State.SENT

    [request] = receiver.requests
    assert request.signature_ok is True
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["X-Soihtu-Event"] == "success"
    assert request.headers["X-Soihtu-Delivery"] == str(delivery.pk)
    body = request.json()
    base = "https://okr.example.fi"
    assert body["event"] == "success"
    assert body["language"] == "en"
    assert body["team"] == {
        "id": world.team_a.pk,
        "name": "Team A",
        "url": base + reverse("okrs:unit", args=[world.team_a.pk]),
    }
    assert body["url"] == base + reverse("successes:detail", args=[success.pk])
    assert body["success"]["id"] == success.pk
    assert body["success"]["title"] == "Jono purettu"
    assert body["success"]["story"].startswith("Teimme sen yhdessä.")
    assert len(body["success"]["story"]) <= 300 < len(success.story)
    assert body["title"] == "Success: Jono purettu"
    delivery = fresh(delivery)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("sent", 1, 200)
    assert delivery.sent_at is not None
    assert delivery.next_attempt_at is None
    webhook.refresh_from_db()
    assert webhook.last_success_at is not None
    assert not webhook.is_failing


def test_a_wrong_secret_fails_the_receivers_check(world: World, receiver: Receiver) -> None:
    receiver.secret = "the-right-one"
    add_webhook(world, receiver.url, secret="another-one")
    share(world)
    services.deliveries_send(now())
    [request] = receiver.requests
    assert request.signature_ok is False


def test_teams_gets_an_adaptive_card_in_the_message_envelope_unsigned(
    world: World, receiver: Receiver
) -> None:
    add_webhook(world, receiver.url, kind=TeamWebhook.Kind.TEAMS, language="sv")
    success = share(world)
    assert services.deliveries_send(now()) == 1
    [request] = receiver.requests
    assert "X-Soihtu-Signature" not in request.headers
    body = request.json()
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.4"
    assert "Jono purettu" in card["body"][0]["text"]
    assert all(block["wrap"] for block in card["body"] if block["type"] == "TextBlock")
    [action] = card["actions"]
    assert action["type"] == "Action.OpenUrl"
    assert action["url"] == "https://okr.example.fi" + reverse(
        "successes:detail", args=[success.pk]
    )


def test_an_endpoint_answering_500_is_retried_with_growing_pauses_until_failed(
    world: World, receiver: Receiver
) -> None:
    receiver.status = 500
    webhook = add_webhook(world, receiver.url)
    delivery = Delivery.objects.get(pk=services.webhook_test(actor=world.admin, webhook=webhook).pk)
    assert delivery.next_attempt_at is not None
    at = delivery.next_attempt_at
    pauses = [minutes(1), minutes(5), minutes(30), minutes(120), minutes(720)]
    for attempt, pause in enumerate(pauses, start=1):
        with time_machine.travel(at, tick=False):
            services.deliveries_send(at)
        delivery = fresh(delivery)
        assert delivery.state == Delivery.State.PENDING
        assert delivery.attempts == attempt
        assert (delivery.last_status, delivery.last_error) == (500, Problem.HTTP_STATUS)
        assert delivery.next_attempt_at == at + pause
        with time_machine.travel(at + pause - minutes(0.5), tick=False):
            services.deliveries_send(at + pause - minutes(0.5))  # not due yet
        assert len(receiver.requests) == attempt
        at = at + pause
    with time_machine.travel(at, tick=False):
        services.deliveries_send(at)
    delivery = fresh(delivery)
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, services.MAX_ATTEMPTS)
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == services.MAX_ATTEMPTS
    webhook.refresh_from_db()
    assert webhook.is_failing
    assert (webhook.last_error, webhook.last_status) == (Problem.HTTP_STATUS, 500)
    receiver.status = 200
    with time_machine.travel(at + minutes(60 * 24 * 7), tick=False):
        services.deliveries_send(at + minutes(60 * 24 * 7))
    assert len(receiver.requests) == services.MAX_ATTEMPTS  # failed stays failed


def test_a_retry_that_succeeds_clears_the_failing_state(world: World, receiver: Receiver) -> None:
    receiver.status = 503
    webhook = add_webhook(world, receiver.url)
    share(world)
    services.deliveries_send(now())
    webhook.refresh_from_db()
    assert webhook.is_failing
    receiver.status = 204
    later = NOW + minutes(2)
    with time_machine.travel(later, tick=False):
        assert services.deliveries_send(later) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("sent", 2, 204)
    assert delivery.last_error == ""
    webhook.refresh_from_db()
    assert not webhook.is_failing


def test_a_closed_port_is_a_connection_problem_retried_in_a_minute(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        add_webhook(world, closed_port_url())
        share(world)
        assert services.deliveries_send(NOW) == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 1)
    assert (delivery.last_error, delivery.last_status) == (Problem.CONNECTION, None)
    assert delivery.next_attempt_at == NOW + minutes(1)


def test_an_endpoint_that_hangs_times_out(
    world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sending, "READ_TIMEOUT", 0.2)
    receiver.hang = True
    add_webhook(world, receiver.url)
    share(world)
    services.deliveries_send(now())
    receiver.release.set()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_error) == (Delivery.State.PENDING, Problem.TIMEOUT)
    assert len(receiver.requests) == 1


def test_redirects_are_not_followed(world: World, receiver: Receiver) -> None:
    receiver.redirect_to = "/somewhere-else"
    add_webhook(world, receiver.url)
    share(world)
    services.deliveries_send(now())
    assert [r.path for r in receiver.requests] == ["/hook/abcd1234efgh5678"]
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status) == (Delivery.State.PENDING, 302)


def test_one_failure_holds_the_webhooks_other_messages_to_the_next_run(
    world: World, receiver: Receiver
) -> None:
    receiver.status = 500
    add_webhook(world, receiver.url)
    share(world, "Ensimmäinen")
    share(world, "Toinen")
    services.deliveries_send(now())
    assert len(receiver.requests) == 1
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [0, 1]


def test_a_delivery_is_posted_once_even_when_attempted_twice(
    world: World, receiver: Receiver
) -> None:
    add_webhook(world, receiver.url)
    share(world)
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery.pk, now()) is not None
    assert services.delivery_attempt(delivery.pk, now()) is None
    assert deliver.call(delivery.pk) == ""
    assert len(receiver.requests) == 1


def test_a_claimed_delivery_is_not_due_for_another_worker(world: World, receiver: Receiver) -> None:
    add_webhook(world, receiver.url)
    share(world)
    delivery = Delivery.objects.get()
    assert services._claim(delivery.pk, now()) is not None
    assert services._claim(delivery.pk, now()) is None
    assert services.deliveries_send(now()) == 0
    assert receiver.requests == []


def test_messages_for_a_webhook_turned_off_fail_without_posting(
    world: World, receiver: Receiver
) -> None:
    webhook = add_webhook(world, receiver.url)
    share(world)
    services.webhook_enabled_set(actor=world.torchbearer, webhook=webhook, enabled=False)
    services.deliveries_send(now())
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_error) == (Delivery.State.FAILED, Problem.DISABLED)
    assert receiver.requests == []


def test_internal_addresses_are_refused_when_posting_in_production(
    world: World, receiver: Receiver, settings: Any
) -> None:
    add_webhook(world, receiver.url)
    share(world)
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = False
    services.deliveries_send(now())
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_error) == (Delivery.State.PENDING, Problem.ADDRESS)
    assert receiver.requests == []


def test_failed_messages_started_over_go_out_again(world: World, receiver: Receiver) -> None:
    receiver.status = 500
    webhook = add_webhook(world, receiver.url)
    share(world)
    Delivery.objects.update(state=Delivery.State.FAILED, attempts=6, next_attempt_at=None)
    receiver.status = 200
    assert services.deliveries_retry(actor=world.admin, deliveries=Delivery.objects.all()) == 1
    assert services.deliveries_send(now()) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.webhook) == ("sent", 1, webhook)
