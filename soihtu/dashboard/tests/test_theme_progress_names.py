"""The dashboard and the strategy page measure progress per theme differently (all linked
objectives against the organization's own): each names its figure apart and says how it
differs from the other's."""

from __future__ import annotations

import re

from django.urls import reverse

from soihtu.conftest import client_for
from soihtu.dashboard.tests.fixtures import Practice

DASHBOARD_HEADING = "Progress of all objectives linked to each strategy theme in 2026"
STRATEGY_LABEL = "Progress of the organization objectives"


def _text(practice: Practice, url: str) -> str:
    response = client_for(practice.world.admin).get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_dashboard_names_its_theme_progress_and_points_to_the_strategy_page(
    practice: Practice,
) -> None:
    html = _text(practice, reverse("dashboard:index"))
    assert f'<h2 id="themes">{DASHBOARD_HEADING}</h2>' in html
    assert "The strategy page shows something narrower" in html
    assert STRATEGY_LABEL not in html


def test_strategy_page_names_its_theme_progress_and_points_to_the_dashboard(
    practice: Practice,
) -> None:
    html = _text(practice, reverse("okrs:strategy"))
    assert f"{STRATEGY_LABEL}:" in html
    assert "The practice dashboard shows something broader" in html
    assert "Progress of all objectives linked" not in html
    assert "Progress of the theme" not in html
