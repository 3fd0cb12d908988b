"""WCAG 1.4.10 reflow: at 320 CSS px no page scrolls sideways, as any persona, and axe finds
nothing there; the header collapses into a menu that works without JavaScript.

axe does not check reflow, so every page is measured here: the whole document may not be
wider than the window, with every disclosure (the menu, the inline check-in forms) closed and
then open. Tables scroll inside their own named, focusable container instead.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, make_user
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.dashboard.tests.fixtures import practice  # noqa: F401
from soihtu.followup.tests.helpers import check_in
from soihtu.hrimport.services import hr_import_stage
from soihtu.hrimport.tests.files import code_the_world, world_file
from soihtu.ideas.models import Idea
from soihtu.ideas.services import idea_create, idea_move
from soihtu.organization.roles import build_actor
from soihtu.planning.tests.conftest import open_planning
from soihtu.privacy.tests.builders import build, leave
from soihtu.retrospectives import services as retrospectives
from soihtu.retrospectives.tests.helpers import open_review
from soihtu.successes.services import success_share, success_thank
from soihtu.surveys import services as surveys
from soihtu.surveys.models import SurveyRound
from soihtu.surveys.tests.factories import open_round
from soihtu.transparency.tests.helpers import publish
from soihtu.vivagoals.tests.uploads import an_upload

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

WIDTH = 320
AXE = Axe()
PERSONAS = [  # the torchbearer first: axe checks a page as the first visitor sees it
    "torchbearer",
    "member",
    "supervisor",
    "admin",
    "member_b",
    "outsider",
    "parent_supervisor",
]
# A visit: who (None: signed out) opens which address.
Visit = tuple[str | None, str]
# For the failure message: the innermost elements that reach beyond the window (with their
# content), unless a scrolling container holds them.
OVERFLOWING = """() => {
  const width = window.innerWidth + 0.5;
  const reach = el => el.getBoundingClientRect().left
    + Math.max(el.scrollWidth, el.getBoundingClientRect().width);
  const held = el => {
    const absolute = getComputedStyle(el).position === 'absolute';
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX !== 'visible' && (!absolute || style.position !== 'static')) return true;
    }
    return false;
  };
  const name = el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
  const over = [...document.querySelectorAll('body *')]
    .filter(el => reach(el) > width && !held(el));
  return over.filter(el => !over.some(other => other !== el && el.contains(other)))
    .slice(0, 5)
    .map(el => `${name(el)} (${Math.round(reach(el))} px)`);
}"""
OPEN_DISCLOSURES = "els => els.forEach(el => { el.open = true; })"


def _okrs(world: World) -> list[Visit]:
    """Objectives with check-ins as every persona; the forms as the torchbearer."""
    for day, value in [(10, "11"), (20, "9")]:
        checkin_create(
            author=world.member,
            key_result=world.kr_a1,
            value=Decimal(value),
            confidence=6,
            note="Jonotusaika lyheni, https://intra.example.fi/raportit/jonotusajat/2026-11",
            measured_on=datetime.date(2026, 11, day),
        )
    w = world
    # The pages that differ by role (links to edit, check-in forms, restricted objectives).
    by_role = ["/", f"/units/{w.team_a.pk}/", f"/objectives/{w.objective_a.pk}/"]
    return [
        *((persona, url) for persona in PERSONAS for url in by_role),
        ("member", "/strategy/"),
        ("member", "/map/"),
        ("member", f"/map/?focus=objective:{w.objective_a.pk}"),
        ("member", "/organization/"),
        ("torchbearer", f"/organization/?unit={w.unit_a.pk}"),
        ("torchbearer", "/organization/?q=palvelu"),
        ("torchbearer", f"/units/{w.team_a.pk}/objectives/new/"),
        ("torchbearer", f"/objectives/{w.objective_a.pk}/edit/"),
        ("torchbearer", f"/objectives/{w.objective_a.pk}/key-results/new/"),
        ("torchbearer", f"/key-results/{w.kr_a1.pk}/edit/"),
        ("torchbearer", f"/key-results/{w.kr_a1.pk}/check-in/"),
        ("torchbearer", f"/teams/{w.team_a.pk}/desk/"),
        ("supervisor", f"/teams/{w.team_a.pk}/desk/"),
    ]


def _rituals(world: World) -> list[Visit]:
    """Planning, the follow-up meeting and the team's settings pages."""
    open_planning(world)
    check_in(world.member, world.kr_a1, value="9", confidence=5, note="Jono lyheni")
    team = world.team_a.pk
    return [
        ("torchbearer", f"/teams/{team}/planning/{world.cycle.pk}/"),
        ("member", f"/teams/{team}/planning/{world.cycle.pk}/"),
        ("torchbearer", f"/teams/{team}/planning/"),
        ("torchbearer", f"/teams/{team}/follow-up/"),
        ("torchbearer", f"/teams/{team}/follow-up/present/"),
        ("torchbearer", f"/teams/{team}/follow-up/print/"),
        ("torchbearer", f"/teams/{team}/cadence/"),
        ("torchbearer", f"/notifications/teams/{team}/"),
    ]


