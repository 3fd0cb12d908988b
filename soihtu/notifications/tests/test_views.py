"""The team's notifications page: who may see and change the webhooks, adding one with bad
input, turning on and off, the test message and removing, with the database unchanged after
each refusal and the address never shown or audited in full."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.notifications.models import Delivery, TeamWebhook
from soihtu.notifications.tests.helpers import add_webhook

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
# LEAD_RITUALS on team A; roles do not reach down, so the unit's supervisor is not one.
LEADERS_A = {"admin", "supervisor", "torchbearer"}
SECRET_URL = "https://prod-12.westeurope.logic.azure.com/workflows/0123/triggers?sig=TOPSECRETKEY"


def state() -> tuple[object, ...]:
    return (
        sorted(
            TeamWebhook.objects.values_list(
                "id", "unit_id", "kind", "url", "secret", "enabled", "language"
            )
        ),
        sorted(Delivery.objects.values_list("id", "state")),
        AuditEvent.objects.count(),
    )


def team_url(world: World) -> str:
    return reverse("notifications:team", kwargs={"unit_id": world.team_a.pk})


def valid(**extra: str) -> dict[str, str]:
    data = {
        "kind": "teams",
        "url": SECRET_URL,
        "language": "fi",
        "send_checkin_summary": "on",
        "send_successes": "on",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_team_page_matrix(world: World, persona: str) -> None:
    add_webhook(world, SECRET_URL)
    response = client_for(world.persona(persona)).get(team_url(world))
    if persona in LEADERS_A:
        assert response.status_code == 200
        html = response.content.decode()
        assert "https://prod-12.westeurope.logic.azure.com/…TKEY" in html
        assert "TOPSECRET" not in html
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_add_webhook_matrix(world: World, persona: str) -> None:
    before = state()
    response = client_for(world.persona(persona)).post(team_url(world), valid())
    if persona in LEADERS_A:
        assert response.status_code == 302
        assert response["Location"] == team_url(world)
        webhook = TeamWebhook.objects.get()
        assert (webhook.unit, webhook.kind, webhook.url) == (world.team_a, "teams", SECRET_URL)
        assert webhook.created_by == world.persona(persona)
        event = AuditEvent.objects.get(target_type="teamwebhook")
        assert event.after is not None
        assert event.after["url"] == "https://prod-12.westeurope.logic.azure.com/…TKEY"
        assert "TOPSECRET" not in str(event.after) + event.target_repr
    else:
        assert response.status_code == 403
        assert state() == before


def test_parent_supervisor_manages_the_units_webhooks_but_not_its_teams(world: World) -> None:
    client = client_for(world.parent_supervisor)
    unit_page = reverse("notifications:team", kwargs={"unit_id": world.unit_a.pk})
    assert client.get(unit_page).status_code == 200
    other = reverse("notifications:team", kwargs={"unit_id": world.team_b.pk})
    assert client.post(other, valid()).status_code == 403


def test_secret_is_kept_for_generic_webhooks_and_never_shown(world: World) -> None:
    client = client_for(world.torchbearer)
    data = valid(kind="generic", secret="hush-hush-123")
    assert client.post(team_url(world), data).status_code == 302
    webhook = TeamWebhook.objects.get()
    assert webhook.secret == "hush-hush-123"
    html = client.get(team_url(world)).content.decode()
    assert "hush-hush-123" not in html
    assert "Messages are signed." in html
    event = AuditEvent.objects.get(target_type="teamwebhook")
    assert event.after is not None
    assert event.after["secret_set"] is True
    assert "hush-hush" not in str(event.after)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (valid(url="ftp://example.org/hook"), "url"),
        (valid(url="javascript:alert(1)"), "url"),
        (valid(url="file:///etc/passwd"), "url"),
        (valid(url="https://user:pw@example.org/hook"), "url"),
        (valid(url=""), "url"),
        (valid(url="https://" + "a" * 2000 + ".fi/"), "url"),
        (valid(kind="slack"), "kind"),
        (valid(language="de"), "language"),
        (valid(secret="not-for-teams"), "secret"),
        ({k: v for k, v in valid().items() if not k.startswith("send_")}, "__all__"),
    ],
)
def test_bad_input_changes_nothing(world: World, data: dict[str, str], field: str) -> None:
    before = state()
    response = client_for(world.supervisor).post(team_url(world), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert state() == before


def test_internal_addresses_are_refused_in_production(world: World, settings: object) -> None:
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = False  # type: ignore[attr-defined]
    before = state()
    client = client_for(world.supervisor)
    for url in ["http://127.0.0.1:8000/x", "http://10.1.2.3/x", "http://localhost/x"]:
        response = client.post(team_url(world), valid(url=url))
        assert response.status_code == 400
        assert "url" in response.context["form"].errors
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_turn_off_test_and_remove_matrix(world: World, persona: str) -> None:
    webhook = add_webhook(world, SECRET_URL)
    client = client_for(world.persona(persona))
    before = state()
    test = client.post(reverse("notifications:webhook_test", args=[webhook.pk]))
    off = client.post(reverse("notifications:webhook_enabled", args=[webhook.pk]), {"enabled": "0"})
    if persona in LEADERS_A:
        assert (test.status_code, off.status_code) == (302, 302)
        delivery = Delivery.objects.get()
        assert (delivery.event, delivery.state) == ("test", "pending")
        webhook.refresh_from_db()
        assert not webhook.enabled
        gone = client.post(reverse("notifications:webhook_delete", args=[webhook.pk]))
        assert gone.status_code == 302
        assert not TeamWebhook.objects.exists()
        assert not Delivery.objects.exists()
        deleted = AuditEvent.objects.get(target_type="teamwebhook", action="delete")
        assert "TOPSECRET" not in str(deleted.before) + deleted.target_repr
    else:
        assert (test.status_code, off.status_code) == (403, 403)
        refused = client.post(reverse("notifications:webhook_delete", args=[webhook.pk]))
        assert refused.status_code == 403
        assert state() == before


def test_supervisor_of_team_a_cannot_touch_team_bs_webhook(world: World) -> None:
    webhook = add_webhook(world, SECRET_URL, team=world.team_b)
    client = client_for(world.supervisor)
    before = state()
    for name in ["webhook_test", "webhook_delete", "webhook_enabled"]:
        response = client.post(
            reverse(f"notifications:{name}", args=[webhook.pk]), {"enabled": "0"}
        )
        assert response.status_code == 403
    other_team = reverse("notifications:team", kwargs={"unit_id": world.team_b.pk})
    assert client.get(other_team).status_code == 403
    assert state() == before


def test_turn_back_on(world: World) -> None:
    webhook = add_webhook(world, SECRET_URL)
    client = client_for(world.torchbearer)
    url = reverse("notifications:webhook_enabled", args=[webhook.pk])
    client.post(url, {"enabled": "0"})
    response = client.post(url, {"enabled": "1"}, follow=True)
    webhook.refresh_from_db()
    assert webhook.enabled
    assert "Webhook turned on." in response.content.decode()


@pytest.mark.parametrize("value", ["", "2", "yes", "true"])
def test_bad_enabled_value_changes_nothing(world: World, value: str) -> None:
    webhook = add_webhook(world, SECRET_URL)
    before = state()
    url = reverse("notifications:webhook_enabled", args=[webhook.pk])
    assert client_for(world.torchbearer).post(url, {"enabled": value}).status_code == 400
    assert state() == before


def test_no_test_message_while_turned_off(world: World) -> None:
    webhook = add_webhook(world, SECRET_URL)
    client = client_for(world.torchbearer)
    client.post(reverse("notifications:webhook_enabled", args=[webhook.pk]), {"enabled": "0"})
    before = state()
    response = client.post(reverse("notifications:webhook_test", args=[webhook.pk]), follow=True)
    assert "Turn the webhook on before sending a test message." in response.content.decode()
    assert state() == before


def test_only_post_changes_webhooks(world: World) -> None:
    webhook = add_webhook(world, SECRET_URL)
    client = client_for(world.admin)
    before = state()
    for name in ["webhook_test", "webhook_delete", "webhook_enabled"]:
        assert client.get(reverse(f"notifications:{name}", args=[webhook.pk])).status_code == 405
    assert client.put(team_url(world)).status_code == 405
    assert state() == before


def test_unknown_team_or_webhook_is_404(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("notifications:team", kwargs={"unit_id": 999999})).status_code == 404
    for name in ["webhook_test", "webhook_delete", "webhook_enabled"]:
        response = client.post(reverse(f"notifications:{name}", args=[999999]), {"enabled": "1"})
        assert response.status_code == 404


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    webhook = add_webhook(world, SECRET_URL)
    before = state()
    for url in [
        team_url(world),
        reverse("notifications:webhook_test", args=[webhook.pk]),
        reverse("notifications:webhook_delete", args=[webhook.pk]),
    ]:
        response = Client().post(url, valid())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


def test_page_shows_failures_and_recent_messages(world: World) -> None:
    webhook = add_webhook(world, SECRET_URL)
    Delivery.objects.create(
        webhook=webhook,
        event="success",
        payload={},
        state="failed",
        attempts=6,
        last_status=500,
        last_error="http_status",
    )
    TeamWebhook.objects.filter(pk=webhook.pk).update(
        last_failure_at="2026-11-27T09:00:00+02:00", last_error="http_status", last_status=500
    )
    html = client_for(world.torchbearer).get(team_url(world)).content.decode()
    assert "The webhook refused the message. (HTTP 500)" in html
    assert "Failed" in html
