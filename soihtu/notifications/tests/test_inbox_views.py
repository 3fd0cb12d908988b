"""The notifications page: newest first, a page at a time; opening, marking read and marking all
read; and nobody sees or touches anyone else's."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soihtu.conftest import World, client_for
from soihtu.notifications.models import Notification
from soihtu.notifications.selectors import INBOX_PAGE_SIZE
from soihtu.notifications.tests.inbox_helpers import Event, notify

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
INBOX = reverse("notifications:inbox")


def state() -> list[tuple[int, datetime.datetime | None]]:
    return list(Notification.objects.order_by("pk").values_list("pk", "read_at"))


def test_page_shows_ones_own_newest_first_with_unread_in_words(world: World) -> None:
    old = notify(world.member, subject="Vanha ehdotus")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2),
        read_at=timezone.now() - datetime.timedelta(days=1),
    )
    notify(world.member, subject="Uusi ehdotus", event=Event.PROPOSAL_DECLINED, detail="Ei nyt")
    notify(world.member_b, subject="Toisen ilmoitus")
    html = client_for(world.member).get(INBOX).content.decode()
    assert html.index("Uusi ehdotus") < html.index("Vanha ehdotus")
    assert "Toisen ilmoitus" not in html
    assert "Unread:</span> Your proposal “Uusi ehdotus” was declined" in html
    assert "Ei nyt" in html
    assert "You have 1 unread notification." in html
    assert 'class="count">1<' in html  # the bell


def test_older_notifications_are_on_the_next_page(world: World) -> None:
    for n in range(INBOX_PAGE_SIZE + 1):
        notify(world.member, subject=f"Ehdotus {n:03}")
    first = client_for(world.member).get(INBOX).content.decode()
    assert f"Ehdotus {INBOX_PAGE_SIZE:03}" in first
    assert "Ehdotus 000" not in first
    assert 'rel="next"' in first
    second = client_for(world.member).get(INBOX, {"page": 2}).content.decode()
    assert "Ehdotus 000" in second


def test_open_marks_read_and_goes_to_the_page(world: World) -> None:
    n = notify(world.member, url="/planning/x/#proposal-1")
    response = client_for(world.member).post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/planning/x/#proposal-1"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_refuses_a_link_outside_soihtu_and_changes_nothing(world: World) -> None:
    n = notify(world.member)
    Notification.objects.filter(pk=n.pk).update(url="https://evil.example/")
    before = state()
    response = client_for(world.member).post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 400
    assert "does not lead to a page of Soihtu" in response.content.decode()
    assert state() == before


def test_mark_read_without_javascript_returns_to_the_page(world: World) -> None:
    n = notify(world.member)
    url = reverse("notifications:read", args=[n.pk])
    response = client_for(world.member).post(url, {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == INBOX + "?page=2"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_with_htmx_returns_the_row_and_the_bell(world: World) -> None:
    n = notify(world.member)
    notify(world.member)
    response = client_for(world.member).post(
        reverse("notifications:read", args=[n.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{n.pk}"' in html
    assert "Unread:" not in html
    assert 'id="bell"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'class="count">1<' in html


def test_mark_all_read_marks_only_ones_own(world: World) -> None:
    for _n in range(3):
        notify(world.member)
    other = notify(world.member_b)
    response = client_for(world.member).post(
        reverse("notifications:read_all"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="notification-list"' in html
    assert 'class="count"' not in html
    assert not Notification.objects.filter(recipient=world.member, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    plain = client_for(world.member).post(reverse("notifications:read_all"))
    assert plain.status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_sees_and_changes_only_their_own(world: World, persona: str) -> None:
    user = world.persona(persona)
    mine = {p: notify(world.persona(p), subject=f"Ilmoitus <{p}>") for p in PERSONAS}
    client = client_for(user)
    html = client.get(INBOX).content.decode()
    for p in mine:
        assert (f"Ilmoitus &lt;{p}&gt;" in html) == (p == persona)
    before = state()
    for p, n in mine.items():
        if p == persona:
            continue
        for name in ["open", "read"]:
            response = client.post(reverse(f"notifications:{name}", args=[n.pk]))
            assert response.status_code == 404, (name, p)
    assert state() == before
    assert client.post(reverse("notifications:read", args=[mine[persona].pk])).status_code == 302
    assert client.post(reverse("notifications:open", args=[mine[persona].pk])).status_code == 302


def test_a_missing_notification_is_404(world: World) -> None:
    client = client_for(world.member)
    assert client.post(reverse("notifications:open", args=[999999])).status_code == 404


def test_writes_are_post_only_and_pages_need_signing_in(world: World) -> None:
    n = notify(world.member)
    client = client_for(world.member)
    for url in [
        reverse("notifications:open", args=[n.pk]),
        reverse("notifications:read", args=[n.pk]),
        reverse("notifications:read_all"),
    ]:
        assert client.get(url).status_code == 405
    assert client.post(INBOX).status_code == 405
    before = state()
    for url in [INBOX, reverse("notifications:settings"), reverse("notifications:read_all")]:
        response = Client().post(url) if "read" in url else Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before
