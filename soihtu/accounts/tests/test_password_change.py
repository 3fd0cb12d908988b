"""A person who signs in with a password changes it themselves: the current one, then a new one
of at least 12 characters that passes Django's checks. Other sessions end; this one stays."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import SignInSession, SignInThrottle, User
from soihtu.audit.models import SecurityEvent
from soihtu.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"
OLD = "test-password-1"
NEW = "kuusi-kuusta-kuukkeli"


@pytest.fixture
def person() -> User:
    return make_user("maija_meikalainen")


@pytest.fixture
def signed_in(person: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)
    return client


def change(client: Client, old: str = OLD, new: str = NEW, again: str | None = None) -> Any:
    return client.post(
        URL,
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
        REMOTE_ADDR="10.0.0.1",
    )


def password_unchanged(person: User) -> bool:
    person.refresh_from_db()
    return person.check_password(OLD)


def test_the_urls_have_names() -> None:
    assert reverse("accounts:password_change") == URL
    assert reverse("accounts:password_change_done") == "/accounts/password/done/"


def test_the_page_asks_for_the_current_and_the_new_password(signed_in: Client) -> None:
    response = signed_in.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Change password</h1>" in html
    assert 'name="old_password"' in html
    assert 'autocomplete="new-password"' in html
    assert "at least 12 characters" in html


def test_changing_the_password_keeps_this_session_and_records_it(
    signed_in: Client, person: User
) -> None:
    response = change(signed_in)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert signed_in.session[SESSION_KEY] == str(person.pk)
    done = signed_in.get(response["Location"])
    assert done.status_code == 200
    assert "Your password has been changed." in done.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    assert event.user == person
    assert event.address == "10.0.0.1"


def test_changing_the_password_ends_the_other_sessions(signed_in: Client, person: User) -> None:
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en")
    elsewhere.force_login(person)
    assert elsewhere.get(URL).status_code == 200

    change(signed_in)

    # The other sessions leave the person's sessions list at once: only this one is left...
    assert list(
        SignInSession.objects.filter(user=person).values_list("session_key", flat=True)
    ) == [signed_in.session.session_key]
    # ...and the other browser is signed out.
    response = elsewhere.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_short_password_is_refused_with_a_message(signed_in: Client, person: User) -> None:
    response = change(signed_in, new="lyhyt-sana1")  # 11 characters

    assert response.status_code == 200
    assert (
        "This password is too short. It must contain at least 12 characters."
        in response.content.decode()
    )
    assert password_unchanged(person)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGED).exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password1234", "This password is too common."),
        ("820319574602", "This password is entirely numeric."),
        ("maija_meikalainen1", "The password is too similar to the username."),
    ],
)
def test_django_password_checks_apply(
    signed_in: Client, person: User, new: str, message: str
) -> None:
    response = change(signed_in, new=new)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert password_unchanged(person)


def test_mismatched_new_passwords_are_refused(signed_in: Client, person: User) -> None:
    response = change(signed_in, again="kuusi-kuusta-kuukkelia")

    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    assert password_unchanged(person)


def test_a_wrong_current_password_is_refused_and_counted(signed_in: Client, person: User) -> None:
    response = change(signed_in, old="wrong-password")

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert password_unchanged(person)
    assert SignInThrottle.objects.get(kind="account", key="maija_meikalainen").count == 1


def test_guessing_the_current_password_is_throttled_like_signing_in(
    signed_in: Client, person: User
) -> None:
    for _ in range(3):
        change(signed_in, old="wrong-password")

    response = change(signed_in)  # the right one, too soon

    assert response.status_code == 429
    assert "Too many failed sign-ins." in response.content.decode()
    assert password_unchanged(person)


def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_there_is_no_page_when_password_sign_in_is_off(
    signed_in: Client, person: User, settings: Any
) -> None:
    settings.SOIHTU_PASSWORD_LOGIN = False

    assert signed_in.get(URL).status_code == 404
    assert change(signed_in).status_code == 404
    assert signed_in.get("/accounts/password/done/").status_code == 404
    assert password_unchanged(person)


def test_people_without_a_password_of_their_own_have_no_page(person: User) -> None:
    person.set_unusable_password()  # single sign-on only
    person.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)

    assert client.get(URL).status_code == 404
    assert change(client).status_code == 404


def test_the_page_header_links_to_it(signed_in: Client, person: User, settings: Any) -> None:
    link = f'href="{URL}"'
    assert link in signed_in.get("/accounts/password/done/").content.decode()

    person.set_unusable_password()
    person.save()
    sso_only = Client(HTTP_ACCEPT_LANGUAGE="en")
    sso_only.force_login(person)
    assert link not in sso_only.get(reverse("api:tokens")).content.decode()


def test_the_page_header_has_no_link_when_password_sign_in_is_off(
    signed_in: Client, settings: Any
) -> None:
    settings.SOIHTU_PASSWORD_LOGIN = False

    assert f'href="{URL}"' not in signed_in.get(reverse("api:tokens")).content.decode()
