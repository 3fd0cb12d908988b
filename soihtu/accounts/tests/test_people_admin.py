"""What the OKR office changes about a person in the people admin is in the audit trail, and a
password it sets is a security event; nobody else changes anything there."""

from __future__ import annotations

from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.accounts.tests.test_org_admin_removal import change_data
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.conftest import World, client_for

NEW_PASSWORD = "vihreä omena ja sininen polkupyörä"


def test_deactivating_a_person_in_the_admin_is_audited(world: World) -> None:
    url = reverse("admin:accounts_user_change", args=[world.member.pk])
    response = client_for(world.admin).post(url, change_data(world.member, is_active="off"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(target_type="user", target_id=world.member.pk)
    assert event.actor == world.admin
    assert event.before is not None
    assert event.after is not None
    assert (event.before["is_active"], event.after["is_active"]) == (True, False)
    assert "password" not in event.after


def test_saving_a_person_unchanged_records_nothing(world: World) -> None:
    url = reverse("admin:accounts_user_change", args=[world.member.pk])
    client_for(world.admin).post(url, change_data(world.member))
    assert not AuditEvent.objects.filter(target_type="user").exists()


def test_a_password_the_okr_office_sets_is_a_security_event(world: World) -> None:
    url = reverse("admin:auth_user_password_change", args=[world.member.pk])
    response = client_for(world.admin).post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    assert event.user == world.member
    assert event.detail == {"set_by": world.admin.pk}


def test_people_outside_the_okr_office_change_nobody(world: World) -> None:
    url = reverse("admin:accounts_user_change", args=[world.member.pk])
    response = client_for(world.supervisor).post(url, change_data(world.member, is_active="off"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert User.objects.get(pk=world.member.pk).is_active
    assert not AuditEvent.objects.exists()


def test_the_okr_office_forgets_a_single_sign_on_identity(world: World) -> None:
    User.objects.filter(pk=world.member.pk).update(
        oidc_issuer="https://login.example", oidc_subject="old-subject"
    )
    response = client_for(world.admin).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "forget_identity", "_selected_action": [world.member.pk]},
    )
    assert response.status_code == 302
    person = User.objects.get(pk=world.member.pk)
    assert (person.oidc_issuer, person.oidc_subject) == ("", "")
    event = AuditEvent.objects.get(target_type="user", target_id=person.pk)
    assert event.actor == world.admin
    assert event.before == {"oidc_issuer": "https://login.example", "oidc_subject": "old-subject"}
