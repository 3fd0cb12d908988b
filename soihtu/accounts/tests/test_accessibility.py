"""axe-core finds no WCAG violations on the sign-in page with single sign-on, in any language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from soihtu.accounts.models import SignInSession, User
from soihtu.accounts.tests.oidc_provider import Provider
from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
    session_cookie_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

LANGUAGES = ["fi", "sv", "en"]
# The sign-in page, and where a failed single sign-on lands: the same page with its message.
PAGES = {
    "login": "/accounts/login/?next=/successes/",
    "after_failed_sign_in": "/accounts/oidc/callback/?code=unknown&state=unknown",
}
AXE = Axe()


@pytest.mark.parametrize("password_login", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(
    transactional_db: None,
    sso: Provider,
    settings: Any,
    browsing: Browsing,
    name: str,
    language: str,
    password_login: bool,
) -> None:
    settings.SOIHTU_PASSWORD_LOGIN = password_login
    page = browsing.open(None, language)

    response = page.goto(PAGES[name])

    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator('a.button[href^="/accounts/oidc/authenticate/"]')).to_contain_text(
        "Kela AD"
    )
    expect(page.locator('input[type="password"]')).to_have_count(1 if password_login else 0)
    if name == "after_failed_sign_in":
        assert response.url.endswith("/accounts/login/")
        expect(page.locator(".message.error")).to_have_count(1)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_on_the_sessions_page(
    live_world: World, browsing: Browsing, language: str
) -> None:
    session_cookie_for(live_world.member)  # signed in in another browser too
    page = browsing.open(live_world.member, language)

    response = page.goto("/accounts/sessions/")

    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("section.session")).to_have_count(2)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_other_sessions_end_without_javascript_on_a_narrow_screen(
    live_world: World, browsing: Browsing
) -> None:
    session_cookie_for(live_world.member)
    page = browsing.open(live_world.member, "en", javascript=False)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/sessions/")
    # WCAG 1.4.10: the page's content reflows at 320 CSS px, nothing scrolls sideways.
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 320
    page.get_by_role("button", name="End all other sessions").click()
    expect(page.locator(".messages")).to_contain_text("1 other session ended.")
    expect(page.locator("section.session")).to_have_count(1)
    assert SignInSession.objects.filter(user=live_world.member).count() == 1


def _reset_link(person: User) -> str:
    uid = urlsafe_base64_encode(str(person.pk).encode())
    return reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(person)]
    )


# Changing and resetting a password; a page that takes a person signed in says so.
PASSWORD_PAGES: dict[str, tuple[bool, Callable[[User], str]]] = {
    "change": (True, lambda person: reverse("accounts:password_change")),
    "change_done": (True, lambda person: reverse("accounts:password_change_done")),
    "reset": (False, lambda person: reverse("accounts:password_reset")),
    "reset_sent": (False, lambda person: reverse("accounts:password_reset_done")),
    "reset_confirm": (False, _reset_link),
    "reset_bad_link": (False, lambda person: "/accounts/password/reset/MQ/wrong-token/"),
    "reset_complete": (False, lambda person: reverse("accounts:password_reset_complete")),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PASSWORD_PAGES))
def test_no_axe_violations_on_the_password_pages(
    live_world: World, browsing: Browsing, name: str, language: str
) -> None:
    signed_in, url = PASSWORD_PAGES[name]
    page = browsing.open(live_world.member if signed_in else None, language)

    response = page.goto(url(live_world.member))

    assert response is not None
    assert response.status == 200, response.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def _refuse_a_short_password(page: Page) -> None:
    page.goto(reverse("accounts:password_change"))
    page.locator('input[name="old_password"]').fill("test-password-1")
    page.locator('input[name="new_password1"]').fill("lyhyt-sana1")
    page.locator('input[name="new_password2"]').fill("lyhyt-sana1")
    page.locator('main button[type="submit"]').click()
    expect(page.locator(".field-errors")).to_have_count(1)


def test_a_refused_new_password_says_why_without_javascript_on_a_narrow_screen(
    live_world: World, browsing: Browsing
) -> None:
    page = browsing.open(live_world.member, "en", javascript=False)
    page.set_viewport_size({"width": 320, "height": 640})

    _refuse_a_short_password(page)

    expect(page.locator(".field-errors")).to_contain_text("This password is too short.")
    # WCAG 1.4.10: the form and its messages reflow at 320 CSS px (the page header is
    # base.html's, shared by every page).
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 320
    live_world.member.refresh_from_db()
    assert live_world.member.check_password("test-password-1")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_in_a_refused_password_change(
    live_world: World, browsing: Browsing, language: str
) -> None:
    page = browsing.open(live_world.member, language)  # axe needs JavaScript

    _refuse_a_short_password(page)

    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
