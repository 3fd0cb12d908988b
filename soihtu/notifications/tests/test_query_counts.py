"""The team's notifications page does the same number of queries with ten times the webhooks
and messages, and few."""

from __future__ import annotations

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.notifications.models import Delivery, Problem
from soihtu.notifications.tests.helpers import add_webhook


def fill(world: World, webhooks: int, deliveries: int) -> None:
    for n in range(webhooks):
        webhook = add_webhook(world, f"https://hooks.example.org/{n}/abcdefgh")
        Delivery.objects.bulk_create(
            Delivery(
                webhook=webhook,
                event=Delivery.Event.SUCCESS,
                key=f"success:{n}:{i}",
                payload={"n": i},
                state=Delivery.State.FAILED if i % 2 else Delivery.State.PENDING,
                attempts=i % 7,
                last_status=500,
                last_error=Problem.HTTP_STATUS,
            )
            for i in range(deliveries)
        )


def counts(world: World) -> dict[str, int]:
    client = client_for(world.torchbearer)
    return page_query_counts(
        client, {"team": reverse("notifications:team", kwargs={"unit_id": world.team_a.pk})}
    )


def test_team_page_does_a_constant_number_of_queries(world: World) -> None:
    fill(world, 1, 3)
    small = counts(world)
    fill(world, 10, 30)
    large = counts(world)
    assert_constant_and_few(small, large)
