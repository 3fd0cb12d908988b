"""The OKR office sees failing webhooks and failed messages in the admin, with the address
masked, and can start failed messages over."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.notifications import services
from soihtu.notifications.models import Delivery, TeamWebhook
from soihtu.notifications.tests.helpers import add_webhook, now, share
from soihtu.notifications.tests.receiver import Receiver

FULL = "/hook/abcd1234efgh5678"


def fail_for_good(world: World, receiver: Receiver) -> TeamWebhook:
    """A shared success whose endpoint answers 500 to every one of its attempts."""
    receiver.status = 500
    webhook = add_webhook(world, receiver.url)
    share(world)
    for _attempt in range(services.MAX_ATTEMPTS):
        due = Delivery.objects.get().next_attempt_at
        assert due is not None
        with time_machine.travel(due, tick=False):
            services.deliveries_send(due)
    assert Delivery.objects.get().state == Delivery.State.FAILED
    return webhook


def test_failed_messages_show_in_the_delivery_changelist(world: World, receiver: Receiver) -> None:
    fail_for_good(world, receiver)
    client = client_for(world.admin)
    response = client.get(reverse("admin:notifications_delivery_changelist") + "?state=failed")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Team A" in html
    assert "The webhook refused the message." in html
    assert ">failed<" in html
    assert ">6<" in html  # attempts
    assert FULL not in html
    delivered = client.get(reverse("admin:notifications_delivery_changelist") + "?state=sent")
    assert "Team A" not in delivered.content.decode()


def test_failing_webhooks_show_masked_with_their_last_error(
    world: World, receiver: Receiver
) -> None:
    webhook = fail_for_good(world, receiver)
    client = client_for(world.admin)
    url = reverse("admin:notifications_teamwebhook_changelist")
    html = client.get(url + "?failing=yes").content.decode()
    assert webhook.masked_url in html
    assert "The webhook refused the message." in html
    assert FULL not in html
    assert webhook.masked_url not in client.get(url + "?failing=no").content.decode()
    detail = client.get(reverse("admin:notifications_teamwebhook_change", args=[webhook.pk]))
    assert detail.status_code == 200
    assert FULL not in detail.content.decode()


def test_only_the_okr_office_enters(world: World, receiver: Receiver) -> None:
    add_webhook(world, receiver.url)
    for persona in ["torchbearer", "supervisor", "member"]:
        client = client_for(world.persona(persona))
        response = client.get(reverse("admin:notifications_delivery_changelist"))
        assert response.status_code == 302


def test_start_failed_messages_over(world: World, receiver: Receiver) -> None:
    fail_for_good(world, receiver)
    delivery = Delivery.objects.get()
    client = client_for(world.admin)
    response = client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "retry", "_selected_action": [str(delivery.pk)]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 0)
    event = AuditEvent.objects.get(target_type="delivery")
    assert event.after == {"state": "pending", "attempts": 0}
    receiver.status = 200
    assert services.deliveries_send(now()) == 1


def test_turning_off_and_removing_in_the_admin_is_audited_masked(
    world: World, receiver: Receiver
) -> None:
    webhook = add_webhook(world, receiver.url)
    client = client_for(world.admin)
    change = reverse("admin:notifications_teamwebhook_change", args=[webhook.pk])
    response = client.post(
        change, {"language": "en", "send_checkin_summary": "on", "send_successes": "on"}
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert not webhook.enabled
    assert webhook.url == receiver.url  # the address cannot be changed here
    event = AuditEvent.objects.filter(target_type="teamwebhook").latest("id")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["enabled"], event.after["enabled"]) == (True, False)
    delete = reverse("admin:notifications_teamwebhook_delete", args=[webhook.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not TeamWebhook.objects.exists()
    for audit in AuditEvent.objects.filter(target_type="teamwebhook"):
        assert FULL not in str(audit.before) + str(audit.after) + audit.target_repr
