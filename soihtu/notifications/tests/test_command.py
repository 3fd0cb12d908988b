"""One cron line runs everything: `followup_schedule` queues the notifications task next to the
reminders and drains the queue, which posts the summaries and the waiting messages."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from soihtu.conftest import World
from soihtu.notifications.models import Delivery
from soihtu.notifications.tests.helpers import add_webhook, minutes, now, share
from soihtu.notifications.tests.receiver import Receiver


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_posts_the_success_and_the_summary_through_the_queue(
    world: World, receiver: Receiver
) -> None:
    add_webhook(world, receiver.url)
    share(world)  # committed: the deliver task is queued
    call_command("followup_schedule", stdout=StringIO())
    events = sorted(r.headers["X-Soihtu-Event"] for r in receiver.requests)
    assert events == ["checkin_summary", "success"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {
        "soihtu.notifications.tasks.deliver",
        "soihtu.notifications.tasks.notify_teams",
        "soihtu.followup.tasks.send_reminders",
    } <= paths
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    call_command("followup_schedule", stdout=StringIO())
    assert len(receiver.requests) == 2


def test_the_scheduler_retries_a_failed_message_later(world: World, receiver: Receiver) -> None:
    receiver.status = 500
    add_webhook(world, receiver.url, send_checkin_summary=False)
    share(world)
    call_command("followup_schedule", "--now", stdout=StringIO())
    assert len(receiver.requests) == 1
    call_command("followup_schedule", "--now", stdout=StringIO())
    assert len(receiver.requests) == 1  # not due again for a minute
    receiver.status = 200
    later = now() + minutes(1.5)
    with time_machine.travel(later, tick=False):
        out = StringIO()
        call_command("followup_schedule", "--now", stdout=out)
    assert "Delivered 1 webhook messages." in out.getvalue()
    assert len(receiver.requests) == 2
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_without_webhooks_no_notifications_task_is_queued(world: World) -> None:
    call_command("followup_schedule", "--no-drain", stdout=StringIO())
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "soihtu.followup.tasks.send_reminders"
    ]
