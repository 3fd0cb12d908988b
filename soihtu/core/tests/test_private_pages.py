"""What a signed-in person saw stays off shared computers: no caching of their pages, and
signing out clears the site's data in the browser."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from soihtu.conftest import World, client_for


def test_pages_of_a_signed_in_person_are_never_stored(world: World) -> None:
    response = client_for(world.member).get(reverse("okrs:objective", args=[world.objective_a.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_keep_their_own_caching(world: World) -> None:
    response = Client().get(reverse("transparency:public"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_signing_out_clears_the_site_data_in_the_browser(world: World) -> None:
    client = client_for(world.member)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
