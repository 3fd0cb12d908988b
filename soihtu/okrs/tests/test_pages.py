from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_page_renders_for_a_member(world: World, language: str) -> None:
    client = client_for(world.member, language)
    urls = [
        reverse("okrs:my_okrs"),
        reverse("okrs:strategy"),
        reverse("okrs:organization") + "?q=palvelu",
        reverse("okrs:unit", args=[world.team_a.pk]),
        reverse("okrs:objective", args=[world.objective_a.pk]),
        reverse("okrs:objective", args=[world.org_objective.pk]),
        reverse("checkins:new", args=[world.kr_a1.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
