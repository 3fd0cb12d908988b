"""axe-core finds no WCAG violations on the team's notifications page, in any language, with
webhooks, a failing one, and messages in every state; and the form works without JavaScript."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.notifications.models import Delivery, Problem, TeamWebhook
from soihtu.notifications.services import webhook_create

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
AXE = Axe()


def add_content(world: World) -> None:
    teams = webhook_create(
        actor=world.torchbearer,
        team=world.team_a,
        kind=TeamWebhook.Kind.TEAMS,
        url="https://example.webhook.office.com/webhookb2/abc/IncomingWebhook/def/KEYZ",
    )
    generic = webhook_create(
        actor=world.torchbearer,
        team=world.team_a,
        kind=TeamWebhook.Kind.GENERIC,
        url="https://hooks.example.org/soihtu/abcdef",
        secret="s3cret",
        send_checkin_summary=False,
    )
    TeamWebhook.objects.filter(pk=generic.pk).update(
        enabled=False,
        last_failure_at=teams.created_at,
        last_error=Problem.HTTP_STATUS,
        last_status=500,
    )
    for state, webhook, error in [
        (Delivery.State.SENT, teams, ""),
        (Delivery.State.PENDING, generic, Problem.CONNECTION),
        (Delivery.State.FAILED, generic, Problem.HTTP_STATUS),
    ]:
        Delivery.objects.create(
            webhook=webhook,
            event=Delivery.Event.SUCCESS,
            payload={},
            state=state,
            attempts=1,
            last_error=error,
            next_attempt_at=teams.created_at if state == Delivery.State.PENDING else None,
            sent_at=teams.created_at if state == Delivery.State.SENT else None,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations(live_world: World, browsing: Browsing, language: str) -> None:
    add_content(live_world)
    page = browsing.open(live_world.torchbearer, language)
    response = page.goto(f"/notifications/teams/{live_world.team_a.pk}/")
    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_errors_are_shown_next_to_the_field_without_javascript(
    live_world: World, browsing: Browsing
) -> None:
    page = browsing.open(live_world.torchbearer, "en", javascript=False)
    page.goto(f"/notifications/teams/{live_world.team_a.pk}/")
    page.get_by_label("Webhook address").fill("ftp://example.org/hook")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator(".field-errors")).to_contain_text("https://")
    assert not TeamWebhook.objects.exists()
    page.get_by_label("Webhook address").fill("https://example.webhook.office.com/x/yz1234")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator(".messages")).to_contain_text("Webhook added.")
    expect(page.locator("main")).to_contain_text("https://example.webhook.office.com/…1234")
