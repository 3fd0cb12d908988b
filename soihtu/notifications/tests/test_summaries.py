"""The check-in summary: once per webhook and cadence period of the active cycle, about the
period just ended, in the webhook's language, and never for teams that have nothing to tell."""

from __future__ import annotations

import datetime
from functools import partial
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from soihtu.conftest import World
from soihtu.cycles.models import Cycle
from soihtu.followup.services import cadence_set
from soihtu.followup.tests.helpers import check_in
from soihtu.notifications import payloads, services
from soihtu.notifications.models import Delivery, TeamWebhook
from soihtu.notifications.selectors import summary_period
from soihtu.notifications.tests.helpers import add_webhook, now
from soihtu.notifications.tests.receiver import Receiver

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def summary_webhook(world: World, url: str, **extra: Any) -> TeamWebhook:
    return add_webhook(world, url, send_successes=False, **extra)


def history(world: World) -> None:
    """kr_a1 checked in during the period that ended 23.11., kr_a2 before it (so it is due
    now, not stale), and the restricted objective's key result in it too."""
    with time_machine.travel(at(datetime.date(2026, 11, 5)), tick=False):
        check_in(world.torchbearer, world.kr_a2, value="0", confidence=5)
    with time_machine.travel(at(datetime.date(2026, 11, 12)), tick=False):
        check_in(world.member, world.kr_a1, value="10", confidence=6)
    with time_machine.travel(at(datetime.date(2026, 11, 15)), tick=False):
        check_in(world.member, world.kr_a1, value="8", confidence=7)
        check_in(world.torchbearer, world.restricted_a.key_results.get(), value="1")


def test_summary_tells_about_the_period_just_ended(world: World, receiver: Receiver) -> None:
    history(world)
    webhook = summary_webhook(world, receiver.url)
    [delivery] = services.summaries_plan(now())
    assert (delivery.webhook, delivery.event) == (webhook, Delivery.Event.CHECKIN_SUMMARY)
    # Cadence 14 days from 1.9.: the seventh period began 24.11., the sixth is told about.
    assert delivery.key == f"summary:{world.cycle.pk}:14:5"
    assert services.deliveries_send(now()) == 1
    [request] = receiver.requests
    body = request.json()
    assert body["event"] == "checkin_summary"
    assert body["title"] == "Check-in summary: Team A"
    assert body["cycle"] == {"id": world.cycle.pk, "name": str(world.cycle)}
    assert body["period"] == {"starts_on": "2026-11-10", "ends_on": "2026-11-23"}
    assert body["url"] == f"https://okr.example.fi/teams/{world.team_a.pk}/follow-up/"
    [objective] = body["objectives"]  # the restricted objective is left out
    assert (objective["id"], objective["title"]) == (world.objective_a.pk, "Nopeampi palvelu")
    assert objective["progress_percent"] == 29  # kr_a1 at 57 %, kr_a2 at 0 %
    assert objective["url"] == f"https://okr.example.fi/objectives/{world.objective_a.pk}/"
    [checked] = body["checked_in"]
    assert (checked["id"], checked["confidence"], checked["checkins"]) == (world.kr_a1.pk, 7, 2)
    assert checked["progress_percent"] == 57
    assert [kr["id"] for kr in body["due"]] == [world.kr_a2.pk]
    assert body["stale"] == []
    for person in [world.member, world.torchbearer]:  # nobody is named
        assert person.first_name not in request.body.decode()


def test_stale_key_results_are_listed_apart_from_due_ones(world: World, receiver: Receiver) -> None:
    summary_webhook(world, receiver.url)
    services.summaries_plan(now())
    services.deliveries_send(now())
    body = receiver.requests[0].json()
    assert [kr["id"] for kr in body["stale"]] == [world.kr_a1.pk, world.kr_a2.pk]
    assert body["due"] == []
    assert body["checked_in"] == []


