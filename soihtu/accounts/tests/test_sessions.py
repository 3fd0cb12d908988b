"""Sessions: the idle timeout and the absolute lifetime (with single sign-on, a trip through the
provider again), the person's sessions page where they end the others, the OKR office ending all
of a person's sessions, the `__Host-` cookie names in production, and the scheduler clearing
expired sessions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.conf import global_settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts import sessions
from soihtu.accounts.models import SignInSession, User
from soihtu.accounts.selectors import session_handle
from soihtu.accounts.tests.oidc_provider import Provider, back_from_provider, to_provider
from soihtu.audit.models import SecurityEvent
from soihtu.conftest import NOW, World, client_for, make_user
from soihtu.core.tests.settings_files import production_settings, settings_module

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "You were signed out after 30 minutes without activity."
ABSOLUTE_MESSAGE = "You were signed out because you signed in 10 hours ago."


@contextmanager
def later(**delta: float) -> Iterator[None]:
    """The clock stands at NOW + delta (the sign-in happened at NOW)."""
    with time_machine.travel(NOW + datetime.timedelta(**delta), tick=False):
        yield


def page() -> str:
    return reverse("okrs:my_okrs")


def login_url(next_path: str) -> str:
    return f"{reverse('accounts:login')}?next={quote(next_path, safe='/')}"


def expired_events(user: User) -> list[dict[str, Any]]:
    kind = SecurityEvent.Kind.SESSION_EXPIRED
    return [e.detail for e in SecurityEvent.objects.filter(kind=kind, user=user).order_by("id")]


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def session_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if "accounts_signinsession" in query["sql"] and not query["sql"].startswith("SELECT")
    ]


# The idle timeout


def test_a_session_idle_for_longer_than_the_timeout_ends(world: World) -> None:
    client = client_for(world.member)
    with later(minutes=31):
        response = client.get(page())
        assert response.status_code == 302
        assert response["Location"] == login_url(page())
        assert not signed_in(client)
        assert IDLE_MESSAGE in client.get(response["Location"]).content.decode()
    assert expired_events(world.member) == [{"reason": "idle"}]
    assert not SignInSession.objects.filter(user=world.member).exists()
    # Expiry is not a sign-out by the person.
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_OUT).exists()


def idle_minutes(settings: Any, minutes: int) -> None:
    """The idle timeout as SOIHTU_SESSION_IDLE_MINUTES=minutes sets it (with the cookie's age)."""
    settings.SOIHTU_SESSION_IDLE_MINUTES = minutes
    settings.SESSION_COOKIE_AGE = (minutes + 60) * 60


def test_the_idle_timeout_is_configurable(world: World, settings: Any) -> None:
    idle_minutes(settings, 90)
    client = client_for(world.member)
    with later(minutes=80):
        assert client.get(page()).status_code == 200
    with later(minutes=171):
        response = client.get(page())
        assert response.status_code == 302
        message = "You were signed out after 90 minutes without activity."
        assert message in client.get(response["Location"]).content.decode()


def test_activity_keeps_the_session_alive(world: World) -> None:
    client = client_for(world.member)
    for minutes in range(25, 300, 25):
        with later(minutes=minutes):
            assert client.get(page()).status_code == 200, minutes
    assert expired_events(world.member) == []


def test_the_session_row_is_written_at_most_once_a_minute(world: World) -> None:
    client = client_for(world.member)
    with later(seconds=10), CaptureQueriesContext(connection) as first:
        client.get(page())
    with later(seconds=40), CaptureQueriesContext(connection) as second:
        client.get(page())
    assert len(first.captured_queries) == len(second.captured_queries)
    assert session_writes(first) == session_writes(second) == []
    with later(minutes=2), CaptureQueriesContext(connection) as third:
        client.get(page())
    assert len(session_writes(third)) == 1
    row = SignInSession.objects.get(user=world.member)
    assert row.last_seen_at == NOW + datetime.timedelta(minutes=2)
    # The database forgets an idle session as the browser does: an hour after the idle
    # timeout has passed (the hour is for telling the person why they were signed out).
    assert row.expire_date == NOW + datetime.timedelta(minutes=2 + 30 + 60)


def test_the_session_cookie_lives_an_hour_longer_than_the_idle_timeout(
    world: World, settings: Any
) -> None:
    assert settings.SOIHTU_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == (30 + 60) * 60
    client = client_for(world.member)
    with later(minutes=2):
        response = client.get(page())
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == (30 + 60) * 60


def test_an_htmx_request_after_the_timeout_sends_the_browser_to_sign_in(world: World) -> None:
    client = client_for(world.member)
    objective = reverse("okrs:objective", args=[world.objective_a.pk])
    with later(minutes=31):
        response = client.get(
            page(),
            headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{objective}"},
        )
    assert response.status_code == 401
    assert response["HX-Redirect"] == login_url(objective)
    assert not signed_in(client)


def test_a_post_after_the_timeout_changes_nothing_and_returns_to_the_page_after_sign_in(
    world: World,
) -> None:
    client = client_for(world.member)
    objective = reverse("okrs:objective", args=[world.objective_a.pk])
    kr = world.kr_a1
    with later(minutes=31):
        response = client.post(
            reverse("checkins:new", args=[kr.pk]),
            {"value": "7", "confidence": "7", "note": "late", "measured_on": "2026-11-27"},
            headers={"Referer": f"http://testserver{objective}"},
        )
    assert response.status_code == 302
    assert response["Location"] == login_url(objective)
    assert not kr.checkins.exists()


def test_a_session_from_before_the_stamps_is_stamped_not_thrown_out(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.member)
    session = client.session
    for key in (sessions.SIGNED_IN_AT_KEY, sessions.SEEN_AT_KEY):
        del session[key]
    session.save()
    with later(minutes=45):
        assert client.get(page()).status_code == 200
        stamps = client.session[sessions.SIGNED_IN_AT_KEY], client.session[sessions.SEEN_AT_KEY]
    assert stamps == (NOW.timestamp() + 45 * 60,) * 2


# The absolute lifetime


def keep_active(client: Client, until_minutes: int) -> None:
    for minutes in range(20, until_minutes + 1, 20):
        with later(minutes=minutes):
            assert client.get(page()).status_code == 200, minutes


def test_a_password_session_ends_after_the_absolute_lifetime_however_active(
    world: World,
) -> None:
    client = client_for(world.member)
    keep_active(client, 600)
    with later(minutes=605):
        response = client.get(page())
        assert response.status_code == 302
        assert response["Location"] == login_url(page())
        assert ABSOLUTE_MESSAGE in client.get(response["Location"]).content.decode()
    assert expired_events(world.member) == [{"reason": "absolute"}]


def test_the_absolute_lifetime_is_configurable(world: World, settings: Any) -> None:
    settings.SOIHTU_SESSION_MAX_HOURS = 2
    client = client_for(world.member)
    keep_active(client, 100)
    with later(minutes=121):
        assert client.get(page()).status_code == 302
    assert expired_events(world.member) == [{"reason": "absolute"}]


def sso_sign_in(sso: Provider) -> tuple[Client, User]:
    person = make_user("maija_virtanen")
    person.employee_id = "E1001"
    person.save()
    sso.person = {"sub": "kela-0f3a9", "employee_id": "E1001", "email": "maija@kela.fi"}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(back_from_provider(to_provider(client)))
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "soihtu.accounts.oidc.SoihtuOIDCBackend"
    return client, person


def test_a_single_sign_on_session_goes_through_the_provider_again_after_the_lifetime(
    sso: Provider, settings: Any
) -> None:
    idle_minutes(settings, 24 * 60)
    client, person = sso_sign_in(sso)
    target = reverse("successes:feed")
    with later(hours=10, minutes=1):
        response = client.get(target)
        assert response.status_code == 302
        init = f"{reverse('accounts:oidc_authentication_init')}?next={quote(target, safe='/')}"
        assert response["Location"] == init
        assert not signed_in(client)
        # The provider's session is still valid: the person is back where they were going.
        back = client.get(back_from_provider(to_provider(client, response["Location"])))
        assert back.status_code == 302
        assert back["Location"] == target
        assert int(client.session[SESSION_KEY]) == person.pk
        assert client.get(target).status_code == 200
    assert expired_events(person) == [{"reason": "absolute"}]


def test_an_ended_provider_session_does_not_sign_the_person_back_in(
    sso: Provider, settings: Any
) -> None:
    idle_minutes(settings, 24 * 60)
    client, _person = sso_sign_in(sso)
    with later(hours=10, minutes=1):
        response = client.get(page())
        sso.person = None  # the provider no longer signs this browser in
        back = client.get(back_from_provider(to_provider(client, response["Location"])))
        assert back["Location"] == reverse("accounts:login")
        assert not signed_in(client)


def test_a_single_sign_on_post_after_the_lifetime_goes_to_the_sign_in_page(
    sso: Provider, settings: Any
) -> None:
    idle_minutes(settings, 24 * 60)
    client, _person = sso_sign_in(sso)
    with later(hours=10, minutes=1):
        response = client.post(reverse("accounts:sessions_end"), {})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert ABSOLUTE_MESSAGE in client.get(response["Location"]).content.decode()


def test_pages_that_need_no_sign_in_still_end_an_expired_session(world: World) -> None:
    client = client_for(world.member)
    with later(minutes=31):
        assert client.get(reverse("healthz")).status_code == 200
    assert not signed_in(client)
    assert expired_events(world.member) == [{"reason": "idle"}]


# The person's sessions page


def sessions_of(user: User, count: int, agent: str = "Mozilla/5.0") -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_USER_AGENT=agent)
        client.post(
            reverse("accounts:login"), {"username": user.username, "password": "test-password-1"}
        )
        assert signed_in(client)
        clients.append(client)
    return clients


FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)


def test_the_sessions_page_lists_only_the_persons_own_active_sessions(world: World) -> None:
    [here] = sessions_of(world.member, 1, FIREFOX)
    sessions_of(world.member, 1, SAFARI)
    sessions_of(world.member_b, 1, "Lynx/2.9")
    html = here.get(reverse("accounts:sessions")).content.decode()
    assert html.count('class="card session"') == 2
    assert "Firefox on Windows" in html
    assert "Safari on iOS" in html
    assert "Lynx" not in html
    assert "This session" in html
    for key in SignInSession.objects.values_list("session_key", flat=True):
        assert key not in html
    assert f'href="{reverse("accounts:sessions")}"' in html  # linked from the header


def test_the_sessions_page_leaves_out_expired_sessions(world: World) -> None:
    sessions_of(world.member, 1, SAFARI)
    with later(minutes=40):
        [here] = sessions_of(world.member, 1, FIREFOX)
        html = here.get(reverse("accounts:sessions")).content.decode()
    assert html.count('class="card session"') == 1
    assert "Safari" not in html


def test_the_sessions_page_does_a_constant_number_of_queries(world: World) -> None:
    def count(sessions: int) -> int:
        SignInSession.objects.all().delete()
        [here, *_others] = sessions_of(world.member, sessions, FIREFOX)
        with CaptureQueriesContext(connection) as captured:
            assert here.get(reverse("accounts:sessions")).status_code == 200
        return len(captured.captured_queries)

    assert count(1) == count(8) <= 5


