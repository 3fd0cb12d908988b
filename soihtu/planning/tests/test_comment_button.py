"""The comment button says what it does: an imperative, not the noun the label uses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.planning.tests.conftest import open_planning


@pytest.mark.parametrize(
    ("language", "button", "label"),
    [("fi", "Kommentoi", "Kommentti"), ("sv", "Kommentera", "Kommentar"), ("en", "Comment", "")],
)
def test_comment_button_is_an_imperative(
    world: World, language: str, button: str, label: str
) -> None:
    open_planning(world)
    url = reverse("planning:team", args=[world.team_a.pk, world.cycle.pk])
    page = client_for(world.member, language).get(url).text
    assert f'<button type="submit">{button}<span class="visually-hidden">' in page
    assert label in page  # the comment field keeps the noun
