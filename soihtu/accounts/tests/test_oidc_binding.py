"""Single sign-on binds a person to the provider's (issuer, subject) at their first sign-in and
finds them by it from then on; an email address alone never takes over someone's account, and
every refusal is logged as a security event and explained to the person."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.accounts.oidc import Refusal, check_sign_in_settings
from soihtu.accounts.tests.oidc_provider import Provider, sign_in_round_trip
from soihtu.accounts.views import REFUSALS
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.conftest import make_user

pytestmark = pytest.mark.django_db

SUBJECT = "kela-0f3a9"
EMAIL = "maija.meikalainen@kela.fi"
MISSING = object()
CONTACT = "Ask the OKR office"
EMAIL_NOT_LINKED = "Soihtu cannot link your sign-in to an existing account by email address"
IDENTITY_CONFLICT = "already linked to another sign-in at the identity provider"
NOT_IN_SOIHTU = "You are not in Soihtu yet."


def claims(**changes: Any) -> dict[str, Any]:
    person: dict[str, Any] = {
        "sub": SUBJECT,
        "employee_id": "E1001",
        "email": EMAIL,
        "email_verified": True,
        "given_name": "Maija",
        "family_name": "Meikäläinen",
    }
    person.update(changes)
    return {name: value for name, value in person.items() if value is not MISSING}


def person_with(**fields: Any) -> User:
    person = make_user("maija_meikalainen")
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    return person


def sign_in(sso: Provider, **changes: Any) -> tuple[Client, Any]:
    sso.person = claims(**changes)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    return client, sign_in_round_trip(client)


def signed_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def people() -> list[tuple[Any, ...]]:
    return list(
        User.objects.order_by("pk").values_list(
            "pk", "email", "employee_id", "oidc_issuer", "oidc_subject", "is_org_admin"
        )
    )


def assert_refused(client: Client, response: Any, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert signed_in_as(client) is None
    page = client.get(response["Location"]).content.decode()
    assert message in page
    assert CONTACT in page


def refusal_event() -> SecurityEvent:
    return SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_REFUSED)


# Binding at the first sign-in, and matching by it afterwards.


def test_first_sign_in_stores_the_providers_identity_in_the_audit_trail(sso: Provider) -> None:
    person = person_with(employee_id="E1001")

    client, _response = sign_in(sso)

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert (person.oidc_issuer, person.oidc_subject) == (sso.issuer, SUBJECT)
    [event] = AuditEvent.objects.filter(target_type="user", target_id=person.pk)
    assert event.actor is None
    changes = {name: (was, now) for name, was, now in event.changes()}
    assert changes["oidc_issuer"] == ("", sso.issuer)
    assert changes["oidc_subject"] == ("", SUBJECT)


def test_bound_person_is_found_by_subject_when_email_and_employee_id_changed(
    sso: Provider,
) -> None:
    person = person_with(employee_id="E1001", oidc_issuer=sso.issuer, oidc_subject=SUBJECT)

    client, _response = sign_in(sso, employee_id="E2002", email="maija.virtanen@kela.fi")

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert (person.employee_id, person.email) == ("E2002", "maija.virtanen@kela.fi")


def test_bound_person_is_found_by_subject_even_with_an_unverified_email(sso: Provider) -> None:
    person = person_with(email=EMAIL, oidc_issuer=sso.issuer, oidc_subject=SUBJECT)

    client, _response = sign_in(sso, employee_id=MISSING, email_verified=MISSING)

    assert signed_in_as(client) == person.pk


def test_person_found_by_verified_email_is_bound_to_the_subject(sso: Provider) -> None:
    person = person_with(email=EMAIL)

    client, _response = sign_in(sso, employee_id=MISSING)

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert (person.oidc_issuer, person.oidc_subject) == (sso.issuer, SUBJECT)


def test_created_person_is_bound_to_the_subject(sso: Provider, settings: Any) -> None:
    settings.SOIHTU_OIDC_CREATE_USERS = True

    client, _response = sign_in(sso)

    person = User.objects.get()
    assert signed_in_as(client) == person.pk
    assert (person.oidc_issuer, person.oidc_subject) == (sso.issuer, SUBJECT)


def test_person_bound_at_another_issuer_is_rebound_by_employee_id(sso: Provider) -> None:
    """A new identity provider: the employee id carries people over to it."""
    person = person_with(
        employee_id="E1001", oidc_issuer="https://old-provider.example", oidc_subject="old-1"
    )

    client, _response = sign_in(sso)

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert (person.oidc_issuer, person.oidc_subject) == (sso.issuer, SUBJECT)


# Nobody takes over an account.


def test_another_subject_with_the_same_email_cannot_take_the_bound_account(
    sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_CREATE_USERS = True  # refused, not made a second account either
    person_with(email=EMAIL, oidc_issuer=sso.issuer, oidc_subject=SUBJECT)
    before = people()

    client, response = sign_in(sso, sub="attacker-1", employee_id=MISSING)

    assert_refused(client, response, EMAIL_NOT_LINKED)
    assert people() == before
    assert not AuditEvent.objects.exists()


def test_email_links_no_one_who_has_signed_in_with_another_provider(sso: Provider) -> None:
    person_with(email=EMAIL, oidc_issuer="https://old-provider.example", oidc_subject="old-1")
    before = people()

    client, response = sign_in(sso, employee_id=MISSING)

    assert_refused(client, response, EMAIL_NOT_LINKED)
    assert people() == before


def test_another_subject_with_the_same_employee_id_cannot_take_the_bound_account(
    sso: Provider,
) -> None:
    person_with(employee_id="E1001", oidc_issuer=sso.issuer, oidc_subject=SUBJECT)
    before = people()

    client, response = sign_in(sso, sub="attacker-1", email="someone.else@kela.fi")

    assert_refused(client, response, IDENTITY_CONFLICT)
    assert people() == before
    assert not AuditEvent.objects.exists()


def test_bound_person_cannot_take_another_persons_employee_id(sso: Provider) -> None:
    person = person_with(employee_id="E1001", oidc_issuer=sso.issuer, oidc_subject=SUBJECT)
    other = make_user("other_person")
    other.employee_id = "E2002"
    other.save()
    before = people()

    client, response = sign_in(sso, employee_id="E2002")

    assert_refused(client, response, IDENTITY_CONFLICT)
    assert people() == before
    assert person.pk != other.pk


@pytest.mark.parametrize("verified", [MISSING, False, "False", "false", 0, "true", 1, "yes"])
def test_only_a_boolean_true_email_verified_links_by_email(sso: Provider, verified: Any) -> None:
    person_with(email=EMAIL)
    before = people()

    client, response = sign_in(sso, employee_id=MISSING, email_verified=verified)

    assert_refused(client, response, NOT_IN_SOIHTU)
    assert people() == before


def test_boolean_true_email_verified_links_by_email(sso: Provider) -> None:
    person = person_with(email=EMAIL)

    client, _response = sign_in(sso, employee_id=MISSING, email_verified=True)

    assert signed_in_as(client) == person.pk


def test_email_links_no_one_with_an_employee_id_when_the_claims_have_none(
    sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_CREATE_USERS = True
    person_with(email=EMAIL, employee_id="E1001")
    before = people()

    client, response = sign_in(sso, employee_id=MISSING)

    assert_refused(client, response, EMAIL_NOT_LINKED)
    assert people() == before


def test_email_never_links_an_org_admin(sso: Provider) -> None:
    person_with(email=EMAIL, is_org_admin=True)
    before = people()

    client, response = sign_in(sso, employee_id=MISSING)

    assert_refused(client, response, EMAIL_NOT_LINKED)
    assert people() == before


def test_employee_id_still_finds_an_org_admin(sso: Provider) -> None:
    person = person_with(email=EMAIL, employee_id="E1001", is_org_admin=True)

    client, _response = sign_in(sso)

    assert signed_in_as(client) == person.pk


# Refusals are logged, and the issuer must be configured.


def test_refusal_is_a_security_event_with_its_reason_and_the_attempted_identity(
    sso: Provider,
) -> None:
    person_with(employee_id="E1001", oidc_issuer=sso.issuer, oidc_subject=SUBJECT)

    client, response = sign_in(sso, sub="attacker-1")

    assert_refused(client, response, IDENTITY_CONFLICT)
    event = refusal_event()
    assert event.user is None
    assert event.username == "E1001"
    assert event.detail == {"reason": Refusal.IDENTITY_CONFLICT.value, "subject": "attacker-1"}
    assert event.address == "127.0.0.1"


def test_every_refusal_is_logged(sso: Provider) -> None:
    person_with(employee_id="E1001", is_active=False)

    client, response = sign_in(sso)

    assert_refused(client, response, "Your Soihtu account has been deactivated.")
    event = refusal_event()
    assert event.detail["reason"] == Refusal.DEACTIVATED.value
    assert event.username == "E1001"


def test_unknown_person_refusal_names_the_email_tried(sso: Provider) -> None:
    client, response = sign_in(sso, employee_id=MISSING)

    assert_refused(client, response, NOT_IN_SOIHTU)
    event = refusal_event()
    assert event.username == EMAIL
    assert event.detail["reason"] == Refusal.NOT_IN_SOIHTU.value


def test_every_refusal_has_a_message_that_sends_the_person_to_the_okr_office() -> None:
    assert set(REFUSALS) == set(Refusal)
    for message in REFUSALS.values():
        assert "OKR office" in str(message)


def test_settings_check_requires_the_issuer_with_single_sign_on(
    sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_ISSUER = ""

    [problem] = check_sign_in_settings()

    assert problem.id == "soihtu.accounts.E003"
    assert "SOIHTU_OIDC_ISSUER" in problem.msg


def test_settings_check_needs_no_issuer_without_single_sign_on() -> None:
    assert check_sign_in_settings() == []