def _retrospective(world: World) -> list[Visit]:
    open_review(world)
    retrospectives.objective_review_save(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        objective=world.objective_a,
        outcome="partly",
        learned="Asiakkaiden palaute kannattaa kerätä heti",
    )
    url = f"/teams/{world.team_a.pk}/retrospective/{world.cycle.pk}/"
    return [
        ("torchbearer", url),
        ("member", url),
        ("member", f"{url}print/"),
        ("member", "/learning/?q=asiakas"),
    ]


def _sharing(world: World) -> list[Visit]:
    """Successes and ideas, and a member's own settings."""
    torchbearer = build_actor(world.torchbearer)
    success = success_share(
        actor=torchbearer,
        team=world.team_a,
        title="Jono purettu",
        story="Teimme sen yhdessä.",
        objectives=[world.objective_a],
    )
    success_thank(actor=build_actor(world.member_b), success=success)
    ideas = [idea_create(actor=torchbearer, team=world.team_a, title=f"Idea {i}") for i in range(2)]
    idea_move(actor=torchbearer, idea=ideas[1], to_state=Idea.State.TRIED, note="Kokeillaan")
    team = world.team_a.pk
    return [
        ("member", "/successes/"),
        ("member", f"/successes/{success.pk}/"),
        ("torchbearer", f"/successes/teams/{team}/new/"),
        ("member", "/learning/"),
        ("member", "/ideas/"),
        ("member", f"/ideas/teams/{team}/"),
        ("member", f"/ideas/teams/{team}/new/"),
        ("member", f"/ideas/{ideas[1].pk}/"),
        ("outsider", "/ideas/browse/?q=idea"),
        *_own_settings(),
    ]


def _own_settings() -> list[Visit]:
    return [
        ("member", "/me/reminders/"),
        ("member", "/notifications/"),
        ("member", "/notifications/settings/"),
        ("member", "/api/tokens/"),
        ("member", "/accounts/sessions/"),
        ("member", "/accounts/password/"),
        ("member", "/accounts/password/done/"),
    ]


def _office(world: World) -> list[Visit]:
    """The OKR office's pages, with content in their tables."""
    survey = open_round(world.admin)
    closed = surveys.round_create_from_template(
        actor=world.admin,
        title="OKR-kysely 2025",
        opens_on=datetime.date(2025, 11, 1),
        closes_on=datetime.date(2025, 11, 30),
    )
    surveys.round_set_state(actor=world.admin, survey=closed, state=SurveyRound.State.CLOSED)
    surveys.round_results_publish(actor=world.admin, survey=closed, published=True)
    viva = an_upload(world, "full_export.csv").pk
    publish(world)
    return [
        ("admin", "/administration/"),
        ("admin", "/exchange/"),
        ("admin", "/exchange/viva-goals/"),
        ("admin", f"/exchange/viva-goals/{viva}/mapping/"),
        ("admin", f"/exchange/viva-goals/{viva}/preview/"),
        ("admin", "/open/settings/"),
        ("admin", "/surveys/"),
        ("admin", "/surveys/new/"),
        ("admin", f"/surveys/{survey.pk}/edit/"),
        ("admin", f"/surveys/{survey.pk}/import/"),
        ("admin", f"/surveys/{closed.pk}/results/"),
        ("member", f"/surveys/{survey.pk}/answer/"),
        ("member", "/surveys/published/"),
        ("admin", "/accessibility/settings/"),
    ]


def _people(world: World) -> list[Visit]:
    """The HR import and the privacy pages, whose tables hold names, ids and addresses."""
    built = build(world)
    leave(built.person)
    code_the_world(world)
    data = world_file(world) + "N1,Uusi Henkilö,uusi@example.fi,TC,Team C,D2,1\r\n".encode()
    staged, _plan = hr_import_stage(actor=world.admin, file_name="hr.csv", data=data)
    assert staged is not None
    return [
        ("admin", "/people/import/"),
        ("admin", f"/people/import/{staged.pk}/"),
        ("admin", "/privacy/?q=a"),
        ("admin", f"/privacy/people/{built.person.pk}/"),
        ("admin", f"/privacy/people/{built.colleague.pk}/"),
    ]


def _dashboard(world: World) -> list[Visit]:
    return [("admin", "/dashboard/")]


def _public(world: World) -> list[Visit]:
    """Signed out: sign-in, password reset, the public page and the demo's persona sign-in."""
    publish(world)
    for username in ["okr.toimisto", "toisen.tiimin.jasen"]:
        make_user(username)
    return [
        (None, "/accounts/login/"),
        (None, "/accounts/password/reset/"),
        (None, "/accounts/password/reset/sent/"),
        (None, "/open/"),
        ("member", "/open/"),
        (None, "/accessibility/"),
        (None, "/demo/"),
    ]