def test_ending_the_other_sessions_keeps_this_one(world: World) -> None:
    here, *others = sessions_of(world.member, 3)
    [elsewhere] = sessions_of(world.member_b, 1)
    response = here.post(reverse("accounts:sessions_end"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sessions")
    assert "2 other sessions ended." in here.get(response["Location"]).content.decode()
    assert here.get(page()).status_code == 200
    for other in others:
        assert other.get(page()).status_code == 302
    assert elsewhere.get(page()).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSIONS_ENDED)
    assert (event.user, event.detail) == (world.member, {"count": 2, "ended": "others"})


def test_ending_one_other_session(world: World) -> None:
    here, gone, kept = sessions_of(world.member, 3)
    key = gone.session.session_key
    assert key is not None
    response = here.post(reverse("accounts:sessions_end"), {"session": session_handle(key)})
    assert response.status_code == 302
    assert gone.get(page()).status_code == 302
    assert here.get(page()).status_code == 200
    assert kept.get(page()).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSIONS_ENDED)
    assert event.detail == {"count": 1, "ended": "one"}


def test_nobody_ends_another_persons_session(world: World) -> None:
    [here] = sessions_of(world.member, 1)
    [foreign] = sessions_of(world.member_b, 1)
    key = foreign.session.session_key
    assert key is not None
    before = sorted(SignInSession.objects.values_list("session_key", flat=True))
    response = here.post(reverse("accounts:sessions_end"), {"session": session_handle(key)})
    assert response.status_code == 302
    assert sorted(SignInSession.objects.values_list("session_key", flat=True)) == before
    assert foreign.get(page()).status_code == 200
    assert "No session was ended." in here.get(response["Location"]).content.decode()


def test_this_session_is_not_ended_by_its_own_handle(world: World) -> None:
    [here] = sessions_of(world.member, 1)
    key = here.session.session_key
    assert key is not None
    here.post(reverse("accounts:sessions_end"), {"session": session_handle(key)})
    assert here.get(page()).status_code == 200


def test_ending_sessions_answers_405_to_get(world: World) -> None:
    [here, other] = sessions_of(world.member, 2)
    assert here.get(reverse("accounts:sessions_end")).status_code == 405
    assert other.get(page()).status_code == 200


