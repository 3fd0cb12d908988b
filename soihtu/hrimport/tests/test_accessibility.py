"""axe-core finds no WCAG violations on the upload page, its errors, the preview and the result,
in any language."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import FilePayload, Page, expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.hrimport.services import hr_import_apply, hr_import_stage
from soihtu.hrimport.tests.files import WORLD_PEOPLE, WORLD_UNITS, code_the_world, world_file

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

LANGUAGES = ["fi", "sv", "en"]
AXE = Axe()


def staged_import(world: World, *, applied: bool) -> int:
    """A preview with every kind of list: a rename, a move, a new person, a leaver."""
    code_the_world(world)
    units = [("TB", "Team Beta", "UA") if u[0] == "TB" else u for u in WORLD_UNITS]
    people = [p for p in WORLD_PEOPLE if p[0] != "member_b"]
    people = [(*p[:2], "TB", p[3]) if p[0] == "member" else p for p in people]
    data = world_file(world, units=units, people=people)
    data += "N1,Uusi Henkilö,uusi@example.fi,TC,Team C,D2,1\r\n".encode()
    staged, plan = hr_import_stage(actor=world.admin, file_name="hr.csv", data=data)
    assert staged is not None
    if applied:
        hr_import_apply(actor=world.admin, hr_import=staged, fingerprint=plan.diff.fingerprint)
    return staged.pk


def check(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["upload", "preview", "applied"])
def test_no_axe_violations(live_world: World, browsing: Browsing, name: str, language: str) -> None:
    url = "/people/import/"
    if name != "upload":
        url += f"{staged_import(live_world, applied=name == 'applied')}/"
    page = browsing.open(live_world.admin, language)

    response = page.goto(url)

    assert response is not None
    assert response.status == 200, response.url
    check(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_in_the_errors_of_a_bad_file(
    live_world: World, browsing: Browsing, language: str
) -> None:
    page = browsing.open(live_world.admin, language)
    page.goto("/people/import/")
    bad = b"employee_id,name\n1,A B\n"
    payload: FilePayload = {"name": "hr.csv", "mimeType": "text/csv", "buffer": bad}
    page.set_input_files("input[type=file]", files=[payload])

    page.locator("main form button[type=submit]").click()

    expect(page.locator(".form-errors")).to_be_visible()
    check(page, language)
