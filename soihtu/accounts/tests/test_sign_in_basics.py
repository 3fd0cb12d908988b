"""The basics of signing in that a security review checks first: a new session at sign-in, a
session that is gone at sign-out, sign-out on every page, a password field that password
managers can fill, and production never in debug mode (docs/security.md, ASVS 5.0 V6, V7)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import SignInSession
from soihtu.conftest import World, client_for
from soihtu.core.tests.settings_files import production_settings

PASSWORD = "test-password-1"


def sign_in(client: Client, username: str = "member_a") -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_signing_in_gives_a_new_session_and_ends_the_one_before(world: World) -> None:
    client = Client()
    anonymous = client.session
    anonymous["seen_the_sign_in_page"] = True
    anonymous.save()
    before = client.cookies["sessionid"].value
    assert SignInSession.objects.filter(session_key=before).exists()
    sign_in(client)
    assert client.session.session_key != before
    assert not SignInSession.objects.filter(session_key=before).exists()


def test_a_session_that_signed_out_cannot_be_used_again(world: World) -> None:
    client = Client()
    sign_in(client)
    stolen = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not SignInSession.objects.filter(session_key=stolen).exists()
    replay = Client()
    replay.cookies["sessionid"] = stolen
    response = replay.get(reverse("okrs:my_okrs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name", ["okrs:my_okrs", "okrs:organization", "okrs:strategy", "accounts:sessions"]
)
def test_every_page_offers_sign_out_as_a_form(world: World, name: str) -> None:
    page = client_for(world.member).get(reverse(name)).content.decode()
    assert f'action="{reverse("accounts:logout")}" method="post"' in page


def test_the_password_field_is_masked_and_password_managers_may_fill_it(world: World) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert 'type="password"' in page
    assert 'autocomplete="current-password"' in page
    assert "onpaste" not in page


def test_the_same_answer_whether_or_not_the_person_exists(world: World) -> None:
    wrong = Client().post(reverse("accounts:login"), {"username": "member_a", "password": "x" * 12})
    nobody = Client().post(reverse("accounts:login"), {"username": "nobody", "password": "x" * 12})
    assert wrong.status_code == nobody.status_code == 200
    assert wrong.context["form"].errors == nobody.context["form"].errors


def test_production_is_never_in_debug_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    assert production_settings(monkeypatch)["DEBUG"] is False
