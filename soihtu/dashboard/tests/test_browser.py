"""A unit leader follows the practice of their own division in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.dashboard.tests.fixtures import Practice

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_unit_leader_sees_their_own_division(
    live_world: World, practice: Practice, browsing: Browsing
) -> None:
    world = live_world
    page = browsing.open(practice.division_head, "en")

    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("OKR practice dashboard")
    expect(page.locator(".lead")).to_contain_text("Division 1")
    division = page.get_by_label("Division")
    expect(division.locator("option")).to_have_text(["Division 1"])
    coverage = page.get_by_role("table", name="Teams, people and units using OKRs per cycle")
    expect(coverage.get_by_role("row", name="2026 T3")).to_contain_text("2 / 2")
    regularity = page.get_by_role("region", name="Check-in regularity")
    expect(regularity).to_contain_text("1 of 4 key results checked in within their team's cadence.")
    expect(page.get_by_role("region", name="Survey results per division")).to_contain_text(
        "No survey results yet."
    )
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{browsing.base_url}/dashboard/?division={world.division.pk}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == "okr-dashboard-2026-11-27.csv"

    response = page.goto(f"/dashboard/?division={world.division_2.pk}")
    assert response is not None
    assert response.status == 403
