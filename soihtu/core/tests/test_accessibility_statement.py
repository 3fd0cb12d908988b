"""The accessibility statement: a public page in each language, linked from every page's footer
and from the sign-in page, with the organization's own details once the OKR office saves them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from soihtu.conftest import World, client_for
from soihtu.core.models import (
    DEFAULT_AUTHORITY,
    DEFAULT_NON_CONFORMING,
    SOIHTU_ASSESSED_ON,
    AccessibilityStatement,
)

URL = reverse("accessibility")


def signed_out(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_statement_is_public_in_each_language_with_the_defaults(
    world: World, language: str
) -> None:
    response = signed_out(language).get(URL)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}">' in html
    assert "Testiorganisaatio" in html  # the organization's name, from its settings
    first_item = DEFAULT_NON_CONFORMING[language].splitlines()[0]
    assert f"<li>{first_item}</li>" in html
    assert DEFAULT_AUTHORITY[language].splitlines()[0] in html
    with translation.override(language):
        assert date_format(SOIHTU_ASSESSED_ON, "DATE_FORMAT") in html
    assert 'name="message"' in html  # the feedback form, signed out
    assert response["Cache-Control"] == "private, max-age=0"


def test_statement_needs_no_organization_settings(db: None) -> None:
    response = signed_out("en").get(URL)
    assert response.status_code == 200
    assert "Provided by: Soihtu." in response.text


def test_statement_shows_the_organizations_own_details(world: World) -> None:
    AccessibilityStatement.objects.create(
        pk=AccessibilityStatement.SINGLE_ID,
        organization_name="Kela",
        conformance=AccessibilityStatement.Conformance.FULL,
        assessed_on=datetime.date(2026, 10, 1),
        non_conforming_en="",
        non_conforming_fi="",
        feedback_email="saavutettavuus@example.org",
        authority_en="Some authority\nwww.example.org",
    )
    html = signed_out("en").get(URL).text
    assert "Provided by: Kela." in html
    assert "fully conforms" in html
    assert "We know of nothing that does not conform." in html
    assert 'href="mailto:saavutettavuus@example.org"' in html
    assert 'Some authority<br><a href="https://www.example.org"' in html
    assert "This statement was last updated on" in html


def test_a_language_left_empty_falls_back_to_finnish(world: World) -> None:
    AccessibilityStatement.objects.create(
        pk=AccessibilityStatement.SINGLE_ID, non_conforming_sv="", non_conforming_fi="Puute"
    )
    assert "<li>Puute</li>" in signed_out("sv").get(URL).text


@pytest.mark.parametrize("name", ["my_okrs", "login", "statement"])
def test_every_page_links_to_it_in_its_footer(world: World, name: str) -> None:
    if name == "my_okrs":
        response = client_for(world.member).get(reverse("okrs:my_okrs"))
    elif name == "login":
        response = signed_out("en").get(reverse("accounts:login"))
    else:
        response = signed_out("en").get(URL)
    footer = response.text.split('<footer class="site-footer">')[1]
    assert f'href="{URL}"' in footer


def test_sign_in_page_links_to_it_besides_the_footer(world: World) -> None:
    html = signed_out("en").get(reverse("accounts:login")).text
    main = html.split("<main")[1].split("</main>")[0]
    assert f'<a href="{URL}">accessibility statement</a>' in main


def test_statement_page_queries_do_not_grow_with_the_organization(
    world: World, django_assert_num_queries: object
) -> None:
    # The statement, the organization's name for it and for the header: nothing per person.
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert signed_out("en").get(URL).status_code == 200


def test_only_get_head_and_post(world: World) -> None:
    assert signed_out("en").put(URL).status_code == 405
