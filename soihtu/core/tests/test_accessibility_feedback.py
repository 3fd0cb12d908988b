"""Feedback on accessibility from the statement page: anyone may send it, signed in or not; it
is stored and emailed to the OKR office; invalid or too frequent messages are refused with the
reason, the text kept and nothing stored."""

from __future__ import annotations

import datetime
import smtplib
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from soihtu.conftest import World, client_for
from soihtu.core.models import AccessibilityFeedback, AccessibilityStatement

URL = reverse("accessibility")
MESSAGE = "Kaavion tekstivastine puuttuu tiimisivulta."


def signed_out(language: str = "en", address: str = "192.0.2.10") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)


def feedback(**extra: str) -> dict[str, str]:
    return {"message": MESSAGE, "page_address": "/units/3/", **extra}


def test_signed_out_feedback_is_stored_and_emailed_to_the_okr_office(world: World) -> None:
    response = signed_out("fi").post(
        URL, feedback(name="Maija Meikäläinen", email="maija@example.org"), follow=True
    )
    assert response.redirect_chain == [(URL, 302)]
    assert 'class="message success"' in response.text
    stored = AccessibilityFeedback.objects.get()
    assert (stored.message, stored.page_address, stored.name, stored.email, stored.language) == (
        MESSAGE,
        "/units/3/",
        "Maija Meikäläinen",
        "maija@example.org",
        "fi",
    )
    assert stored.emailed_at is not None
    assert "192.0.2.10" not in stored.sender_key  # the address itself is not kept
    [email] = mail.outbox
    assert email.to == [world.admin.email]  # the org admins, while no address is set
    assert email.reply_to == ["maija@example.org"]
    assert MESSAGE in email.body
    assert "/units/3/" in email.body
    assert reverse("admin:core_accessibilityfeedback_change", args=[stored.pk]) in email.body


def test_feedback_goes_to_the_statements_address_when_set(world: World) -> None:
    AccessibilityStatement.objects.create(
        pk=AccessibilityStatement.SINGLE_ID, feedback_email="saavutettavuus@example.org"
    )
    signed_out().post(URL, feedback())
    [email] = mail.outbox
    assert email.to == ["saavutettavuus@example.org"]
    assert email.reply_to == []  # anonymous feedback: nobody to answer


def test_signed_in_person_can_send_feedback(world: World) -> None:
    response = client_for(world.member).post(URL, feedback())
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.count() == 1


def test_feedback_is_kept_when_the_email_cannot_be_sent(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    response = signed_out().post(URL, feedback())
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().emailed_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "x" * 5001}, "message"),
        ({"email": "not-an-address"}, "email"),
        ({"page_address": "x" * 501}, "page_address"),
    ],
)
def test_invalid_feedback_is_refused_and_its_text_kept(
    world: World, data: dict[str, str], field: str
) -> None:
    sent = feedback(**data)
    response = signed_out().post(URL, sent)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert sent["page_address"][:50] in response.text  # the typed text is shown again
    assert AccessibilityFeedback.objects.count() == 0
    assert mail.outbox == []


def test_refusal_is_in_the_persons_language(world: World) -> None:
    finnish = signed_out("fi").post(URL, feedback(message="")).text
    english = signed_out("en").post(URL, feedback(message="")).text
    assert '<html lang="fi">' in finnish
    assert "This field is required." in english
    assert "Tämä kenttä vaaditaan." in finnish  # Django's own Finnish


def test_too_many_messages_from_one_address_are_refused_with_the_text_kept(
    world: World, settings: Any
) -> None:
    settings.SOIHTU_ACCESSIBILITY_FEEDBACK_PER_ADDRESS = 2
    client = signed_out()
    for _ in range(2):
        assert client.post(URL, feedback()).status_code == 302
    response = client.post(URL, feedback(message="Kolmas viesti"))
    assert response.status_code == 429
    assert "Too many messages have been sent in a short time" in response.text
    assert "try again in 60 minutes" in response.text
    assert "Kolmas viesti" in response.text
    assert AccessibilityFeedback.objects.count() == 2
    assert len(mail.outbox) == 2
    # Another address may still send, and the first one again an hour later.
    assert signed_out(address="192.0.2.11").post(URL, feedback()).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert client.post(URL, feedback()).status_code == 302


def test_everyone_together_is_limited_too(world: World, settings: Any) -> None:
    settings.SOIHTU_ACCESSIBILITY_FEEDBACK_PER_HOUR = 2
    for number in range(2):
        assert signed_out(address=f"192.0.2.{number}").post(URL, feedback()).status_code == 302
    assert signed_out(address="192.0.2.99").post(URL, feedback()).status_code == 429
    assert AccessibilityFeedback.objects.count() == 2


def test_feedback_needs_a_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(URL, feedback()).status_code == 403
    assert AccessibilityFeedback.objects.count() == 0


def test_org_admin_reads_feedback_in_the_admin_site(world: World) -> None:
    signed_out().post(URL, feedback())
    changelist = reverse("admin:core_accessibilityfeedback_changelist")
    assert client_for(world.admin).get(changelist).status_code == 200
    assert client_for(world.member).get(changelist).status_code == 302  # to the admin sign-in
