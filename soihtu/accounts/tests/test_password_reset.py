"""A forgotten password is reset by email: the request page says the same thing whatever the
address, only people with a password of their own get the email, nobody can flood an inbox,
and the link sets a new password once."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import SignInSession, SignInThrottle, User
from soihtu.audit.models import SecurityEvent
from soihtu.conftest import NOW, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
NEW = "kuusi-kuusta-kuukkeli"
EMAIL = "maija_meikalainen@example.org"
BASE_URL = "https://okr.example.fi"
SAME_ANSWER = "If the address belongs to someone in Soihtu who signs in with a password"
TOO_MANY = "Too many password reset requests. Try again in"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.SOIHTU_PASSWORD_RESET_PER_EMAIL = 3
    settings.SOIHTU_PASSWORD_RESET_PER_ADDRESS = 20
    settings.SOIHTU_SIGN_IN_WINDOW_MINUTES = 60
    settings.SOIHTU_BASE_URL = BASE_URL + "/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def person() -> User:
    return make_user("maija_meikalainen")


def ask(client: Client, email: str = EMAIL, address: str = "10.0.0.1") -> Any:
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(rf"{re.escape(BASE_URL)}(/accounts/password/reset/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_the_urls_have_names() -> None:
    assert reverse("accounts:password_reset") == URL
    assert reverse("accounts:password_reset_done") == SENT
    assert reverse("accounts:password_reset_complete") == "/accounts/password/reset/complete/"
    assert reverse("accounts:password_reset_confirm", args=["MQ", "abc-123"]) == (
        "/accounts/password/reset/MQ/abc-123/"
    )


def test_the_sign_in_page_links_to_it(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{URL}"' in html
    assert "Forgot your password?" in html


def test_the_request_page_asks_for_an_email_address(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    assert 'type="email"' in response.content.decode()


def test_the_email_is_sent_and_its_link_sets_a_new_password(client: Client, person: User) -> None:
    response = ask(client)

    assert response.status_code == 302
    assert response["Location"] == SENT
    assert SAME_ANSWER in client.get(SENT).content.decode()
    [message] = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == "Resetting your Soihtu password"
    assert "maija_meikalainen" in str(message.body)  # the username, in case they forgot it
    requested = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED)
    assert requested.user == person
    assert requested.address == "10.0.0.1"

    form = client.get(link_in(message), follow=True)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )

    assert done.redirect_chain[-1][0] == "/accounts/password/reset/complete/"
    assert "Your password has been set." in done.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert SESSION_KEY not in client.session  # they sign in with the new password
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET).user == person


def test_a_link_works_once(client: Client, person: User) -> None:
    ask(client)
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    again = Client(HTTP_ACCEPT_LANGUAGE="en").get(link, follow=True)

    assert "The password reset link was invalid" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_a_short_new_password_is_refused_with_a_message(client: Client, person: User) -> None:
    ask(client)
    form = client.get(link_in(mail.outbox[0]), follow=True)

    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "lyhyt-sana1", "new_password2": "lyhyt-sana1"}
    )

    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    person.refresh_from_db()
    assert person.check_password("test-password-1")
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET).exists()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client: Client, person: User) -> None:
    known = ask(client)
    unknown = ask(client, "nobody@example.org")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, user=None)
    assert event.detail == {"email": "nobody@example.org", "sent": False}


@pytest.mark.parametrize("who", ["single sign-on only", "anonymized", "deactivated"])
def test_people_without_a_usable_password_get_no_email(
    client: Client, person: User, who: str
) -> None:
    if who == "deactivated":
        person.is_active = False
    else:
        person.set_unusable_password()
    person.save()

    response = ask(client)

    assert response.status_code == 302
    assert response["Location"] == SENT
    assert mail.outbox == []


def test_the_email_address_is_limited_to_three_requests_an_hour(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    for number in range(3):
        assert ask(client, address=f"10.0.1.{number}").status_code == 302

    response = ask(client, EMAIL.upper(), address="10.0.1.9")

    assert response.status_code == 429
    assert f"{TOO_MANY} 60 minutes." in response.content.decode()
    assert len(mail.outbox) == 3
    refused = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, detail__throttled=True
    )
    assert refused.count() == 1

    clock.shift(datetime.timedelta(minutes=60))
    assert ask(client).status_code == 302
    assert len(mail.outbox) == 4


def test_unknown_addresses_are_limited_the_same_way(client: Client) -> None:
    for _ in range(3):
        ask(client, "nobody@example.org")

    response = ask(client, "nobody@example.org")

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()


def test_one_client_address_is_limited_whatever_the_email(
    client: Client, person: User, settings: Any
) -> None:
    settings.SOIHTU_PASSWORD_RESET_PER_ADDRESS = 4
    for number in range(4):
        ask(client, f"someone_{number}@example.org")

    response = ask(client)

    assert response.status_code == 429
    assert mail.outbox == []
    assert ask(client, address="10.0.0.2").status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_ends_a_sign_in_lock(client: Client, person: User, settings: Any) -> None:
    settings.SOIHTU_SIGN_IN_LOCKOUT_FAILURES = 1
    client.post(
        reverse("accounts:login"), {"username": "maija_meikalainen", "password": "wrong-password"}
    )
    assert SignInThrottle.objects.get(kind="account").locked_until is not None
    ask(client)
    form = client.get(link_in(mail.outbox[0]), follow=True)

    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert not SignInThrottle.objects.filter(kind="account").exists()
    response = client.post(
        reverse("accounts:login"), {"username": "maija_meikalainen", "password": NEW}
    )
    assert response.status_code == 302


def test_there_are_no_reset_pages_when_password_sign_in_is_off(
    client: Client, person: User, settings: Any
) -> None:
    settings.SOIHTU_PASSWORD_LOGIN = False

    for url in [URL, SENT, "/accounts/password/reset/complete/", "/accounts/password/reset/MQ/x/"]:
        assert client.get(url).status_code == 404, url
    assert ask(client).status_code == 404
    assert mail.outbox == []
    assert (
        'href="/accounts/password/reset/"'
        not in client.get(reverse("accounts:login")).content.decode()
    )


def test_a_reset_ends_every_session_of_the_person(client: Client, person: User) -> None:
    elsewhere = Client()
    elsewhere.force_login(person)  # e.g. a session on a lost laptop
    assert SignInSession.objects.filter(user=person).count() == 1
    ask(client)
    [message] = mail.outbox
    form = client.get(link_in(message), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert not SignInSession.objects.filter(user=person).exists()
    assert elsewhere.get(reverse("okrs:my_okrs")).status_code == 302
