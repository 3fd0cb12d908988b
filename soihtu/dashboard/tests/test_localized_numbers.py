"""Numbers on the dashboard are written as the person's language writes them: a decimal
comma in Finnish and Swedish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import client_for
from soihtu.dashboard.services import practice_figures_refresh
from soihtu.dashboard.tests.fixtures import Practice


@pytest.mark.parametrize(
    ("language", "bands"),
    [
        ("fi", ["0,0–0,3", "0,4–0,6", "0,7–1,0"]),
        ("sv", ["0,0–0,3", "0,4–0,6", "0,7–1,0"]),
        ("en", ["0.0–0.3", "0.4–0.6", "0.7–1.0"]),
    ],
)
def test_score_bands_use_the_languages_decimal_mark(
    practice: Practice, language: str, bands: list[str]
) -> None:
    practice_figures_refresh()

    html = client_for(practice.world.admin, language).get(reverse("dashboard:index")).content

    headers = "".join(f'<th scope="col">{band}</th>' for band in bands)
    assert headers in html.decode()
