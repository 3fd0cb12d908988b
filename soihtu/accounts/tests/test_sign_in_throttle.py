"""Failed password sign-ins are throttled per account and per client address: a few are free,
then each attempt waits longer, and many lock the account (or the address) for a while. The
same on the sign-in page and the admin's, whether or not the username exists."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soihtu.accounts import throttle
from soihtu.accounts.models import SignInThrottle, User
from soihtu.audit.models import SecurityEvent
from soihtu.conftest import NOW, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
PASSWORD = "test-password-1"
NAME = "maija_meikalainen"
LOCKED = (
    "Too many failed sign-ins. Try again in 30 minutes, or ask the OKR office to unlock your "
    "account."
)


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    """The documented defaults, stated here so that the tests read on their own."""
    settings.SOIHTU_SIGN_IN_FREE_FAILURES = 3
    settings.SOIHTU_SIGN_IN_MAX_DELAY_SECONDS = 300
    settings.SOIHTU_SIGN_IN_LOCKOUT_FAILURES = 10
    settings.SOIHTU_SIGN_IN_LOCKOUT_MINUTES = 30
    settings.SOIHTU_SIGN_IN_ADDRESS_FAILURES = 50
    settings.SOIHTU_SIGN_IN_WINDOW_MINUTES = 60


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """A clock that moves only when the test shifts it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def person() -> User:
    return make_user(NAME)


def sign_in(
    client: Client,
    password: str = PASSWORD,
    *,
    username: str = NAME,
    address: str = HOME,
    url: str = LOGIN,
) -> Any:
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client: Client, times: int = 1, **kwargs: Any) -> None:
    for _ in range(times):
        response = sign_in(client, "wrong-password", **kwargs)
        assert response.status_code == 200, response.content.decode()
        assert "Please enter a correct username and password." in response.content.decode()


def wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many failed sign-ins. Try again in {seconds} {unit}."


def fail_until_locked(client: Client, clock: time_machine.Traveller, **kwargs: Any) -> None:
    """Ten failures, each after the wait the previous ones asked for."""
    fail(client, 3, **kwargs)
    for delay in [1, 2, 4, 8, 16, 32, 64]:
        clock.shift(datetime.timedelta(seconds=delay))
        fail(client, **kwargs)


def throttled_events() -> int:
    return SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, detail__throttled=True
    ).count()


def test_three_failures_are_free_then_each_attempt_waits_longer(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3)

    response = sign_in(client, "wrong-password")
    assert response.status_code == 429
    assert wait_message(1) in response.content.decode()

    clock.shift(datetime.timedelta(seconds=1))
    fail(client)
    assert wait_message(2) in sign_in(client, "wrong-password").content.decode()

    clock.shift(datetime.timedelta(seconds=1))
    assert wait_message(1) in sign_in(client, "wrong-password").content.decode()
    clock.shift(datetime.timedelta(seconds=1))
    fail(client)
    assert wait_message(4) in sign_in(client, "wrong-password").content.decode()


def test_a_waiting_attempt_is_refused_without_checking_the_password(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3)
    failed_before = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED).count()

    response = sign_in(client)  # the right password

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    person.refresh_from_db()
    assert person.last_login is None
    assert SignInThrottle.objects.get(kind="account", key=NAME).count == 3  # not counted
    # Recorded once, as a throttled attempt (the password check's own event did not happen).
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert events.count() == failed_before + 1
    event = events.first()
    assert event is not None
    assert event.username == NAME
    assert event.address == HOME
    assert event.detail["throttled"] is True
    assert event.status == 429


def test_after_the_wait_the_right_password_signs_in_and_clears_the_account(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3)
    clock.shift(datetime.timedelta(seconds=1))

    response = sign_in(client)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)
    assert not SignInThrottle.objects.filter(kind="account").exists()
    # The address keeps its count: signing in to one's own account must not hide guessing at
    # others from the same address.
    assert SignInThrottle.objects.get(kind="address", key=HOME).count == 3
    client.logout()
    fail(client, 3)  # free again


def test_ten_failures_lock_the_account_for_thirty_minutes(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail_until_locked(client, clock)

    response = sign_in(client)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    locks = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert [(e.username, e.address, e.detail["throttle"]) for e in locks] == [
        (NAME, HOME, "account")
    ]

    clock.shift(datetime.timedelta(minutes=29))
    response = sign_in(client, address=ELSEWHERE)  # from anywhere
    assert response.status_code == 429
    assert "Try again in 1 minute, or ask the OKR office" in response.content.decode()

    clock.shift(datetime.timedelta(minutes=1))
    assert sign_in(client).status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)


def test_a_lock_that_ended_starts_the_count_again(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    """Nobody can be kept locked out by one failure every half an hour."""
    fail_until_locked(client, clock)
    clock.shift(datetime.timedelta(minutes=30))

    fail(client, 3)
    assert sign_in(client, "wrong-password").status_code == 429
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).count() == 1


def test_failures_older_than_the_window_are_forgotten(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3)
    clock.shift(datetime.timedelta(minutes=61))

    fail(client, 3)
    assert SignInThrottle.objects.get(kind="account", key=NAME).count == 3


def test_unknown_usernames_are_throttled_the_same_way(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3, username="nobody_here", address="10.0.0.3")
    fail(client, 3, address="10.0.0.4")

    unknown = sign_in(client, username="nobody_here", address="10.0.0.3")
    known = sign_in(client, "wrong-password", address="10.0.0.4")

    assert unknown.status_code == known.status_code == 429
    assert wait_message(1) in unknown.content.decode()
    assert wait_message(1) in known.content.decode()


