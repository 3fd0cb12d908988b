"""axe-core finds no WCAG violations on the sign-in page with single sign-on, in any language."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soihtu.accounts.tests.oidc_provider import Provider
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

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
