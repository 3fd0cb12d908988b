"""The main stories in a real browser: Chromium on the live server, with and without JavaScript."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from soihtu.checkins.models import CheckIn
from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    csrf_token,
    live_world_fixture,
)
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.services import unit_progress_refresh

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NEW_TITLE = "Asiakkaat saavat vastauksen päivässä"


def contributors_of(page: Page, title: str) -> Locator:
    row = page.locator(".org-objectives li").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    return row.locator(".contributors-count")


def test_torchbearer_sets_an_objective_and_checks_in(live_world: World, browsing: Browsing) -> None:
    world = live_world
    org_title = world.org_objective.title
    page = browsing.open(world.torchbearer, "en")

    page.goto("/strategy/")
    expect(contributors_of(page, org_title)).to_have_text("1 contributing objective")

    page.goto(f"/units/{world.team_a.pk}/")
    page.get_by_role("link", name="New objective", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New objective")
    page.get_by_label("Title").fill(NEW_TITLE)
    page.get_by_label("Period").select_option(label=str(world.cycle))
    page.get_by_role("group", name="Strategy themes").get_by_label("Trust").check()
    contributes = page.get_by_role("group", name="Contributes to")
    contributes.get_by_role("checkbox", name=f"{org_title} — ").check()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    expect(page.get_by_role("status")).to_contain_text("Objective saved.")
    objective = Objective.objects.get(title=NEW_TITLE)
    assert objective.cycle_id == world.cycle.pk
    assert list(objective.themes.all()) == [world.themes[0]]
    assert list(objective.contributes_to.all()) == [world.org_objective]

    page.get_by_role("link", name="Add a key result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New key result")
    page.get_by_label("Title").fill("Vastattuja viestejä päivässä")
    page.get_by_label("Kind").select_option(label="increase to")
    page.get_by_label("Start value").fill("10")
    page.get_by_label("Target value").fill("20")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Key result saved.")

    page.get_by_role("link", name="Add a key result").click()
    page.get_by_label("Title").fill("Vastauspohjat käytössä")
    page.get_by_label("Kind").select_option(label="milestone")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Key result saved.")
    headings = page.get_by_role("region", name="Key results").get_by_role("heading", level=3)
    expect(headings).to_have_text(["Vastattuja viestejä päivässä", "Vastauspohjat käytössä"])
    first_kr = KeyResult.objects.get(objective=objective, kind=KeyResult.Kind.INCREASE)

    # The inline check-in on the team page: htmx posts the form and swaps the row.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=world.team_a.name
    ).click()
    card = page.get_by_role("article", name=NEW_TITLE)
    objective_progress = card.get_by_role("progressbar", name=NEW_TITLE, exact=True)
    expect(objective_progress).to_have_attribute("value", "0")
    row = card.locator(f"#kr-{first_kr.pk}")
    row.get_by_text("Record a check-in").click()
    row.get_by_label("New value").fill("15")
    row.get_by_label("Confidence").select_option("8")
    row.get_by_role("button", name="Save check-in").click()

    expect(row.get_by_role("status")).to_have_text("Check-in saved.")
    expect(row.locator(".progress-text")).to_have_text("50 %")
    expect(row.locator(".confidence")).to_have_text("Confidence 8/10")
    expect(row.locator(".last-checkin")).to_contain_text(": 15")
    checkin = CheckIn.objects.get()
    assert (checkin.key_result_id, checkin.value, checkin.confidence) == (
        first_kr.pk,
        Decimal(15),
        8,
    )

    # The objective's progress is swapped in beside the row, without a reload.
    expect(objective_progress).to_have_attribute("value", "25")
    expect(card.locator("header .progress-text")).to_have_text("25 %")
    page.reload()
    expect(objective_progress).to_have_attribute("value", "25")
    expect(card.locator("header .progress-text")).to_have_text("25 %")
    expect(row.locator(".progress-text")).to_have_text("50 %")

    # The strategy page's counts are the scheduler's, with their time, until it runs again.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Strategy").click()
    expect(contributors_of(page, org_title)).to_have_text("1 contributing objective")
    expect(page.locator("p.lead")).to_contain_text("contributing objectives are as of")
    unit_progress_refresh()
    page.reload()
    expect(contributors_of(page, org_title)).to_have_text("2 contributing objectives")


def test_inline_check_in_error_stays_in_its_row(live_world: World, browsing: Browsing) -> None:
    world = live_world
    kr = world.kr_a1
    page = browsing.open(world.torchbearer, "en")
    page.goto(f"/units/{world.team_a.pk}/")
    row = page.locator(f"#kr-{kr.pk}")
    row.get_by_text("Record a check-in").click()
    row.get_by_label("New value").fill("paljon")
    row.get_by_role("button", name="Save check-in").click()

    # The answer has been swapped in once the error shows, wherever it landed.
    expect(page.get_by_text("Enter a number.")).to_be_visible()
    assert not CheckIn.objects.exists()
    assert row.count() == 1, "the key result row was replaced by a bare form"
    expect(row.locator(".kr-title")).to_have_text(kr.title)
    expect(row.get_by_text("Enter a number.")).to_be_visible()


def test_check_in_without_javascript_in_finnish(live_world: World, browsing: Browsing) -> None:
    """The plain form works without JavaScript, and reads Finnish decimals."""
    world = live_world
    kr = world.kr_a1  # decrease from 12 to 5
    page = browsing.open(world.torchbearer, "fi", javascript=False)

    page.goto(f"/key-results/{kr.pk}/check-in/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("p.lead")).to_contain_text("12 → 5.")
    form = page.locator("main form")
    form.locator("input[name=value]").fill("8,5")
    form.locator("select[name=confidence]").select_option("6")
    form.locator("textarea[name=note]").fill("Jonot lyhenivät")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/objectives/{world.objective_a.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    row = page.locator(f"#kr-{kr.pk}")
    expect(row.locator(".last-checkin")).to_contain_text(": 8,5")
    expect(row.locator(".progress-text")).to_have_text("50 %")
    expect(page.locator("table.checkins tbody tr")).to_have_count(1)
    expect(page.locator("table.checkins tbody tr").first).to_contain_text("Jonot lyhenivät")
    kr.refresh_from_db()
    assert (kr.current_value, kr.confidence) == (Decimal("8.5"), 6)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_organization_tree_opens_a_level_at_a_time(
    live_world: World, browsing: Browsing, javascript: bool
) -> None:
    """With JavaScript the units below open in place and the focus moves to the first of them;
    without it, the same link shows that part of the organization as its own page."""
    world = live_world
    page = browsing.open(world.member, "en", javascript=javascript)
    page.goto("/organization/")
    expect(page.get_by_role("link", name="Team C", exact=True)).to_have_count(0)
    opener = page.get_by_role("link", name=re.compile(r"^Show the units below\W+Division 2$"))
    opener.click()
    team_c = page.get_by_role("link", name="Team C", exact=True)
    expect(team_c).to_be_visible()
    if javascript:
        expect(page).to_have_url(re.compile(r"/organization/$"))
        expect(team_c).to_be_focused()
        expect(opener).to_have_count(0)
    else:
        expect(page).to_have_url(re.compile(rf"\?unit={world.division_2.pk}"))
        expect(page.locator(".breadcrumb")).to_contain_text("The whole organization")


def test_member_of_another_team_cannot_change_team_a(live_world: World, browsing: Browsing) -> None:
    world = live_world
    page = browsing.open(world.member_b, "en")
    controls = ["New objective", "Edit objective", "Add a key result", "Delete objective"]

    page.goto(f"/units/{world.team_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.team_a.name)
    expect(page.get_by_role("article", name=world.objective_a.title)).to_be_visible()
    for name in controls:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_text("Record a check-in")).to_have_count(0)
    expect(page.locator("form[action*='/check-in/']")).to_have_count(0)

    page.goto(f"/objectives/{world.objective_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.objective_a.title)
    for name in controls:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_text("Record a check-in")).to_have_count(0)
    expect(page.locator("form[action*='/check-in/']")).to_have_count(0)

    headers = {"X-CSRFToken": csrf_token(page)}
    edit = page.request.post(
        f"/objectives/{world.objective_a.pk}/edit/",
        headers=headers,
        form={
            "title": "Kaapattu tavoite",
            "period": f"cycle:{world.cycle.pk}",
            "kind": "committed",
            "status": "active",
            "visibility": "open",
            "version": str(world.objective_a.version),
        },
        max_redirects=0,
    )
    checkin = page.request.post(
        f"/key-results/{world.kr_a1.pk}/check-in/",
        headers=headers,
        form={"value": "1", "confidence": "9", "measured_on": "2026-11-27"},
        max_redirects=0,
    )
    for response in (edit, checkin):
        assert response.status == 403, (response.url, response.status)
        assert "CSRF" not in response.text(), "refused by the CSRF check, not by the access rules"

    world.objective_a.refresh_from_db()
    assert world.objective_a.title == "Nopeampi palvelu"
    assert not CheckIn.objects.exists()


def test_language_switcher_remembers_the_choice(live_world: World, browsing: Browsing) -> None:
    world = live_world
    page = browsing.open(world.member, "fi")
    html = page.locator("html")
    switcher = page.locator("header form.language")

    page.goto("/")
    expect(html).to_have_attribute("lang", "fi")

    switcher.get_by_role("combobox").select_option(label="Svenska")
    switcher.get_by_role("button").click()
    expect(html).to_have_attribute("lang", "sv")
    expect(page).to_have_url(re.compile(r"/$"))

    switcher.get_by_role("combobox").select_option(label="English")
    switcher.get_by_role("button").click()
    expect(html).to_have_attribute("lang", "en")
    expect(switcher.get_by_role("combobox")).to_have_value("en")

    page.goto("/strategy/")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategy")
    page.reload()
    expect(html).to_have_attribute("lang", "en")
    languages = [
        c.get("value") for c in page.context.cookies() if c.get("name") == "django_language"
    ]
    assert languages == ["en"]


def test_inline_check_in_focuses_its_row_and_updates_the_waiting_box(
    live_world: World, browsing: Browsing
) -> None:
    """After an inline check-in on My OKRs the focus returns to the key result's row, and the
    "waiting for my check-in" box drops the key result without a reload."""
    world = live_world
    kr = world.kr_a1  # the member's, without a check-in: waiting
    page = browsing.open(world.member, "en")
    page.goto("/")
    waiting = page.get_by_role("region", name="Waiting for my check-in")
    expect(waiting.get_by_role("link", name=kr.title)).to_be_visible()

    row = page.locator(f"#kr-{kr.pk}")
    row.get_by_text("Record a check-in").click()
    row.get_by_label("New value").fill("10")
    row.get_by_label("Confidence").select_option("7")
    row.get_by_role("button", name="Save check-in").click()

    expect(row.get_by_role("status")).to_have_text("Check-in saved.")
    expect(row).to_be_focused()
    expect(waiting.get_by_role("link", name=kr.title)).to_have_count(0)
    expect(waiting).to_contain_text("None of your key results waits for a check-in.")
    assert CheckIn.objects.filter(key_result=kr).count() == 1
