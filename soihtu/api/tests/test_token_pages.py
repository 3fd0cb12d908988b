"""The API tokens page: a token's secret is shown once and stored only as a hash; people create
and revoke their own personal tokens, org admins also service tokens; every change is audited and
every refusal changes nothing."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soihtu.api.models import ApiToken
from soihtu.api.tests.helpers import Api, personal_token, service_token
from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
SECRET = re.compile(r'value="(sht_[A-Za-z0-9_-]+)"')


def state() -> tuple[object, ...]:
    return (
        sorted(ApiToken.objects.values_list("id", "name", "revoked_at")),
        AuditEvent.objects.count(),
    )


def personal_data(**extra: str) -> dict[str, str]:
    return {"name": "Raportointi", "scope": "read", **extra}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_creates_a_personal_token_and_sees_its_secret_once(
    world: World, persona: str
) -> None:
    user = world.persona(persona)
    client = client_for(user)
    response = client.post(reverse("api:token_create_personal"), personal_data(scope="write"))
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    found = SECRET.search(response.content.decode())
    assert found is not None
    secret = found.group(1)
    token = ApiToken.objects.get()
    assert (token.kind, token.scope, token.created_by, token.name) == (
        "personal",
        "write",
        user,
        "Raportointi",
    )
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list().get())
    listing = client.get(reverse("api:tokens")).content.decode()
    assert token.prefix in listing
    assert secret not in listing
    assert Api(secret).get("/themes").status_code == 200
    event = AuditEvent.objects.get(target_type="apitoken")
    assert event.after is not None
    assert (event.action, event.actor, event.after["name"]) == ("create", user, "Raportointi")
    assert secret not in str(event.after)


def test_a_token_may_end_on_a_chosen_day(world: World) -> None:
    client = client_for(world.member)
    response = client.post(
        reverse("api:token_create_personal"), personal_data(valid_through="2026-12-31")
    )
    assert response.status_code == 201
    token = ApiToken.objects.get()
    assert token.valid_through == datetime.date(2026, 12, 31)
    assert timezone.localtime(token.expires_at).isoformat() == "2027-01-01T00:00:00+02:00"


@pytest.mark.parametrize(
    "data",
    [
        personal_data(name=""),
        personal_data(name="x" * 101),
        personal_data(scope="admin"),
        personal_data(valid_through="2026-11-26"),
        personal_data(valid_through="2030-01-01"),
        personal_data(valid_through="huomenna"),
    ],
)
def test_bad_input_creates_no_token(world: World, data: dict[str, str]) -> None:
    before = state()
    response = client_for(world.member).post(reverse("api:token_create_personal"), data)
    assert response.status_code == 400
    assert "sht_" not in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_org_admins_create_service_tokens(world: World, persona: str) -> None:
    data = personal_data(units=str(world.team_a.pk), valid_through="2027-06-30")
    before = state()
    client = client_for(world.persona(persona))
    response = client.post(reverse("api:token_create_service"), data)
    page = client.get(reverse("api:tokens")).content.decode()
    if persona == "admin":
        assert response.status_code == 201
        token = ApiToken.objects.get()
        assert (token.kind, list(token.units.all())) == ("service", [world.team_a])
        assert "Service tokens" in page
    else:
        assert response.status_code == 403
        assert state() == before
        assert "Service tokens" not in page


def test_a_service_token_needs_a_unit(world: World) -> None:
    before = state()
    response = client_for(world.admin).post(
        reverse("api:token_create_service"), personal_data(valid_through="2027-06-30")
    )
    assert response.status_code == 400
    assert state() == before


def test_people_revoke_their_own_tokens(world: World) -> None:
    secret = personal_token(world.member)
    token = ApiToken.objects.get()
    client = client_for(world.member)
    response = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("api:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == world.member
    assert Api(secret).get("/themes").status_code == 401
    event = AuditEvent.objects.filter(target_type="apitoken", action="update").get()
    assert event.before is not None
    assert event.after is not None
    assert event.before["revoked_at"] is None
    assert event.after["revoked_at"] is not None
    # Revoking again changes nothing.
    before = state()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    assert state() == before


@pytest.mark.parametrize("persona", ["admin", "supervisor", "member_b", "outsider"])
def test_nobody_revokes_someone_elses_personal_token(world: World, persona: str) -> None:
    personal_token(world.member)
    token = ApiToken.objects.get()
    before = state()
    response = client_for(world.persona(persona)).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert state() == before


def test_org_admins_revoke_service_tokens_and_others_cannot(world: World) -> None:
    service_token(world.admin, [world.team_a])
    token = ApiToken.objects.get()
    other_admin = world.admin.__class__.objects.create_user(
        username="admin_two", password="test-password-1", is_org_admin=True
    )
    before = state()
    assert (
        client_for(world.supervisor).post(reverse("api:token_revoke", args=[token.pk])).status_code
        == 404
    )
    assert state() == before
    assert (
        client_for(other_admin).post(reverse("api:token_revoke", args=[token.pk])).status_code
        == 302
    )
    token.refresh_from_db()
    assert token.revoked_by == other_admin


@pytest.mark.parametrize(
    "name", ["api:tokens", "api:token_create_personal", "api:token_create_service"]
)
def test_signed_out_people_are_sent_to_sign_in(world: World, name: str) -> None:
    before = state()
    response = Client().post(reverse(name), personal_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


@pytest.mark.parametrize("name", ["api:token_create_personal", "api:token_create_service"])
def test_creating_is_a_post(world: World, name: str) -> None:
    assert client_for(world.admin).get(reverse(name)).status_code == 405


def test_revoking_is_a_post(world: World) -> None:
    personal_token(world.member)
    token = ApiToken.objects.get()
    assert (
        client_for(world.member).get(reverse("api:token_revoke", args=[token.pk])).status_code
        == 405
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_shows_each_tokens_state(world: World) -> None:
    personal_token(world.member)
    personal_token(world.member)
    personal_token(world.supervisor)
    first, second = ApiToken.objects.filter(created_by=world.member).order_by("id")
    first.revoked_at = timezone.now()
    first.save()
    second.expires_at = timezone.now() - datetime.timedelta(days=1)
    second.save()
    page = client_for(world.member, "en").get(reverse("api:tokens"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "revoked" in text
    assert "expired" in text
    assert text.count("<tr>") == 3  # the header and the member's two tokens, not the supervisor's
    assert "Revoke" not in text
