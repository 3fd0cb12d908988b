"""The transparency settings: only org admins publish, choose the public objectives of the
current year, and every change is audited; refusals and bad input change nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for, make_objective
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import Objective
from soihtu.organization.models import OrganizationSettings

URL = reverse("transparency:settings")
OTHERS = ["supervisor", "torchbearer", "member", "member_b", "parent_supervisor", "outsider"]


def state() -> tuple[object, ...]:
    return (
        list(OrganizationSettings.objects.values_list("transparency_enabled", flat=True)),
        sorted(Objective.objects.filter(is_public=True).values_list("pk", flat=True)),
        AuditEvent.objects.count(),
    )


def second_org_objective(world: World, **extra: object) -> Objective:
    return make_objective(world.root, year=world.year, cycle=None, title="Toinen", **extra)


def test_admin_publishes_and_chooses_the_public_objectives(world: World) -> None:
    second = second_org_objective(world)
    response = client_for(world.admin).post(
        URL, {"enabled": "on", "public_objectives": [str(world.org_objective.pk)]}
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert OrganizationSettings.objects.get().transparency_enabled
    assert set(Objective.objects.filter(is_public=True)) == {world.org_objective}
    events = AuditEvent.objects.order_by("id")
    assert [(e.target_type, e.before, e.after, e.actor_id) for e in events] == [
        (
            "organizationsettings",
            {"transparency_enabled": False},
            {"transparency_enabled": True},
            world.admin.pk,
        ),
        ("objective", {"is_public": False}, {"is_public": True}, world.admin.pk),
    ]
    assert events[1].objective_id == world.org_objective.pk
    assert not Objective.objects.get(pk=second.pk).is_public


def test_admin_unpublishes_and_unmarks(world: World) -> None:
    OrganizationSettings.objects.update(transparency_enabled=True)
    Objective.objects.filter(pk=world.org_objective.pk).update(is_public=True)
    version = Objective.objects.get(pk=world.org_objective.pk).version
    response = client_for(world.admin).post(URL, {})
    assert response.status_code == 302
    assert not OrganizationSettings.objects.get().transparency_enabled
    objective = Objective.objects.get(pk=world.org_objective.pk)
    assert not objective.is_public
    assert objective.version == version  # an edit in progress is not made to conflict
    assert AuditEvent.objects.count() == 2


def test_saving_without_changes_records_nothing(world: World) -> None:
    client_for(world.admin).post(URL, {"enabled": "on"})
    before = state()
    client_for(world.admin).post(URL, {"enabled": "on"})
    assert state() == before


def test_form_shows_the_current_choices_and_a_preview_link(world: World) -> None:
    OrganizationSettings.objects.update(transparency_enabled=True)
    Objective.objects.filter(pk=world.org_objective.pk).update(is_public=True)
    second_org_objective(world, status=Objective.Status.DRAFT)
    html = client_for(world.admin).get(URL).content.decode()
    assert re.search(r'<input type="checkbox" name="enabled"[^>]* checked>', html)
    pk = world.org_objective.pk
    assert re.search(
        rf'<input type="checkbox" name="public_objectives" value="{pk}"[^>]* checked>', html
    )
    assert "Toinen (draft: shown once active)" in html
    assert f'href="{reverse("transparency:public")}"' in html


def test_team_restricted_and_cancelled_objectives_are_not_offered(world: World) -> None:
    restricted = second_org_objective(world, visibility=Objective.Visibility.RESTRICTED)
    cancelled = make_objective(
        world.root,
        year=world.year,
        cycle=None,
        title="Peruttu",
        status=Objective.Status.CANCELLED,
    )
    html = client_for(world.admin).get(URL).content.decode()
    for objective in [restricted, cancelled, world.objective_a, world.restricted_a]:
        assert f'value="{objective.pk}"' not in html


def test_restricted_objective_marked_public_is_pointed_out(world: World) -> None:
    second_org_objective(world, visibility=Objective.Visibility.RESTRICTED, is_public=True)
    html = client_for(world.admin).get(URL).content.decode()
    assert "never published, even though they are marked public" in html
    assert "<li>Toinen</li>" in html


@pytest.mark.parametrize("choice", ["restricted", "team", "cancelled", "nonsense", "missing"])
def test_objectives_that_may_not_be_public_are_refused(world: World, choice: str) -> None:
    restricted = second_org_objective(world, visibility=Objective.Visibility.RESTRICTED)
    cancelled = second_org_objective(world, status=Objective.Status.CANCELLED)
    value = {
        "restricted": str(restricted.pk),
        "team": str(world.objective_a.pk),
        "cancelled": str(cancelled.pk),
        "nonsense": "abc",
        "missing": "999999",
    }[choice]
    before = state()
    response = client_for(world.admin).post(
        URL, {"enabled": "on", "public_objectives": [str(world.org_objective.pk), value]}
    )
    assert response.status_code == 400
    assert 'class="field-errors"' in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("persona", OTHERS)
def test_others_may_not_see_or_change_the_settings(world: World, persona: str) -> None:
    before = state()
    client = client_for(world.persona(persona))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"enabled": "on", "public_objectives": [world.org_objective.pk]})
    assert response.status_code == 403
    assert state() == before


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    before = state()
    response = Client().post(URL, {"enabled": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


def test_only_get_and_post(world: World) -> None:
    before = state()
    assert client_for(world.admin).put(URL).status_code == 405
    assert state() == before


def test_the_settings_row_is_created_when_missing(world: World) -> None:
    OrganizationSettings.objects.all().delete()
    response = client_for(world.admin).post(URL, {"enabled": "on"})
    assert response.status_code == 302
    assert OrganizationSettings.objects.get().transparency_enabled


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_page_speaks_the_language(world: World, language: str) -> None:
    response = client_for(world.admin, language).get(URL)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_without_a_year_there_is_nothing_to_choose(world: World) -> None:
    Objective.objects.all().delete()
    Cycle.objects.all().delete()
    Year.objects.all().delete()
    response = client_for(world.admin).get(URL)
    assert response.status_code == 200
    assert "There is no year yet." in response.content.decode()
    assert Client().get(reverse("transparency:public")).status_code == 404
