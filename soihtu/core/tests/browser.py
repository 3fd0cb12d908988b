"""Shared Playwright fixtures: Debian's Chromium driving the live server, signed in by cookie.

Import the fixtures explicitly in a test module (each is registered under the name without
`_fixture`, so that a test's parameter does not shadow the import):

    from soihtu.core.tests.browser import (  # noqa: F401
        browsing_fixture,
        chromium_fixture,
        live_world_fixture,
    )

Browser modules mark themselves `pytest.mark.xdist_group("browser")` or `("browser-2")`: each
group runs on one worker (`--dist loadgroup`), so the two workers of `make test` each drive one
Chromium, and the slow browser modules are shared between them instead of queuing on one.

`chromium` is module-scoped (one browser per test module), `browsing` opens one fresh context
per signed-in person and language, and `live_world` is the `world` personas on a transactional
database, so that the live server thread sees them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from soihtu.accounts.models import User
from soihtu.conftest import World

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(name="chromium", scope="module")
def chromium_fixture() -> Iterator[Browser]:
    """Debian's Chromium, never a downloaded browser. Missing means a failed setup, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}: "
            "run `make chromium` or `sudo apt-get install chromium`.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread, so Django would take the ORM
    # calls that tests and fixtures make meanwhile for calls from async code. They are plain
    # synchronous calls: allow them while the browser runs, and only then.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
        except PlaywrightError as error:
            pytest.fail(f"Could not start {CHROMIUM}: {error}", pytrace=False)
        yield browser
        browser.close()


@pytest.fixture(name="live_world")
def live_world_fixture(transactional_db: None, world: World) -> World:
    """The `world` personas, committed, so the live server's thread sees them.

    Requesting `transactional_db` makes pytest-django run `world`'s `db` on the transactional
    database too.
    """
    return world


def session_cookie_for(user: User) -> str:
    """A fresh signed-in session for `user`, as the value of the session cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class Browsing:
    """Opens pages on the live server in fresh browser contexts, and closes them afterwards."""

    browser: Browser
    base_url: str
    contexts: list[BrowserContext] = field(default_factory=list)

    def open(
        self, user: User | None = None, language: str = "fi", *, javascript: bool = True
    ) -> Page:
        """A new page, signed in as `user` (or signed out) with the UI in `language`."""
        context = self.browser.new_context(
            base_url=self.base_url, java_script_enabled=javascript, locale=language
        )
        self.contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        # Nothing but the live server: anything else is refused before it leaves the browser.
        context.route(lambda url: not url.startswith(self.base_url), _abort)
        context.route("**/favicon.ico", _no_content)
        language_cookie = settings.LANGUAGE_COOKIE_NAME
        context.add_cookies([{"name": language_cookie, "value": language, "url": self.base_url}])
        if user is not None:
            session = session_cookie_for(user)
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url}]
            )
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


def _abort(route: Route) -> None:
    route.abort()


def _no_content(route: Route) -> None:
    route.fulfill(status=204)


@pytest.fixture(name="browsing")
def browsing_fixture(chromium: Browser, live_server: LiveServer) -> Iterator[Browsing]:
    opener = Browsing(browser=chromium, base_url=live_server.url)
    yield opener
    opener.close()


def csrf_token(page: Page) -> str:
    """The CSRF cookie the pages of this context have been given."""
    for cookie in page.context.cookies():
        if cookie.get("name") == settings.CSRF_COOKIE_NAME:
            return cookie.get("value", "")
    raise AssertionError("no CSRF cookie: open a page with a form first")
