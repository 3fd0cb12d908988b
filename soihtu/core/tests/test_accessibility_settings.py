"""The OKR office fills in the accessibility statement: only org admins, every change audited,
refusals and bad input change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.core.models import AccessibilityStatement
from soihtu.core.services import STATEMENT_FIELDS

URL = reverse("accessibility_settings")
OTHERS = ["supervisor", "torchbearer", "member", "member_b", "parent_supervisor", "outsider"]


def form_data(**changes: str) -> dict[str, str]:
    """The form as it comes with the defaults, with `changes`."""
    defaults = AccessibilityStatement()
    data = {name: str(getattr(defaults, name)) for name in STATEMENT_FIELDS}
    data["assessed_on"] = "2026-11-20"  # before the tests' today
    data.update(changes)
    return data


def state() -> tuple[Any, ...]:
    return (
        list(AccessibilityStatement.objects.values()),
        list(AuditEvent.objects.values_list("pk", flat=True)),
    )


def test_first_save_creates_the_statement_and_records_every_field(world: World) -> None:
    response = client_for(world.admin).post(
        URL, form_data(organization_name="Kela", feedback_email="a11y@example.org")
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    statement = AccessibilityStatement.objects.get()
    assert (statement.organization_name, statement.feedback_email) == ("Kela", "a11y@example.org")
    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor_id, event.target_type, event.before) == (
        AuditEvent.Action.CREATE,
        world.admin.pk,
        "accessibilitystatement",
        None,
    )
    assert event.after is not None
    assert set(event.after) == set(STATEMENT_FIELDS)
    assert "Provided by: Kela." in client_for(world.member).get(reverse("accessibility")).text


def test_later_saves_record_only_what_changed(world: World) -> None:
    client = client_for(world.admin)
    client.post(URL, form_data())
    response = client.post(
        URL, form_data(conformance="full", non_conforming_en="", assessed_on="2026-11-25")
    )
    assert response.status_code == 302
    event = AuditEvent.objects.order_by("pk").last()
    assert event is not None
    assert event.action == AuditEvent.Action.UPDATE
    assert event.after == {
        "conformance": "full",
        "assessed_on": "2026-11-25",
        "non_conforming_en": "",
    }
    assert event.before is not None
    assert event.before["conformance"] == "partial"


def test_saving_without_changes_records_nothing(world: World) -> None:
    client = client_for(world.admin)
    client.post(URL, form_data())
    before = state()
    assert client.post(URL, form_data()).status_code == 302
    assert state() == before


def test_form_shows_the_current_statement(world: World) -> None:
    AccessibilityStatement.objects.create(
        pk=AccessibilityStatement.SINGLE_ID, organization_name="Kela"
    )
    html = client_for(world.admin).get(URL).text
    assert 'name="organization_name" value="Kela"' in html
    assert f'href="{reverse("accessibility")}"' in html
    assert f'href="{reverse("admin:core_accessibilityfeedback_changelist")}"' in html


@pytest.mark.parametrize("persona", OTHERS)
def test_others_may_not_open_or_save_it(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    assert client.get(URL).status_code == 403
    before = state()
    assert client.post(URL, form_data(organization_name="Hijacked")).status_code == 403
    assert state()[0] == before[0]


def test_signed_out_visitors_are_sent_to_sign_in(world: World) -> None:
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assessed_on": "2027-01-01"}, "assessed_on"),  # in the future
        ({"assessed_on": "yesterday"}, "assessed_on"),
        ({"feedback_email": "not an address"}, "feedback_email"),
        ({"conformance": "mostly"}, "conformance"),
        ({"authority_fi": ""}, "authority_fi"),
        ({"assessment_en": "x" * 2001}, "assessment_en"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    world: World, changes: dict[str, str], field: str
) -> None:
    before = state()
    response = client_for(world.admin).post(URL, form_data(**changes))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert state() == before


def test_administration_links_to_it(world: World) -> None:
    html = client_for(world.admin).get(reverse("administration")).text
    assert f'href="{URL}"' in html


def test_put_is_not_allowed(world: World) -> None:
    assert client_for(world.admin).put(URL).status_code == 405
