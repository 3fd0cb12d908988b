"""Nothing but the published items reaches the public page or its open data: no team or unit
objectives, no restricted objectives (even marked public), no drafts or cancelled objectives, no
unpublished organization objectives, and no people — whatever their role in the public items."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, make_kr, make_objective
from soihtu.cycles.models import Year
from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership
from soihtu.transparency.tests.helpers import publish

PUBLIC = [
    "Asiakkaat luottavat meihin",
    "Asiakastyytyväisyys",
    "Julkinen toinen",
    "Julkinen mittari",
]


def person(username: str, first: str, last: str) -> User:
    return User.objects.create_user(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@salainen.example",
        employee_id=f"EMP-{username}",
    )


def hidden_org_objective(world: World, title: str, kr: str, **extra: object) -> Objective:
    objective = make_objective(world.root, year=world.year, cycle=None, title=title, **extra)
    objective.themes.set([world.themes[1]])
    make_kr(objective, kr)
    return objective


def secret_world(world: World) -> list[str]:
    """Add everything that must stay hidden, next to the public items; return its texts."""
    publish(world)
    owner = person("zquixote", "Zebulon", "Quixotefield")
    author = person("hvalkoinen", "Hyacinth", "Valkoisenkorpi")
    creator = person("ohelmstedt", "Ottiliana", "Helmstedtberg")
    Membership.objects.create(user=owner, unit=world.team_a)
    second = make_objective(
        world.root, year=world.year, cycle=None, title="Julkinen toinen", created_by=creator
    )
    second.is_public = True
    second.save()
    public_kr = make_kr(second, "Julkinen mittari", owner=owner)
    checkin_create(
        author=author,
        key_result=public_kr,
        value=Decimal(40),
        confidence=7,
        note="Muistiinpano jota ei julkaista",
    )
    hidden = [
        hidden_org_objective(
            world,
            "Rajattu strategia",
            "Rajattu mittari",
            visibility=Objective.Visibility.RESTRICTED,
            is_public=True,
        ),
        hidden_org_objective(
            world, "Luonnostavoite", "Luonnosmittari", status=Objective.Status.DRAFT, is_public=True
        ),
        hidden_org_objective(
            world, "Peruttu tavoite", "Peruttu mittari", status=Objective.Status.CANCELLED
        ),
        hidden_org_objective(world, "Julkaisematon tavoite", "Julkaisematon mittari"),
        # Marked public but not organization objectives: a division's, and one set for a cycle.
        make_objective(
            world.division, year=world.year, cycle=None, title="Toimialan tavoite", is_public=True
        ),
        make_objective(
            world.root, year=world.year, cycle=world.cycle, title="Jakson tavoite", is_public=True
        ),
    ]
    Objective.objects.filter(pk=hidden[2].pk).update(is_public=True)
    for objective in [world.objective_a, world.restricted_a, world.objective_b]:
        objective.is_public = True
        objective.save()
    year = Year.objects.create(
        number=2027, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    make_objective(world.root, year=year, cycle=None, title="Ensi vuoden tavoite", is_public=True)
    texts = [o.title for o in hidden] + ["Ensi vuoden tavoite", "Muistiinpano jota ei julkaista"]
    texts += [kr.title for o in hidden for kr in o.key_results.all()]
    for objective in Objective.objects.filter(owner_unit__parent__isnull=False):
        texts.append(objective.title)
        texts.extend(kr.title for kr in objective.key_results.all())
    texts += ["Team A", "Team B", "Team C", "Division 1", "Division 2", "Unit A"]
    for user in User.objects.all():
        texts += [user.email, user.username, user.last_name, user.get_full_name()]
        if user.employee_id:
            texts.append(user.employee_id)
    # The world's personas have one-letter last names ("A"): too short to search for.
    return [text for text in texts if len(text) > 3]


def bodies() -> dict[str, str]:
    found = {}
    for language in ["fi", "sv", "en"]:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        for name in ["public", "json", "csv"]:
            response = client.get(reverse(f"transparency:{name}"))
            assert response.status_code == 200
            found[f"{name}-{language}"] = response.content.decode()
    return found


def test_only_the_published_items_are_shown(world: World) -> None:
    texts = secret_world(world)
    for name, body in bodies().items():
        for text in PUBLIC:
            assert text in body, (name, text)
        for text in texts:
            assert text not in body, (name, text)


def test_a_year_to_come_is_not_there_even_with_objectives_marked_public(world: World) -> None:
    texts = secret_world(world)
    for name in ["public", "json", "csv"]:
        assert Client().get(reverse(f"transparency:{name}") + "?year=2027").status_code == 404
        body = Client().get(reverse(f"transparency:{name}") + "?year=2026").content.decode()
        assert 'value="2027"' not in body  # not in the year chooser
        for text in texts:
            assert text not in body, (name, text)


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": Objective.Visibility.RESTRICTED},
        {"status": Objective.Status.DRAFT},
        {"status": Objective.Status.CANCELLED},
        {"is_public": False},
    ],
)
def test_restricted_draft_cancelled_or_unmarked_objective_disappears(
    world: World, change: dict[str, object]
) -> None:
    publish(world)
    Objective.objects.filter(pk=world.org_objective.pk).update(**change)
    for name in ["public", "json", "csv"]:
        body = Client().get(reverse(f"transparency:{name}")).content.decode()
        assert "Asiakkaat luottavat meihin" not in body
        assert "Asiakastyytyväisyys" not in body


def test_completed_objective_stays_published(world: World) -> None:
    publish(world)
    Objective.objects.filter(pk=world.org_objective.pk).update(status=Objective.Status.COMPLETED)
    assert (
        "Asiakkaat luottavat meihin" in Client().get(reverse("transparency:csv")).content.decode()
    )
