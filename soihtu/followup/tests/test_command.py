"""The scheduler command and the reminders task through the real database queue."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from soihtu.conftest import World
from soihtu.followup.models import ReminderLog
from soihtu.followup.tasks import send_reminders
from soihtu.followup.tests.helpers import check_in

Outbox = list[mail.EmailMessage]


def _only_member_due(world: World) -> None:
    check_in(world.torchbearer, world.kr_a2)
    check_in(world.member_b, world.kr_b1)


def test_command_now_twice_sends_nothing_twice(world: World, mailoutbox: Outbox) -> None:
    _only_member_due(world)
    call_command("followup_schedule", "--now", stdout=StringIO())
    first = len(mailoutbox)
    assert first >= 1
    assert [m for m in mailoutbox if world.member.email in m.to]
    call_command("followup_schedule", "--now", stdout=StringIO())
    assert len(mailoutbox) == first
    assert ReminderLog.objects.filter(sent_at__isnull=False).count() == first


def test_no_drain_only_queues_the_task(world: World, mailoutbox: Outbox) -> None:
    call_command("followup_schedule", "--no-drain", stdout=StringIO())
    assert mailoutbox == []
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "soihtu.followup.tasks.send_reminders"


@pytest.mark.django_db(transaction=True)
def test_command_queues_and_drains_through_the_database_queue_twice(
    world: World, mailoutbox: Outbox
) -> None:
    """The default path: enqueue in the database backend, run the worker in batch mode."""
    _only_member_due(world)
    call_command("followup_schedule", stdout=StringIO())
    first = len(mailoutbox)
    assert [m for m in mailoutbox if world.member.email in m.to]
    call_command("followup_schedule", stdout=StringIO())
    assert len(mailoutbox) == first
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert results[0].return_value == first
    assert results[1].return_value == 0


@pytest.mark.django_db(transaction=True)
def test_separate_worker_runs_the_queued_task(world: World, mailoutbox: Outbox) -> None:
    _only_member_due(world)
    result = send_reminders.enqueue()
    assert mailoutbox == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [m for m in mailoutbox if world.member.email in m.to]
