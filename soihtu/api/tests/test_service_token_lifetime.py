"""A service token works only while the org admin who created it still is one, expires within a
year, and is revoked when its creator's role goes; creating and revoking tokens are security
events."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soihtu.api.access import client_for_token
from soihtu.api.models import ApiToken
from soihtu.api.services import service_tokens_revoke_for, token_create
from soihtu.api.tests.helpers import Api, personal_token, service_token
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.conftest import World, client_for, make_user
from soihtu.organization.roles import build_actor

TODAY = datetime.date(2026, 11, 27)
LAST_DAY = datetime.date(2027, 11, 26)  # a year after today, counted from the moment it ends


def state() -> tuple[object, ...]:
    return (
        sorted(ApiToken.objects.values_list("id", "name", "expires_at", "revoked_at")),
        AuditEvent.objects.count(),
        SecurityEvent.objects.filter(kind__startswith="token_").count(),
    )


def service_data(**extra: str) -> dict[str, str]:
    return {"name": "Asiakaspalvelu", "scope": "write", **extra}


def token_events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


# Every service token expires, at most a year after it is created.


@pytest.mark.parametrize(
    ("valid_through", "message"),
    [
        ("", "Choose the last day the token works"),
        ("2027-11-27", "Choose a day from today to 11/26/2027"),
        ("2030-01-01", "Choose a day from today to 11/26/2027"),
        ("2026-11-26", "Choose a day from today to 11/26/2027"),
    ],
)
def test_a_service_token_needs_a_last_day_within_a_year(
    world: World, valid_through: str, message: str
) -> None:
    data = service_data(units=str(world.team_a.pk), valid_through=valid_through)
    before = state()
    response = client_for(world.admin).post(reverse("api:token_create_service"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "sht_" not in response.content.decode()
    assert state() == before


def test_a_service_token_may_last_a_year(world: World) -> None:
    data = service_data(units=str(world.team_a.pk), valid_through=LAST_DAY.isoformat())
    response = client_for(world.admin).post(reverse("api:token_create_service"), data)
    assert response.status_code == 201
    token = ApiToken.objects.get()
    assert token.valid_through == LAST_DAY
    assert token.expires_at is not None
    assert token.expires_at - token.created_at <= datetime.timedelta(days=365)


def test_the_service_token_form_offers_the_last_day_a_year_ahead(world: World) -> None:
    page = client_for(world.admin).get(reverse("api:tokens")).content.decode()
    assert f'name="valid_through" value="{LAST_DAY.isoformat()}"' in page
    assert "only while the admin who created it is in the OKR office" in page


def test_personal_tokens_may_still_work_until_revoked(world: World) -> None:
    response = client_for(world.member).post(
        reverse("api:token_create_personal"), {"name": "Raportointi", "scope": "read"}
    )
    assert response.status_code == 201
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize("valid_through", [None, TODAY + datetime.timedelta(days=365)])
def test_the_service_refuses_a_service_token_without_a_last_day_within_a_year(
    world: World, valid_through: datetime.date | None
) -> None:
    with pytest.raises(ValidationError):
        token_create(
            actor=build_actor(world.admin),
            kind=ApiToken.Kind.SERVICE,
            name="x",
            scope=ApiToken.Scope.READ,
            units=[world.team_a],
            valid_through=valid_through,
        )
    assert not ApiToken.objects.exists()


def test_the_database_refuses_a_service_token_without_an_expiry(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            kind=ApiToken.Kind.SERVICE,
            name="x",
            created_by=world.admin,
            prefix="sht_x",
            secret_hash="0" * 64,
        )


# A service token works only while its creator is an org admin.


def test_a_service_token_of_a_creator_who_is_no_longer_an_org_admin_answers_401(
    world: World,
) -> None:
    api = Api(service_token(world.admin, [world.team_a]))
    assert api.get("/themes").status_code == 200
    # The role removed behind the services' back (a database fix, a shell): checked at use.
    type(world.admin).objects.filter(pk=world.admin.pk).update(is_org_admin=False)
    response = api.get("/themes")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_the_creators_role_is_read_with_the_token_in_one_query(
    world: World, django_assert_num_queries: object
) -> None:
    secret = service_token(world.admin, [world.team_a])
    with django_assert_num_queries(3):  # type: ignore[operator]  # the token, the scope's units
        client = client_for_token(secret)
    assert client is not None


def test_a_personal_token_does_not_depend_on_being_an_org_admin(world: World) -> None:
    api = Api(personal_token(world.admin))
    type(world.admin).objects.filter(pk=world.admin.pk).update(is_org_admin=False)
    assert api.get("/themes").status_code == 200


# Removing the role revokes the person's service tokens.


def test_revoking_for_a_person_revokes_their_live_service_tokens_only(world: World) -> None:
    other_admin = make_user("admin_two", org_admin=True)
    mine = Api(service_token(world.admin, [world.team_a]))
    theirs = Api(service_token(other_admin, [world.team_a]))
    own_personal = Api(personal_token(world.admin))
    already = ApiToken.objects.create(
        kind=ApiToken.Kind.SERVICE,
        name="old",
        created_by=world.admin,
        expires_at=timezone.now() + datetime.timedelta(days=3),
        revoked_at=timezone.now() - datetime.timedelta(days=1),
        prefix="sht_old",
        secret_hash="1" * 64,
    )
    revoked_before = already.revoked_at

    count = service_tokens_revoke_for(
        user=world.admin, actor=other_admin, request=None, reason="org_admin_removed_in_admin"
    )

    assert count == 1
    assert mine.get("/themes").status_code == 401
    assert theirs.get("/themes").status_code == 200
    assert own_personal.get("/themes").status_code == 200
    already.refresh_from_db()
    assert already.revoked_at == revoked_before
    token = ApiToken.objects.get(created_by=world.admin, kind="service", name="service")
    assert token.revoked_by == other_admin
    event = AuditEvent.objects.get(target_type="apitoken", action="update")
    assert (event.actor, event.target_id) == (other_admin, token.pk)
    [revoked] = token_events(SecurityEvent.Kind.TOKEN_REVOKED)
    assert revoked.user == other_admin
    assert revoked.detail == {
        "token": token.prefix,
        "kind": "service",
        "created_by": world.admin.pk,
        "reason": "org_admin_removed_in_admin",
    }


# Creating and revoking are security events.


def test_creating_and_revoking_a_token_are_security_events(world: World) -> None:
    client = client_for(world.admin)
    data = service_data(units=str(world.team_a.pk), valid_through=LAST_DAY.isoformat())
    assert client.post(reverse("api:token_create_service"), data).status_code == 201
    token = ApiToken.objects.get()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302

    [created] = token_events(SecurityEvent.Kind.TOKEN_CREATED)
    [revoked] = token_events(SecurityEvent.Kind.TOKEN_REVOKED)
    for event in (created, revoked):
        assert event.user == world.admin
        assert event.address == "127.0.0.1"
        assert event.detail["token"] == token.prefix
        assert event.detail["kind"] == "service"
    assert revoked.detail["reason"] == "revoked_on_tokens_page"
    assert token.secret_hash not in str(created.detail)


def test_a_personal_tokens_creation_is_a_security_event_too(world: World) -> None:
    personal_token(world.member)
    [created] = token_events(SecurityEvent.Kind.TOKEN_CREATED)
    assert created.user == world.member
    assert created.detail["kind"] == "personal"


def test_a_refused_service_token_leaves_no_security_event(world: World) -> None:
    before = state()
    response = Client(HTTP_ACCEPT_LANGUAGE="en")
    response.force_login(world.member)
    data = service_data(units=str(world.team_a.pk), valid_through=LAST_DAY.isoformat())
    assert response.post(reverse("api:token_create_service"), data).status_code == 403
    assert state() == before
