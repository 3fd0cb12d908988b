"""Sharing a success queues one message per webhook of the team that takes successes, and
never waits for nor fails because of a webhook."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from soihtu.conftest import World, client_for
from soihtu.notifications import payloads, services
from soihtu.notifications.models import Delivery, Problem
from soihtu.notifications.tasks import deliver
from soihtu.notifications.tests.helpers import add_webhook, now, share
from soihtu.notifications.tests.receiver import Receiver, closed_port_url
from soihtu.successes.models import Success

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_sharing_with_a_dead_endpoint_succeeds_at_once_and_the_message_waits(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    add_webhook(world, closed_port_url())
    client = client_for(world.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("successes:new", args=[world.team_a.pk]),
            {"title": "Jono purettu", "story": "Teimme sen.", "objectives": [world.objective_a.pk]},
        )
    success = Success.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("successes:detail", args=[success.pk])
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 0)
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [delivery.pk]

    assert deliver.call(delivery.pk) == Delivery.State.PENDING
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (1, Problem.CONNECTION)
    assert Success.objects.filter(pk=success.pk).exists()


def test_a_broken_queue_does_not_fail_the_sharing(
    world: World,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    add_webhook(world, receiver.url)

    def broken(*args: object) -> None:
        raise RuntimeError("the queue is down")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    with django_capture_on_commit_callbacks(execute=True):
        success = share(world)
    assert Success.objects.filter(pk=success.pk).exists()
    assert not DBTaskResult.objects.exists()
    # The scheduler finds the message anyway.
    assert services.deliveries_send(now()) == 1
    assert len(receiver.requests) == 1


def test_a_broken_message_does_not_fail_the_sharing(
    world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_webhook(world, receiver.url)

    def broken(*args: object) -> None:
        raise ValueError("a bug in the message")

    monkeypatch.setattr(payloads, "success_message", broken)
    success = share(world)
    assert Success.objects.filter(pk=success.pk).exists()
    assert not Delivery.objects.exists()


def test_only_the_teams_own_webhooks_that_take_successes_and_are_on_get_it(
    world: World, receiver: Receiver
) -> None:
    taking = add_webhook(world, receiver.url)
    add_webhook(world, receiver.url, send_successes=False)
    off = add_webhook(world, receiver.url)
    services.webhook_enabled_set(actor=world.admin, webhook=off, enabled=False)
    add_webhook(world, receiver.url, team=world.team_b)
    share(world)
    assert [d.webhook_id for d in Delivery.objects.all()] == [taking.pk]


def test_no_webhooks_no_messages(world: World) -> None:
    share(world)
    assert not Delivery.objects.exists()


def test_a_refused_sharing_leaves_no_message(world: World, receiver: Receiver) -> None:
    add_webhook(world, receiver.url)
    client = client_for(world.member_b)
    response = client.post(
        reverse("successes:new", args=[world.team_a.pk]), {"title": "x", "story": "y"}
    )
    assert response.status_code == 403
    assert not Delivery.objects.exists()
