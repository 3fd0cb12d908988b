"""Passwords may not contain the words someone guessing a password here would try first."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from soihtu.accounts.passwords import context_words
from soihtu.conftest import World
from soihtu.core.tests.settings_files import settings_module


@pytest.mark.parametrize(
    "password",
    [
        "Soihtu-kesä-2026!",
        "minun SOIHTU salasana",
        "hyvä-Sala-sana-42",
        "Lösen-ord för mig 1",
        "my.password.is.long",
        "Testiorganisaatio#1",  # the organization's name (soihtu.conftest)
        "pohjoinen-Kettu-2026",  # an extra word the operator configured
    ],
)
def test_passwords_with_context_words_are_refused(
    world: World, settings: object, password: str
) -> None:
    settings.SOIHTU_PASSWORD_CONTEXT_WORDS = ["kettu"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "a word people guess first here" in str(refused.value)


def test_a_long_passphrase_of_other_words_is_accepted(world: World) -> None:
    validate_password("vihreä omena ja sininen polkupyörä")


def test_the_word_list_holds_the_product_and_the_organization(world: World) -> None:
    assert {"soihtu", "salasana", "losenord", "password", "testiorganisaatio"} <= set(
        context_words()
    )


def test_long_passwords_of_any_characters_are_accepted_and_checked_whole(world: World) -> None:
    long_password = "Kesä ja talvi, 🌲 metsä ja järvi! " * 4  # 136 characters, any kind
    validate_password(long_password)
    world.member.set_password(long_password)
    world.member.save()
    client = Client()
    signed_in = client.post(
        reverse("accounts:login"), {"username": "member_a", "password": long_password}
    )
    assert signed_in.status_code == 302
    cut = Client().post(
        reverse("accounts:login"), {"username": "member_a", "password": long_password[:-1]}
    )
    assert cut.status_code == 200  # the same password one character short does not sign in
    upper = Client().post(
        reverse("accounts:login"), {"username": "member_a", "password": long_password.upper()}
    )
    assert upper.status_code == 200


def test_an_organizations_list_of_breached_passwords_is_used(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    breached = tmp_path / "breached.txt.gz"
    breached.write_bytes(gzip.compress(b"vihrea omena ja sininen polkupyora\n"))
    values = settings_module(monkeypatch, SOIHTU_BREACHED_PASSWORDS_FILE=str(breached))
    with pytest.raises(ValidationError):
        validate_password(
            "vihrea omena ja sininen polkupyora",
            password_validators=get_password_validators(values["AUTH_PASSWORD_VALIDATORS"]),
        )
