"""axe-core finds no WCAG violations on the API tokens pages in any language, the pages work
without JavaScript, and the API docs page renders under the strict Content Security Policy."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from soihtu.api.models import ApiToken
from soihtu.api.tests.helpers import personal_token, service_token
from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["fi", "sv", "en"]
AXE = Axe()


def _some_tokens(world: World) -> None:
    personal_token(world.admin)
    personal_token(world.admin, ApiToken.Scope.READ)
    ApiToken.objects.filter(scope=ApiToken.Scope.READ).update(revoked_at=timezone.now())
    service_token(world.admin, [world.team_a, world.team_b])


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_on_the_tokens_pages(
    live_world: World, browsing: Browsing, language: str
) -> None:
    _some_tokens(live_world)
    page = browsing.open(live_world.admin, language)
    response = page.goto("/api/tokens/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    _create_a_token(page)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def _create_a_token(page: Page) -> None:
    page.locator("#id_name").fill("Raportti")
    page.locator("form[action='/api/tokens/personal/'] button[type=submit]").click()
    newest = ApiToken.objects.order_by("-id").first()
    assert newest is not None
    expect(page.locator("#token-secret")).to_have_value(re.compile(f"^{newest.prefix}"))


def test_a_token_is_created_without_javascript(live_world: World, browsing: Browsing) -> None:
    page = browsing.open(live_world.member, "fi", javascript=False)
    page.goto("/api/tokens/")
    _create_a_token(page)
    page.goto("/api/tokens/")
    page.locator("form[action^='/api/tokens/'][action$='/revoke/'] button").click()
    expect(page.locator(".messages")).to_be_visible()
    newest = ApiToken.objects.get()
    assert newest.revoked_at is not None


def test_the_docs_page_renders_under_the_content_security_policy(
    live_world: World, browsing: Browsing
) -> None:
    page = browsing.open(None, "en")
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    response = page.goto("/api/v1/docs")
    assert response is not None
    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Soihtu API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert [text for text in violations if "Content Security Policy" in text] == []
