"""The security events and the access log: what they record, that writing them never fails a
request, how long they are kept, and that the OKR office can search them."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from soihtu.accounts.models import SignInSession
from soihtu.audit.models import AccessRecord, SecurityEvent
from soihtu.audit.services import access_record, security_event_record, security_logs_prune
from soihtu.conftest import World, client_for
from soihtu.core.http import client_address


def test_client_address_is_the_peer_without_proxies(settings: object) -> None:
    settings.SOIHTU_PROXY_HOPS = 0  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "10.1.2.3"


def test_client_address_behind_one_proxy_ignores_what_the_client_forged(
    settings: object,
) -> None:
    settings.SOIHTU_PROXY_HOPS = 1  # type: ignore[attr-defined]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert client_address(request) == "198.51.100.7"


def test_client_address_that_is_not_an_address_is_none(settings: object) -> None:
    settings.SOIHTU_PROXY_HOPS = 1  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="evil")
    assert client_address(request) is None


def test_password_sign_in_and_out_are_security_events_with_the_session_stamped(
    world: World,
) -> None:
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox/140")
    response = client.post(
        reverse("accounts:login"), {"username": "member_a", "password": "test-password-1"}
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN)
    assert (event.user, event.username, event.address) == (world.member, "member_a", "192.0.2.10")
    session = SignInSession.objects.get(user=world.member)
    assert (session.address, session.user_agent) == ("192.0.2.10", "Firefox/140")
    assert session.signed_in_at is not None
    client.post(reverse("accounts:logout"))
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_OUT, user=world.member)
    assert not SignInSession.objects.filter(user=world.member).exists()


def test_failed_sign_in_records_the_name_tried_never_the_password(world: World) -> None:
    Client(REMOTE_ADDR="192.0.2.11").post(
        reverse("accounts:login"), {"username": "member_a", "password": "wrong-guess-123"}
    )
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert (event.user, event.username, event.address) == (None, "member_a", "192.0.2.11")
    assert "wrong-guess-123" not in str(event.detail) + event.path


def test_a_security_event_that_cannot_be_written_does_not_fail_the_caller(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(SecurityEvent, "save", broken)
    assert security_event_record(kind=SecurityEvent.Kind.REFUSED, user=world.member) is None


def test_an_access_record_that_cannot_be_written_does_not_fail_the_caller(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(AccessRecord.objects, "bulk_create", broken)
    request = RequestFactory().get("/x")
    request.user = world.member
    assert access_record(request=request, kind=AccessRecord.Kind.OBJECTIVE, objects=[(1, "x")]) == 0


def test_access_records_of_one_page_are_one_insert(
    world: World, django_assert_num_queries: object
) -> None:
    request = RequestFactory().get("/objectives/1/", REMOTE_ADDR="192.0.2.12")
    request.user = world.member
    objects = [(world.restricted_a.pk, world.restricted_a.title), (world.objective_a.pk, "x")]
    with django_assert_num_queries(3):  # type: ignore[operator]  # savepoint, insert, release
        written = access_record(request=request, kind=AccessRecord.Kind.OBJECTIVE, objects=objects)
    assert written == 2
    entry = AccessRecord.objects.get(object_id=world.restricted_a.pk)
    assert (entry.user, entry.object_repr, entry.path, entry.address) == (
        world.member,
        "Sisäinen kehitys",
        "GET /objectives/1/",
        "192.0.2.12",
    )


def test_entries_older_than_the_retention_are_pruned(world: World, settings: object) -> None:
    settings.SOIHTU_SECURITY_LOG_DAYS = 30  # type: ignore[attr-defined]
    settings.SOIHTU_ACCESS_LOG_DAYS = 730  # type: ignore[attr-defined]
    now = timezone.now()
    for days in (10, 40, 800):
        at = now - datetime.timedelta(days=days)
        SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, at=at)
        AccessRecord.objects.create(kind="objective", object_id=1, object_repr="x", at=at)
    assert security_logs_prune(now=now) == (2, 1)
    assert SecurityEvent.objects.count() == 1
    assert AccessRecord.objects.count() == 2


def test_the_okr_office_searches_the_access_log_by_person(world: World) -> None:
    AccessRecord.objects.create(
        user=world.member, kind="objective", object_id=world.restricted_a.pk, object_repr="Salainen"
    )
    AccessRecord.objects.create(
        user=world.supervisor, kind="objective", object_id=world.restricted_a.pk, object_repr="Muu"
    )
    admin = client_for(world.admin)
    page = admin.get(reverse("admin:audit_accessrecord_changelist") + "?q=member_a")
    assert page.status_code == 200
    assert "Salainen" in page.content.decode()
    assert "Muu" not in page.content.decode()
    by_object = admin.get(
        reverse("admin:audit_accessrecord_changelist") + f"?q={world.restricted_a.pk}"
    )
    assert "Salainen" in by_object.content.decode()
    by_name = admin.get(reverse("admin:audit_accessrecord_changelist") + "?q=Member%20A")
    assert "Salainen" in by_name.content.decode()  # member_a is "Member A"
    by_day = admin.get(
        reverse("admin:audit_accessrecord_changelist")
        + f"?at__year={timezone.now().year}&q=member_a"
    )
    assert "Salainen" in by_day.content.decode()
    other_year = admin.get(
        reverse("admin:audit_accessrecord_changelist") + "?at__year=2020&q=member_a"
    )
    assert "Salainen" not in other_year.content.decode()


def test_the_okr_office_searches_security_events_by_name_tried_and_address(
    world: World,
) -> None:
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="no.such.person", address="192.0.2.44"
    )
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, user=world.member, username="m")
    admin = client_for(world.admin)
    url = reverse("admin:audit_securityevent_changelist")
    assert "no.such.person" in admin.get(url + "?q=no.such.person").content.decode()
    assert "no.such.person" in admin.get(url + "?q=192.0.2.44").content.decode()
    by_person = admin.get(url + "?q=member_a").content.decode()
    assert "no.such.person" not in by_person
    assert "signed in" in by_person


@pytest.mark.parametrize("persona", ["supervisor", "member", "outsider"])
def test_only_the_okr_office_reads_the_logs(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    for name in ["admin:audit_accessrecord_changelist", "admin:audit_securityevent_changelist"]:
        assert client.get(reverse(name)).status_code == 302


def test_the_logs_cannot_be_changed_even_by_the_okr_office(world: World) -> None:
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, user=world.member)
    admin = client_for(world.admin)
    url = reverse("admin:audit_securityevent_delete", args=[event.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_a_security_event_is_also_one_json_line_for_the_log_collection(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="soihtu.security"):
        security_event_record(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="evil\nforged line", user=None
        )
    (record,) = [r for r in caplog.records if r.name == "soihtu.security"]
    line = record.getMessage()
    assert "\n" not in line
    assert json.loads(line)["username"] == "evil\nforged line"
    assert json.loads(line)["event"] == "sign_in_failed"


def test_a_security_event_keeps_the_path_without_its_query(world: World) -> None:
    request = RequestFactory().get("/accounts/oidc/callback/?code=one-time-code&state=s")
    event = security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_REFUSED, request=request, user=None
    )
    assert event is not None
    assert event.path == "GET /accounts/oidc/callback/"
