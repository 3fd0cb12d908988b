"""The alignment map in a real browser: a team objective's chain up to the strategy theme, reached
with the keyboard; axe on the overview and on a focused map; no sideways scrolling at 320 px."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from soihtu.conftest import World, make_objective
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.okrs.models import Objective

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]

AXE = Axe()


def _chain(world: World) -> tuple[Objective, Objective]:
    """Org ← division objective ← Unit A objective ← Team A's objective (and Team B's)."""
    division = make_objective(world.division, year=world.year, cycle=None, title="Jaoston tavoite")
    division.contributes_to.set([world.org_objective])
    division.themes.set([world.themes[0]])
    unit = make_objective(world.unit_a, year=world.year, cycle=None, title="Yksikön tavoite")
    unit.contributes_to.set([division])
    world.objective_a.contributes_to.set([unit])
    world.objective_b.contributes_to.set([unit])
    return division, unit


def _focused_map_element(page: Page) -> str:
    return str(
        page.evaluate(
            "() => { const a = document.activeElement;"
            " return a && a.closest('svg.map-svg') ? a.getAttribute('aria-label') : ''; }"
        )
    )


def test_a_team_objective_shows_its_chain_up_to_the_theme_and_tab_reaches_it(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    division, unit = _chain(world)
    page = browsing.open(world.member, "en")
    page.goto("/")
    # (Chromium names a link with a visually hidden part "Show on the map : …".)
    page.get_by_role(
        "link", name=re.compile(rf"^Show on the map\s*: {world.objective_a.title}$")
    ).click()
    expect(page.get_by_role("heading", level=2, name=f"In focus: {world.objective_a.title}"))
    drawing = page.get_by_role("group", name="Alignment map", exact=True).locator("svg")
    for name in (world.objective_a.title, unit.title, division.title, world.org_objective.title):
        expect(drawing.get_by_role("link", name=name).first).to_be_visible()
    expect(drawing.get_by_role("link", name="Strategy theme: Trust", exact=True)).to_be_visible()
    expect(drawing.get_by_role("link", name=world.objective_a.title).first).to_have_accessible_name(
        f"{world.objective_a.title}. Team A. Strategy theme: Trust. Progress 0 %. "
        "Your objective. In focus"
    )

    # The keyboard reaches the boxes layer by layer, from the theme down, with a visible focus.
    reached: list[str] = []
    page.get_by_role("heading", level=2, name="Map").click()
    for _press in range(40):
        page.keyboard.press("Tab")
        label = _focused_map_element(page)
        if label and not label.startswith("Focus the map"):
            reached.append(label.split(".")[0])
        if label.startswith(world.objective_a.title):
            break
    assert reached == [
        "Strategy theme: Trust",
        world.org_objective.title,
        division.title,
        unit.title,
        world.objective_a.title,
    ]
    stroke = page.evaluate(
        "() => getComputedStyle(document.activeElement.querySelector('.box')).strokeWidth"
    )
    assert stroke == "4px"

    # Focus moves down the chain: the unit objective's neighbourhood includes Team B's.
    drawing.get_by_role("link", name=f"Focus the map on {unit.title}").click()
    expect(page.get_by_role("heading", level=2, name=f"In focus: {unit.title}")).to_be_visible()
    expect(
        page.locator("svg.map-svg").get_by_role("link", name=world.objective_b.title).first
    ).to_be_visible()


def test_the_map_has_no_axe_violations_and_reflows_at_320_px(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    _chain(world)
    problems = []
    for language, width in [("fi", 1280), ("sv", 320)]:
        page = browsing.open(world.torchbearer, language)
        page.set_viewport_size({"width": width, "height": 800})
        for url in [
            "/map/",
            f"/map/?focus=objective:{world.org_objective.pk}",
            f"/map/?focus=unit:{world.team_a.pk}",
        ]:
            response = page.goto(url)
            assert response is not None
            assert response.status == 200
            results = AXE.run(page)
            if results.violations_count:
                problems.append(f"{language} {url}: {results.generate_report()}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > page.evaluate("window.innerWidth"):
                problems.append(f"{language} {url} at {width} px scrolls sideways: {scroll} px")
    assert not problems, "\n".join(problems)
