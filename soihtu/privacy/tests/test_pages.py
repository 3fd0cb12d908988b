"""The people search and a person's page: what the OKR office sees, in a constant number of
queries, and nobody else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.privacy.tests.builders import build, leave

PEOPLE = reverse("privacy:people")


def names(html: str) -> list[str]:
    return [line for line in html.splitlines() if "/privacy/people/" in line]


@pytest.mark.parametrize(
    "query", ["Kettumäki", "aurelia kettu", "AURELIA.KETTUMAKI@", "EMP-4521", "akettu"]
)
def test_search_finds_by_name_email_username_and_employee_id(world: World, query: str) -> None:
    build(world)
    response = client_for(world.admin).get(PEOPLE, {"q": query})
    assert response.status_code == 200
    found = names(response.content.decode())
    assert len(found) == 1
    assert "Aurelia Kettumäki" in found[0]


def test_search_without_match_says_so(world: World) -> None:
    response = client_for(world.admin).get(PEOPLE, {"q": "Zyzzyva"})
    assert "No one matches the search." in response.content.decode()


def test_people_are_listed_a_page_at_a_time(world: World) -> None:
    User.objects.bulk_create(
        User(username=f"person{i:02d}", first_name="Henkilö", last_name=f"Sukunimi{i:02d}")
        for i in range(30)
    )
    client = client_for(world.admin)
    first = client.get(PEOPLE, {"q": "Henkilö"}).content.decode()
    assert len(names(first)) == 25
    assert "Page 1 of 2" in first
    assert "?q=Henkil%C3%B6&amp;page=2" in first
    second = client.get(PEOPLE, {"q": "Henkilö", "page": "2"}).content.decode()
    assert len(names(second)) == 5


def test_person_page_shows_what_is_held_and_the_download(world: World) -> None:
    built = build(world)
    html = client_for(world.admin).get(reverse("privacy:person", args=[built.person.pk]))
    body = html.content.decode()
    assert "<td>Check-ins</td><td>1</td>" in body
    assert "<td>Survey rounds answered (never the answers)</td><td>1</td>" in body
    assert "<td>Memberships in units</td><td>1</td>" in body
    assert reverse("privacy:export", args=[built.person.pk]) in body


def test_an_active_person_gets_the_way_to_deactivate_instead_of_the_form(world: World) -> None:
    built = build(world)
    body = client_for(world.admin).get(reverse("privacy:person", args=[built.person.pk]))
    html = body.content.decode()
    assert "Deactivate the person first" in html
    assert reverse("admin:accounts_user_change", args=[built.person.pk]) in html
    assert reverse("privacy:anonymize", args=[built.person.pk]) not in html


def test_a_person_who_left_gets_the_confirmation_form(world: World) -> None:
    built = build(world)
    leave(built.person)
    html = client_for(world.admin).get(reverse("privacy:person", args=[built.person.pk]))
    body = html.content.decode()
    assert f'action="{reverse("privacy:anonymize", args=[built.person.pk])}"' in body
    assert 'name="confirm"' in body
    assert "It cannot be undone." in body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pages_speak_the_language(world: World, language: str) -> None:
    built = build(world)
    client = client_for(world.admin, language)
    for url in [PEOPLE, reverse("privacy:person", args=[built.person.pk])]:
        response = client.get(url)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["supervisor", "member", "outsider"])
def test_others_may_not_search(world: World, persona: str) -> None:
    assert client_for(world.persona(persona)).get(PEOPLE).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    assert Client().get(PEOPLE).status_code == 302


def test_unknown_person_is_not_found(world: World) -> None:
    response = client_for(world.admin).get(reverse("privacy:person", args=[999999]))
    assert response.status_code == 404


def grow(world: World, person: User) -> None:
    User.objects.bulk_create(
        User(username=f"extra{i:03d}", first_name="Lisä", last_name=f"Ihminen{i:03d}")
        for i in range(80)
    )
    for value in range(1, 6):
        checkin_create(
            author=person, key_result=world.kr_a1, value=Decimal(12 - value), confidence=5
        )


def counts(world: World, person: User) -> dict[str, int]:
    return page_query_counts(
        client_for(world.admin),
        {
            "people": PEOPLE,
            "search": PEOPLE + "?q=a",
            "page": PEOPLE + "?page=2",
            "person": reverse("privacy:person", args=[person.pk]),
        },
    )


def test_pages_do_a_constant_number_of_queries(world: World) -> None:
    built = build(world)
    User.objects.bulk_create(User(username=f"first{i:02d}", last_name="A") for i in range(30))
    small = counts(world, built.person)
    grow(world, built.person)
    large = counts(world, built.person)
    assert_constant_and_few(small, large)