def test_the_sessions_page_needs_sign_in(world: World) -> None:
    response = Client().get(reverse("accounts:sessions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# The OKR office


def test_the_okr_office_ends_all_sessions_of_a_person(world: World) -> None:
    theirs = sessions_of(world.member, 2)
    [bystander] = sessions_of(world.member_b, 1)
    office = client_for(world.admin)
    response = office.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "end_sessions", "_selected_action": [world.member.pk]},
    )
    assert response.status_code == 302
    for client in theirs:
        assert client.get(page()).status_code == 302
    assert bystander.get(page()).status_code == 200
    assert office.get(reverse("admin:accounts_user_changelist")).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSIONS_ENDED)
    assert (event.user, event.detail) == (
        world.member,
        {"count": 2, "ended": "all", "by": world.admin.pk, "by_username": "admin_okr"},
    )


def test_the_okr_office_sees_sessions_without_their_keys(world: World) -> None:
    sessions_of(world.member, 1, FIREFOX)
    office = client_for(world.admin)
    response = office.get(reverse("admin:accounts_signinsession_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Firefox on Windows" in html
    for key in SignInSession.objects.values_list("session_key", flat=True):
        assert key not in html


def test_a_deactivated_person_is_signed_out_at_the_next_request(world: World) -> None:
    [theirs] = sessions_of(world.member, 1)
    User.objects.filter(pk=world.member.pk).update(is_active=False)
    response = theirs.get(page())
    assert response.status_code == 302
    assert response["Location"] == login_url(page())


def test_someone_outside_the_okr_office_cannot_end_sessions_in_the_admin(world: World) -> None:
    theirs = sessions_of(world.member_b, 1)
    response = client_for(world.supervisor).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "end_sessions", "_selected_action": [world.member_b.pk]},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert theirs[0].get(page()).status_code == 200
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSIONS_ENDED).exists()


# Cookies and housekeeping


def test_the_timeouts_and_the_cookie_age_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = settings_module(monkeypatch)
    assert (defaults["SOIHTU_SESSION_IDLE_MINUTES"], defaults["SOIHTU_SESSION_MAX_HOURS"]) == (
        30,
        10,
    )
    chosen = settings_module(
        monkeypatch, SOIHTU_SESSION_IDLE_MINUTES="15", SOIHTU_SESSION_MAX_HOURS="8"
    )
    assert (chosen["SOIHTU_SESSION_IDLE_MINUTES"], chosen["SOIHTU_SESSION_MAX_HOURS"]) == (15, 8)
    assert chosen["SESSION_COOKIE_AGE"] == (15 + 60) * 60


COOKIE_SETTINGS = [
    f"{cookie}_COOKIE_{attribute}"
    for cookie in ("SESSION", "CSRF", "LANGUAGE")
    for attribute in ("NAME", "SECURE", "PATH", "DOMAIN")
]


def test_production_cookies_are_host_cookies(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = production_settings(monkeypatch)
    for name in COOKIE_SETTINGS:
        setattr(settings, name, production.get(name, getattr(global_settings, name)))
    assert (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME) == (
        "__Host-soihtu_session",
        "__Host-csrftoken",
    )
    assert settings.LANGUAGE_COOKIE_NAME == "__Host-soihtu_language"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = client.get(reverse("accounts:login"), secure=True)
    signed = client.post(
        reverse("accounts:login"),
        {"username": "member_a", "password": "test-password-1"},
        secure=True,
    )
    language = client.post(reverse("set_language"), {"language": "sv"}, secure=True)
    cookies = [
        form.cookies[settings.CSRF_COOKIE_NAME],
        signed.cookies[settings.SESSION_COOKIE_NAME],
        language.cookies[settings.LANGUAGE_COOKIE_NAME],
    ]
    for cookie in cookies:
        assert cookie.key.startswith("__Host-")
        assert (cookie["secure"], cookie["path"], cookie["domain"]) == (True, "/", ""), cookie
    assert signed.cookies[settings.SESSION_COOKIE_NAME]["httponly"] is True


def test_development_keeps_the_plain_cookie_names(settings: Any) -> None:
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"


def test_the_scheduler_clears_expired_sessions(world: World) -> None:
    sessions_of(world.member, 1)
    with later(minutes=30 + 60 + 1):
        sessions_of(world.member_b, 1)
        call_command("followup_schedule", "--now", verbosity=0)
    assert list(SignInSession.objects.values_list("user", flat=True)) == [world.member_b.pk]
