"""The administration is for the OKR office only, and what it changes is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.organization.models import Membership, StrategyTheme


def test_org_admin_enters_the_administration(world: World) -> None:
    response = client_for(world.admin).get(reverse("admin:index"))
    assert response.status_code == 200


def test_others_do_not_enter_the_administration(world: World) -> None:
    for persona in ["supervisor", "torchbearer", "member", "parent_supervisor"]:
        response = client_for(world.persona(persona)).get(reverse("admin:index"))
        assert response.status_code == 302, persona
        assert reverse("admin:login") in response["Location"]


def test_changing_a_theme_in_the_admin_is_audited(world: World) -> None:
    theme = world.themes[0]
    url = reverse("admin:organization_strategytheme_change", args=[theme.pk])
    data = {
        "order": "0",
        "name_fi": "Luottamus",
        "name_sv": "Förtroende",
        "name_en": "Trust in Kela",
        "description_fi": "",
        "description_sv": "",
        "description_en": "",
        "colour": "#1f5f8b",
    }
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(target_type="strategytheme")
    assert event.actor == world.admin
    assert event.before is not None
    assert event.after is not None
    assert (event.before["name_en"], event.after["name_en"]) == ("Trust", "Trust in Kela")
    assert StrategyTheme.objects.get(pk=theme.pk).name_en == "Trust in Kela"


def test_a_bad_theme_colour_is_refused(world: World) -> None:
    theme = world.themes[0]
    url = reverse("admin:organization_strategytheme_change", args=[theme.pk])
    data = {"order": "0", "name_fi": "L", "name_sv": "F", "name_en": "T", "colour": "red"}
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 200
    assert "Use a colour like #1f6f8b." in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_membership_changes_in_the_admin_are_audited(world: World) -> None:
    membership = Membership.objects.get(user=world.member, unit=world.team_a)
    url = reverse("admin:organization_membership_delete", args=[membership.pk])
    response = client_for(world.admin).post(url, {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(target_type="membership")
    assert event.action == AuditEvent.Action.DELETE
    assert event.before == {"user": world.member.pk, "unit": world.team_a.pk, "role": "member"}


def test_healthz_answers_without_signing_in(world: World) -> None:
    from django.test import Client

    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_carry_a_content_security_policy(world: World) -> None:
    response = client_for(world.member).get(reverse("okrs:my_okrs"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "style=" not in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_demo_sign_in_exists_only_in_demo_mode(world: World, settings: object) -> None:
    from django.test import Client

    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    assert Client().get(reverse("demo:personas")).status_code == 404
    assert Client().post(reverse("demo:personas"), {"username": "admin_okr"}).status_code == 404


@pytest.mark.django_db
def test_demo_personas_sign_in_with_one_click(settings: object) -> None:
    import datetime

    from django.test import Client

    from soihtu.demo.generate import generate_demo

    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    generate_demo(people=30, today=datetime.date(2026, 11, 27))
    client = Client()
    page = client.get(reverse("demo:personas")).content.decode()
    for username in [
        "okr.toimisto",
        "esihenkilo",
        "soihdunkantaja",
        "jasen",
        "toisen.tiimin.jasen",
    ]:
        assert f'value="{username}"' in page
    response = client.post(reverse("demo:personas"), {"username": "soihdunkantaja"})
    assert response.status_code == 302
    assert client.get(reverse("okrs:my_okrs")).status_code == 200
    assert client.post(reverse("demo:personas"), {"username": "nobody"}).status_code == 404
