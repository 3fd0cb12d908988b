"""Signing in through a real OpenID Connect provider: who the claims match, and who is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.accounts.tests.oidc_provider import (
    Provider,
    back_from_provider,
    sign_in_round_trip,
    to_provider,
)
from soihtu.audit.models import AuditEvent
from soihtu.conftest import make_user

pytestmark = pytest.mark.django_db

NOT_IN_SOIHTU = "You are not in Soihtu yet. Ask the OKR office to add you."
FAILED = "Signing in did not succeed."


def claims(**changes: Any) -> dict[str, Any]:
    person: dict[str, Any] = {
        "sub": "kela-0f3a9",
        "employee_id": "E1001",
        "email": "maija.meikalainen@kela.fi",
        "email_verified": True,
        "given_name": "Maija",
        "family_name": "Meikäläinen",
        "groups": ["staff"],
    }
    person.update(changes)
    return {name: value for name, value in person.items() if value is not None}


def signed_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def assert_refused(client: Client, response: Any, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert signed_in_as(client) is None
    page = client.get(response["Location"])
    assert message in page.content.decode()


def person_events(person: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="user", target_id=person.pk).order_by("id"))


def test_person_is_matched_by_employee_id_and_updated_from_the_claims(sso: Provider) -> None:
    person = make_user("maija_virtanen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("okrs:my_okrs")
    assert signed_in_as(client) == person.pk
    assert client.session["_auth_user_backend"] == "soihtu.accounts.oidc.SoihtuOIDCBackend"
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email) == (
        "Maija",
        "Meikäläinen",
        "maija.meikalainen@kela.fi",
    )
    [event] = person_events(person)
    assert event.actor is None
    assert event.action == AuditEvent.Action.UPDATE
    assert {name: (was, now) for name, was, now in event.changes()} == {
        "email": ("maija_virtanen@example.org", "maija.meikalainen@kela.fi"),
        "last_name": ("Virtanen", "Meikäläinen"),
        # The first sign-in binds the person to the provider's identity.
        "oidc_issuer": ("", sso.issuer),
        "oidc_subject": ("", "kela-0f3a9"),
    }


def test_employee_id_wins_over_an_email_another_person_has(sso: Provider) -> None:
    by_email = make_user("other_person")
    by_email.email = "maija.meikalainen@kela.fi"
    by_email.save()
    by_id = make_user("maija_meikalainen")
    by_id.employee_id = "E1001"
    by_id.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    assert signed_in_as(client) == by_id.pk


def test_person_is_matched_by_email_in_any_case_when_there_is_no_employee_id_claim(
    sso: Provider,
) -> None:
    person = make_user("maija_meikalainen")
    person.email = "Maija.Meikalainen@kela.fi"
    person.save()
    sso.person = claims(employee_id=None, email="maija.meikalainen@KELA.FI")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert person.employee_id == ""


def test_email_match_records_the_employee_id_from_the_claims(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.email = "maija.meikalainen@kela.fi"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert person.employee_id == "E1001"
    [event] = person_events(person)
    assert ("employee_id", "", "E1001") in event.changes()


def test_email_of_a_person_with_another_employee_id_does_not_match(sso: Provider) -> None:
    former = make_user("maija_meikalainen")
    former.email = "maija.meikalainen@kela.fi"
    former.employee_id = "E0001"
    former.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, NOT_IN_SOIHTU)
    former.refresh_from_db()
    assert former.employee_id == "E0001"


def test_email_shared_by_two_people_is_refused(sso: Provider) -> None:
    for username in ["maija_one", "maija_two"]:
        person = make_user(username)
        person.email = "maija.meikalainen@kela.fi"
        person.save()
    sso.person = claims(employee_id=None)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, "Several people in Soihtu have your email address")
    assert not AuditEvent.objects.exists()


def test_unverified_email_does_not_match(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.email = "maija.meikalainen@kela.fi"
    person.save()
    sso.person = claims(employee_id=None, email_verified=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, NOT_IN_SOIHTU)


def test_unknown_person_is_refused_and_not_created_when_creation_is_off(sso: Provider) -> None:
    make_user("someone_else")
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, NOT_IN_SOIHTU)
    assert list(User.objects.values_list("username", flat=True)) == ["someone_else"]
    assert not AuditEvent.objects.exists()


def test_refusal_is_in_the_users_language(sso: Provider) -> None:
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")

    response = sign_in_round_trip(client)

    assert_refused(
        client, response, "Et ole vielä Soihdussa. Pyydä OKR-pääkäyttäjää lisäämään sinut."
    )


def test_unknown_person_is_created_from_the_claims_when_creation_is_on(
    sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_CREATE_USERS = True
    make_user("maija.meikalainen")  # the username the email would give is taken
    sso.person = claims(email="Maija.Meikäläinen@kela.fi")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    person = User.objects.get(employee_id="E1001")
    assert signed_in_as(client) == person.pk
    assert person.username == "maija.meikalainen-2"
    assert (person.first_name, person.last_name) == ("Maija", "Meikäläinen")
    assert person.email == "Maija.Meikäläinen@kela.fi"
    assert person.is_active
    assert not person.is_org_admin
    assert not person.has_usable_password()
    [event] = person_events(person)
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor is None
    assert event.after is not None
    assert event.after["employee_id"] == "E1001"


def test_person_without_employee_id_or_email_is_refused(sso: Provider, settings: Any) -> None:
    settings.SOIHTU_OIDC_CREATE_USERS = True
    sso.person = claims(employee_id=None, email=None)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, "did not give Soihtu your employee id or email address")
    assert not User.objects.exists()


def test_deactivated_person_is_refused(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.is_active = False
    person.save()
    sso.person = claims(given_name="Changed")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, "Your Soihtu account has been deactivated.")
    person.refresh_from_db()
    assert person.first_name == "Maija"
    assert not AuditEvent.objects.exists()


def test_anonymized_person_is_refused(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.anonymized_at = timezone.now()
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, "Your Soihtu account was closed when you left.")
    person.refresh_from_db()
    assert person.email == "maija_meikalainen@example.org"


def test_admin_group_grants_and_then_removes_the_okr_office_role(
    sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_ADMIN_GROUP = "okr-office"
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.email = "maija.meikalainen@kela.fi"
    person.last_name = "Meikäläinen"
    person.save()

    sso.person = claims(groups=["staff", "okr-office"])
    sign_in_round_trip(Client(HTTP_ACCEPT_LANGUAGE="en"))
    person.refresh_from_db()
    assert person.is_org_admin

    sso.person = claims(groups=["staff"])
    sign_in_round_trip(Client(HTTP_ACCEPT_LANGUAGE="en"))
    person.refresh_from_db()
    assert not person.is_org_admin

    granted, removed = person_events(person)
    assert granted.changes() == [
        ("is_org_admin", False, True),
        ("oidc_issuer", "", sso.issuer),
        ("oidc_subject", "", "kela-0f3a9"),
    ]
    assert removed.changes() == [("is_org_admin", True, False)]


def test_admin_group_is_read_from_the_id_token_and_a_configured_claim(
    sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_ADMIN_GROUP = "okr-office"
    settings.SOIHTU_OIDC_GROUPS_CLAIM = "roles"
    settings.SOIHTU_OIDC_EMPLOYEE_ID_CLAIM = "personnel_number"
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims(employee_id=None, personnel_number="E1001", roles="okr-office")
    sso.id_token_claims = frozenset({"roles"})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    assert signed_in_as(client) == person.pk
    person.refresh_from_db()
    assert person.is_org_admin


def test_without_an_admin_group_the_role_is_left_alone(sso: Provider) -> None:
    person = make_user("maija_meikalainen", org_admin=True)
    person.employee_id = "E1001"
    person.save()
    sso.person = claims(groups=[])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    person.refresh_from_db()
    assert person.is_org_admin


def test_sign_in_returns_to_the_page_asked_for(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    target = reverse("successes:feed")

    response = sign_in_round_trip(
        client, f"{reverse('accounts:oidc_authentication_init')}?next={target}"
    )

    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_sign_in_never_returns_to_another_site(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()

    response = sign_in_round_trip(
        Client(HTTP_ACCEPT_LANGUAGE="en"),
        f"{reverse('accounts:oidc_authentication_init')}?next=https://evil.example/",
    )

    assert response["Location"] == reverse("okrs:my_okrs")


def test_signed_in_person_sees_their_pages_and_can_sign_out(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in_round_trip(client)

    page = client.get(reverse("okrs:my_okrs"))
    assert page.status_code == 200
    assert "Maija Meikäläinen" in page.content.decode()
    client.post(reverse("accounts:logout"))
    assert signed_in_as(client) is None


def test_the_providers_tokens_are_not_kept_in_the_session(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in_round_trip(client)
    assert signed_in_as(client) == person.pk
    session = dict(client.session.items())
    assert "oidc_access_token" not in session
    assert "oidc_id_token" not in session
    assert "eyJ" not in str(session)  # no JWT under any name


def test_client_secret_basic_works_as_well(sso: Provider, settings: Any) -> None:
    settings.OIDC_TOKEN_USE_BASIC_AUTH = True
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    assert signed_in_as(client) == person.pk
    [(method, verifier)] = sso.token_requests
    assert method == "client_secret_basic"
    assert verifier  # PKCE is on


def test_token_request_uses_client_secret_post_and_pkce_by_default(sso: Provider) -> None:
    person = make_user("maija_meikalainen")
    person.employee_id = "E1001"
    person.save()
    sso.person = claims()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    sign_in_round_trip(client)

    assert signed_in_as(client) == person.pk
    [(method, verifier)] = sso.token_requests
    assert method == "client_secret_post"
    assert verifier


def test_person_who_declines_at_the_provider_is_told_so(sso: Provider) -> None:
    sso.person = None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_in_round_trip(client)

    assert_refused(client, response, FAILED)
    assert sso.token_requests == []


def test_authorization_request_names_client_scopes_nonce_and_pkce(sso: Provider) -> None:
    authorize = to_provider(Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert authorize.startswith(sso.url("/authorize?"))
    for part in [
        "client_id=soihtu-test",
        "response_type=code",
        "scope=openid+email+profile",
        "code_challenge_method=S256",
        "nonce=",
        "state=",
    ]:
        assert part in authorize


def test_callback_url_is_what_the_provider_returns_to(sso: Provider) -> None:
    sso.person = claims()
    callback = back_from_provider(to_provider(Client(HTTP_ACCEPT_LANGUAGE="en")))
    assert callback.startswith(reverse("accounts:oidc_authentication_callback") + "?")
    assert reverse("accounts:oidc_authentication_callback") == "/accounts/oidc/callback/"


def test_single_sign_on_pages_do_not_exist_while_it_is_off(client: Client) -> None:
    assert client.get(reverse("accounts:oidc_authentication_init")).status_code == 404
    callback = reverse("accounts:oidc_authentication_callback")
    assert client.get(f"{callback}?code=x&state=y").status_code == 404


def test_single_sign_on_views_are_get_only(sso: Provider, client: Client) -> None:
    assert client.post(reverse("accounts:oidc_authentication_init")).status_code == 405
    assert client.post(reverse("accounts:oidc_authentication_callback")).status_code == 405
