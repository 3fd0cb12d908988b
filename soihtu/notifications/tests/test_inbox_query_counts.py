"""The notifications page, the settings page and any page's bell do the same number of queries
with ten times the notifications."""

from __future__ import annotations

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.core.tests.queries import assert_pinned, page_query_counts
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.tests.inbox_helpers import Channel, Event, Kind, prefer

PINNED = {"inbox": 8, "inbox_page_2": 8, "settings": 7, "my_reminders": 6}


def fill(world: World, count: int) -> None:
    for n in range(count):
        people_notify(
            recipients=[world.member, world.member_b],
            event=Event.MENTIONED if n % 2 else Event.IDEA_MOVED,
            actor=world.supervisor,
            subject=f"Asia {n}",
            detail="tried",
            url="/ideas/",
        )


def counts(world: World) -> dict[str, int]:
    inbox = reverse("notifications:inbox")
    return page_query_counts(
        client_for(world.member),
        {
            "inbox": inbox,
            "inbox_page_2": inbox + "?page=2",
            "settings": reverse("notifications:settings"),
            "my_reminders": reverse("followup:my_reminders"),  # a page with just the bell
        },
    )


def test_pages_do_their_pinned_number_of_queries_at_two_sizes(world: World) -> None:
    prefer(world.member, Kind.IDEA, Channel.DIGEST)
    fill(world, 60)
    small = counts(world)
    fill(world, 600)
    large = counts(world)
    assert_pinned(PINNED, small, large)