def test_the_username_is_counted_whatever_its_case(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, username="Maija_Meikalainen")
    fail(client, username="MAIJA_MEIKALAINEN")
    fail(client)

    assert sign_in(client).status_code == 429


def test_an_address_is_stopped_after_many_failures_on_any_accounts(
    client: Client, person: User, clock: time_machine.Traveller, settings: Any
) -> None:
    settings.SOIHTU_SIGN_IN_ADDRESS_FAILURES = 5
    for number in range(5):
        fail(client, username=f"guess_{number}")

    response = sign_in(client)  # the right password of an account nobody guessed at

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    lock = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert lock.detail["throttle"] == "address"
    assert lock.address == HOME
    assert sign_in(client, address=ELSEWHERE).status_code == 302  # other addresses go on


def test_an_address_under_its_limit_is_not_slowed_down(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    """Many people share an office's address: their typos add up without making anyone wait."""
    for number in range(20):
        fail(client, username=f"colleague_{number}")

    assert sign_in(client).status_code == 302


def test_the_admin_sign_in_is_throttled_too(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 2)
    response = sign_in(client, "wrong-password", url=ADMIN_LOGIN)
    assert response.status_code == 200
    assert SignInThrottle.objects.get(kind="account", key=NAME).count == 3

    response = sign_in(client, url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert wait_message(1) in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_okr_office_signs_in_on_the_admin_sign_in_page(client: Client) -> None:
    office = make_user("okr_office", org_admin=True)

    response = sign_in(client, username="okr_office", url=ADMIN_LOGIN)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(office.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_sign_in_still_refuses_people_outside_the_okr_office(
    client: Client, person: User
) -> None:
    response = sign_in(client, url=ADMIN_LOGIN)

    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in (
        response.content.decode()
    )
    assert SESSION_KEY not in client.session


def test_two_failures_count_two() -> None:
    """Each failure adds one in the database (the row is locked while it is counted), so
    simultaneous failures are all counted and the lock starts exactly once."""
    now = timezone.now()
    for _ in range(2):
        throttle.sign_in_failure_record(username=NAME, address=HOME, request=None, now=now)

    counts = dict(SignInThrottle.objects.values_list("kind", "count"))
    assert counts == {"account": 2, "address": 2}


def test_the_lock_starts_once_however_many_failures_follow(settings: Any) -> None:
    settings.SOIHTU_SIGN_IN_LOCKOUT_FAILURES = 2
    now = timezone.now()
    for _ in range(4):
        throttle.sign_in_failure_record(username=NAME, address=HOME, request=None, now=now)

    row = SignInThrottle.objects.get(kind="account")
    assert row.count == 4
    assert row.locked_until == now + datetime.timedelta(minutes=30)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).count() == 1


def test_without_a_client_address_the_account_is_still_counted() -> None:
    throttle.sign_in_failure_record(username=NAME, address=None, request=None, now=timezone.now())

    assert list(SignInThrottle.objects.values_list("kind", "count")) == [("account", 1)]


def test_rows_that_no_longer_count_are_removed(clock: time_machine.Traveller) -> None:
    now = timezone.now()
    throttle.sign_in_failure_record(username="old", address=HOME, request=None, now=now)
    later = now + datetime.timedelta(minutes=61)

    throttle.sign_in_failure_record(username="new", address=ELSEWHERE, request=None, now=later)

    assert sorted(SignInThrottle.objects.values_list("key", flat=True)) == [ELSEWHERE, "new"]


# The OKR office's admin


@pytest.fixture
def office() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("okr_office", org_admin=True))
    return client


def test_the_okr_office_unlocks_an_account_in_the_admin(
    client: Client, office: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail_until_locked(client, clock)
    locked = SignInThrottle.objects.get(kind="account", key=NAME)

    response = office.post(
        reverse("admin:accounts_signinthrottle_changelist"),
        {"action": "unlock", "_selected_action": [str(locked.pk)]},
        REMOTE_ADDR=ELSEWHERE,
    )

    assert response.status_code == 302
    assert not SignInThrottle.objects.filter(kind="account").exists()
    assert SignInThrottle.objects.filter(kind="address").exists()  # not selected, kept
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.UNLOCKED)
    assert event.user == User.objects.get(username="okr_office")
    assert event.address == ELSEWHERE
    assert event.detail == {"throttle": "account", "key": NAME}
    assert sign_in(client).status_code == 302


def test_the_admin_lists_and_searches_the_counts(
    client: Client, office: Client, clock: time_machine.Traveller
) -> None:
    fail(client, username="maija_meikalainen")
    fail(client, username="matti_virtanen", address=ELSEWHERE)
    url = reverse("admin:accounts_signinthrottle_changelist")

    response = office.get(url, {"q": "maija"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "maija_meikalainen" in html
    assert "matti_virtanen" not in html
    assert ELSEWHERE in office.get(url, {"q": ELSEWHERE}).content.decode()


def test_the_admin_cannot_add_or_edit_counts(office: Client) -> None:
    assert office.get(reverse("admin:accounts_signinthrottle_add")).status_code == 403


def test_nobody_outside_the_okr_office_unlocks(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3)
    row = SignInThrottle.objects.get(kind="account")
    member = Client(HTTP_ACCEPT_LANGUAGE="en")
    member.force_login(make_user("member_a"))

    response = member.post(
        reverse("admin:accounts_signinthrottle_changelist"),
        {"action": "unlock", "_selected_action": [str(row.pk)]},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)
    assert SignInThrottle.objects.get(pk=row.pk).count == 3
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.UNLOCKED).exists()


def test_throttled_attempts_are_recorded(
    client: Client, person: User, clock: time_machine.Traveller
) -> None:
    fail(client, 3)
    sign_in(client)
    sign_in(client)
    assert throttled_events() == 2
