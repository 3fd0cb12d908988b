"""In a browser: a person sets a kind to the daily digest with the keyboard, three notifications
arrive, two scheduler runs send exactly one digest; marking one read updates the bell in place;
axe finds nothing on the notifications and settings pages, which reflow at 320 px."""

from __future__ import annotations

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification, NotificationPreference

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]
AXE = Axe()
PAGES = ["/notifications/", "/notifications/settings/"]


def no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, (page.url, width)


def test_digest_chosen_with_the_keyboard_arrives_once(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    page = browsing.open(world.member, "en")
    page.goto("/notifications/settings/")
    page.locator("#id_proposal_0").focus()  # In Soihtu, the default
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_proposal_2")).to_be_checked()
    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    assert NotificationPreference.objects.get(user=world.member, kind="proposal").channel == (
        NotificationPreference.Channel.DIGEST
    )
    for title in ["Yksi", "Kaksi", "Kolme"]:
        people_notify(
            recipients=[world.member],
            event=Notification.Event.PROPOSAL_ACCEPTED,
            actor=world.torchbearer,
            subject=title,
            url=f"/teams/{world.team_a.pk}/planning/{world.cycle.pk}/",
        )
    mail.outbox.clear()
    call_command("followup_schedule", "--now", stdout=StringIO())
    call_command("followup_schedule", "--now", stdout=StringIO())
    digests = [m for m in mail.outbox if world.member.email in m.to and "Soihtu:" in m.subject]
    assert len(digests) == 1
    for title in ["Yksi", "Kaksi", "Kolme"]:
        assert title in digests[0].body

    page.goto("/notifications/")
    # The three, and the check-in reminder of the member's key result (emailed as a reminder).
    expect(page.locator("#bell .count")).to_contain_text("4")
    page.get_by_role("button", name="Mark read").first.click()
    expect(page.locator("#bell .count")).to_contain_text("3")
    expect(page.get_by_text("Unread:")).to_have_count(3)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pages_have_no_axe_violations_and_reflow(
    live_world: World, browsing: Browsing, language: str
) -> None:
    world = live_world
    for n, event in enumerate(Notification.Event.values):
        people_notify(
            recipients=[world.member],
            event=event,
            actor=world.supervisor,
            subject=f"Pitkä otsikko, jossa on paljon sanoja, numero {n}",
            detail="tried" if event == Notification.Event.IDEA_MOVED else "Lyhyt ote kommentista",
            url="/ideas/",
        )
    Notification.objects.filter(recipient=world.member, event="idea_moved").update(
        read_at="2026-11-27T08:00:00Z"
    )
    page = browsing.open(world.member, language)
    for url in PAGES:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200
        results = AXE.run(page)
        assert results.violations_count == 0, (url, results.generate_report())
    page.set_viewport_size({"width": 320, "height": 640})
    for url in PAGES:
        page.goto(url)
        no_sideways_scrolling(page)
