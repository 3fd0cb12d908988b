"""Removing the OKR office (org admin) role, in the user admin or by single sign-on's group claim,
revokes the service tokens the person created, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.accounts.role_removal import RemovedBy
from soihtu.accounts.tests.oidc_provider import Provider, sign_in_round_trip
from soihtu.api.models import ApiToken
from soihtu.api.tests.helpers import Api, personal_token, service_token
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.conftest import World, client_for, make_user


def change_data(person: User, **changes: str) -> dict[str, str]:
    """What the user admin's change form posts for `person`, with `changes`."""
    joined = person.date_joined
    data = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        **({"is_org_admin": "on"} if person.is_org_admin else {}),
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != "off"}


def revocations() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_REVOKED))


def test_removing_the_role_in_the_admin_revokes_the_persons_service_tokens(world: World) -> None:
    former = make_user("former_admin", org_admin=True)
    service = Api(service_token(former, [world.team_a]))
    personal = Api(personal_token(former))
    others = Api(service_token(world.admin, [world.team_a]))
    url = reverse("admin:accounts_user_change", args=[former.pk])

    response = client_for(world.admin).post(url, change_data(former, is_org_admin="off"))

    assert response.status_code == 302, response.content.decode()
    former.refresh_from_db()
    assert not former.is_org_admin
    assert service.get("/themes").status_code == 401
    assert personal.get("/themes").status_code == 200
    assert others.get("/themes").status_code == 200
    token = ApiToken.objects.get(created_by=former, kind=ApiToken.Kind.SERVICE)
    assert token.revoked_by == world.admin
    audit = AuditEvent.objects.get(target_type="apitoken", target_id=token.pk, action="update")
    assert audit.actor == world.admin
    [event] = revocations()
    assert event.user == world.admin
    assert event.detail["reason"] == RemovedBy.ADMIN.value
    assert event.detail["created_by"] == former.pk


def test_an_admin_edit_that_keeps_the_role_revokes_nothing(world: World) -> None:
    colleague = make_user("other_admin", org_admin=True)
    service = Api(service_token(colleague, [world.team_a]))
    url = reverse("admin:accounts_user_change", args=[colleague.pk])

    response = client_for(world.admin).post(url, change_data(colleague, first_name="Uusi"))

    assert response.status_code == 302
    assert service.get("/themes").status_code == 200
    assert revocations() == []


def test_the_group_claim_removing_the_role_revokes_the_persons_service_tokens(
    world: World, sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_ADMIN_GROUP = "okr-office"
    person = make_user("maija_meikalainen", org_admin=True)
    person.employee_id = "E1001"
    person.save()
    service = Api(service_token(person, [world.team_a]))
    sso.person = {"sub": "kela-0f3a9", "employee_id": "E1001", "groups": ["staff"]}

    sign_in_round_trip(Client(HTTP_ACCEPT_LANGUAGE="en"))

    person.refresh_from_db()
    assert not person.is_org_admin
    assert service.get("/themes").status_code == 401
    token = ApiToken.objects.get(created_by=person)
    assert token.revoked_at is not None
    assert token.revoked_by is None  # the identity provider removed the role
    [event] = revocations()
    assert event.user == person
    assert event.detail["reason"] == RemovedBy.SINGLE_SIGN_ON.value
    assert event.address == "127.0.0.1"


def test_the_group_claim_keeping_the_role_revokes_nothing(
    world: World, sso: Provider, settings: Any
) -> None:
    settings.SOIHTU_OIDC_ADMIN_GROUP = "okr-office"
    person = make_user("maija_meikalainen", org_admin=True)
    person.employee_id = "E1001"
    person.save()
    service = Api(service_token(person, [world.team_a]))
    sso.person = {"sub": "kela-0f3a9", "employee_id": "E1001", "groups": ["okr-office"]}

    sign_in_round_trip(Client(HTTP_ACCEPT_LANGUAGE="en"))

    assert service.get("/themes").status_code == 200
    assert revocations() == []