AREAS: dict[str, Callable[[World], list[Visit]]] = {
    "okrs": _okrs,
    "rituals": _rituals,
    "retrospective": _retrospective,
    "sharing": _sharing,
    "office": _office,
    "people": _people,
    "dashboard": _dashboard,
    "public": _public,
}


def _overflow(page: Page) -> str:
    """Empty when the page does not scroll sideways, else what sticks out."""
    scroll_width: int = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= page.evaluate("window.innerWidth"):
        return ""
    return f"{scroll_width} px wide: {', '.join(page.evaluate(OVERFLOWING))}"


def _problems(page: Page, url: str, *, axe: bool) -> list[str]:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    problems = []
    if overflow := _overflow(page):
        problems.append(f"{url} scrolls sideways, {overflow}")
    page.locator("details").evaluate_all(OPEN_DISCLOSURES)
    if overflow := _overflow(page):
        problems.append(f"{url} with its disclosures open scrolls sideways, {overflow}")
    if axe and (results := AXE.run(page)).violations_count:
        problems.append(f"{url}: {results.generate_report()}")
    return problems


@pytest.mark.parametrize("area", list(AREAS))
def test_no_page_scrolls_sideways_at_320_px(
    live_world: World, browsing: Browsing, request: pytest.FixtureRequest, area: str
) -> None:
    if area == "dashboard":
        request.getfixturevalue("practice")
    if area == "public":
        request.getfixturevalue("settings").DEMO_MODE = True
    pages: dict[str | None, Page] = {}
    problems: list[str] = []
    checked: set[str] = set()  # axe once per page (the desktop tests check each language)

    for persona, url in AREAS[area](live_world):
        if persona not in pages:
            user = None if persona is None else live_world.persona(persona)
            pages[persona] = browsing.open(user, "fi")
            pages[persona].set_viewport_size({"width": WIDTH, "height": 640})
        found = _problems(pages[persona], url, axe=url not in checked)
        problems += [f"as {persona}: {problem}" for problem in found]
        checked.add(url)

    assert not problems, "\n".join(problems)


def _narrow(browsing: Browsing, world: World, language: str, *, javascript: bool = True) -> Page:
    page = browsing.open(world.member, language, javascript=javascript)
    page.set_viewport_size({"width": WIDTH, "height": 640})
    page.goto(f"/objectives/{world.objective_a.pk}/")
    return page


def test_the_header_menu_has_no_axe_violations_closed_or_open_in_any_language(
    live_world: World, browsing: Browsing
) -> None:
    for language in ["fi", "sv", "en"]:
        page = _narrow(browsing, live_world, language)
        menu = page.locator(".site-header details.menu")
        expect(menu.locator("nav")).to_be_hidden()
        results = AXE.run(page)
        assert results.violations_count == 0, (language, results.generate_report())

        menu.locator("summary").click()

        expect(menu.locator("nav")).to_be_visible()
        results = AXE.run(page)
        assert results.violations_count == 0, (language, results.generate_report())


def test_the_header_menu_opens_from_the_keyboard_without_javascript(
    live_world: World, browsing: Browsing
) -> None:
    page = _narrow(browsing, live_world, "en", javascript=False)
    main = page.get_by_role("navigation", name="Main")
    expect(main).to_be_hidden()
    menu = page.get_by_role("group").filter(has=page.locator("summary")).first
    summary = page.locator(".site-header summary")
    expect(summary).to_have_text("Menu")

    summary.focus()
    page.keyboard.press("Enter")

    expect(main).to_be_visible()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(main.get_by_role("link", name="My OKRs")).to_be_focused()
    main.get_by_role("link", name="Strategy").click()
    expect(page).to_have_url(re.compile(r"/strategy/$"))


def test_on_a_wide_screen_the_menu_is_open_without_a_toggle(
    live_world: World, browsing: Browsing
) -> None:
    page = browsing.open(live_world.member, "en", javascript=False)
    page.goto("/")

    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_label("Language")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".site-header summary")).to_be_hidden()
    page.get_by_role("link", name="Soihtu").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Notifications")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="My OKRs")).to_be_focused()


def test_the_inline_check_in_is_made_for_a_thumb(live_world: World, browsing: Browsing) -> None:
    page = _narrow(browsing, live_world, "en")
    page.goto("/")
    for kr in [live_world.kr_a1, live_world.kr_a2]:  # a number and a milestone
        row = page.locator(f"#kr-{kr.pk}")
        row.locator("summary").click()
        targets = row.locator(
            "summary, form input:not([type=hidden]):not([type=radio]), form label:has(input), "
            "form select, form textarea, form button"
        )
        expect(targets.first).to_be_visible()
        boxes = [box for box in (t.bounding_box() for t in targets.all()) if box is not None]
        assert len(boxes) == (5 if kr == live_world.kr_a1 else 6), boxes
        for box in boxes:
            assert box["width"] >= 44, box
            assert box["height"] >= 44, box
        # Stacked: one under the other, never side by side.
        tops = [box["y"] for box in boxes]
        assert tops == sorted(tops), boxes
        assert len(set(tops)) == len(tops), boxes