def test_the_scheduler_run_twice_posts_the_summary_once(world: World, receiver: Receiver) -> None:
    summary_webhook(world, receiver.url)
    call_command("followup_schedule", "--now", stdout=StringIO())
    call_command("followup_schedule", "--now", stdout=StringIO())
    assert len(receiver.requests) == 1
    assert Delivery.objects.count() == 1


def test_the_next_period_gets_its_own_summary(world: World, receiver: Receiver) -> None:
    summary_webhook(world, receiver.url)
    services.notify(now())
    later = at(datetime.date(2026, 12, 8))
    with time_machine.travel(later, tick=False):
        services.notify(later)
        services.notify(later)
    assert len(receiver.requests) == 2
    assert receiver.requests[1].json()["period"] == {
        "starts_on": "2026-11-24",
        "ends_on": "2026-12-07",
    }


def test_the_teams_cadence_sets_the_period(world: World, receiver: Receiver) -> None:
    cadence_set(actor=world.supervisor, team=world.team_a, cadence=7)
    summary_webhook(world, receiver.url)
    [delivery] = services.summaries_plan(now())
    assert delivery.key == f"summary:{world.cycle.pk}:7:11"
    assert delivery.payload["period"] == {"starts_on": "2026-11-17", "ends_on": "2026-11-23"}


def test_nothing_to_tell_in_the_first_period(world: World, receiver: Receiver) -> None:
    summary_webhook(world, receiver.url)
    early = at(datetime.date(2026, 9, 10))
    with time_machine.travel(early, tick=False):
        assert services.summaries_plan(early) == []


def test_no_summary_without_an_active_cycle(world: World, receiver: Receiver) -> None:
    summary_webhook(world, receiver.url)
    after = at(datetime.date(2027, 1, 20))
    with time_machine.travel(after, tick=False):
        assert services.summaries_plan(after) == []
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.CLOSED)
    assert services.summaries_plan(now()) == []
    assert not Delivery.objects.exists()


def test_only_teams_with_a_webhook_taking_summaries_and_open_objectives_get_one(
    world: World, receiver: Receiver
) -> None:
    summary_webhook(world, receiver.url)
    add_webhook(world, receiver.url, send_checkin_summary=False)
    off = summary_webhook(world, receiver.url)
    services.webhook_enabled_set(actor=world.admin, webhook=off, enabled=False)
    summary_webhook(world, receiver.url, team=world.team_c)  # no objectives in the cycle
    created = services.summaries_plan(now())
    assert {(d.webhook.unit, d.webhook.send_successes) for d in created} == {(world.team_a, False)}
    assert len(created) == 1


def test_no_webhooks_nothing_planned(world: World) -> None:
    assert services.summaries_plan(now()) == []
    assert not Delivery.objects.exists()


def test_the_teams_card_is_in_the_webhooks_language(world: World, receiver: Receiver) -> None:
    summary_webhook(world, receiver.url, kind=TeamWebhook.Kind.TEAMS, language="sv")
    services.notify(now())
    card = receiver.requests[0].json()["attachments"][0]["content"]
    texts = [block.get("text") for block in card["body"]]
    assert "Mål" in texts
    assert "Nyckelresultat där uppdatering saknas" in texts
    facts = [block for block in card["body"] if block["type"] == "FactSet"]
    assert {"title": "Nopeampi palvelu", "value": facts[0]["facts"][0]["value"]} in facts[0][
        "facts"
    ]
    assert card["actions"][0]["url"] == f"https://okr.example.fi/teams/{world.team_a.pk}/follow-up/"


def test_a_racing_scheduler_creates_no_second_summary(world: World, receiver: Receiver) -> None:
    webhook = summary_webhook(world, receiver.url)
    [first] = services.summaries_plan(now())
    # As if another scheduler had planned it in between: the unique key refuses a second.
    period = summary_period(world.cycle, 14, now())
    assert period is not None
    build = partial(payloads.ping_message, world.team_a)
    event = Delivery.Event.CHECKIN_SUMMARY
    assert services._create_once(webhook, event, period.key, build) is None
    assert Delivery.objects.get() == first
