"""Two first sign-ins of the same new person at once: the slower one finds the person the
faster one created, instead of failing on the unique employee id."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import override_settings

from soihtu.accounts import oidc
from soihtu.accounts.models import User
from soihtu.conftest import World

CLAIMS = oidc.PersonClaims(
    issuer="https://login.example.fi",
    subject="uusi-4242",
    employee_id="E-4242",
    email="uusi.henkilo@example.org",
    email_verified=True,
    first_name="Uusi",
    last_name="Henkilö",
    groups=frozenset(),
)


@override_settings(SOIHTU_OIDC_CREATE_USERS=True)
def test_the_slower_first_sign_in_gets_the_person_the_other_created(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real: Callable[[oidc.PersonClaims], User | None] = oidc._matching_person
    calls = 0

    def racing(claims: oidc.PersonClaims) -> User | None:
        nonlocal calls
        calls += 1
        if calls == 1:
            # The other sign-in creates the person after this one looked and found nobody.
            User.objects.create_user(
                username="uusi.henkilo", email=claims.email, employee_id=claims.employee_id
            )
            return None
        return real(claims)

    monkeypatch.setattr(oidc, "_matching_person", racing)
    person = oidc.person_sign_in(claims=CLAIMS)
    assert calls == 2
    assert person.username == "uusi.henkilo"
    assert User.objects.filter(employee_id="E-4242").count() == 1
