"""The public page and its open data: what a signed-out visitor sees, in every language, the
year chooser, the headers, and 404 while the organization does not publish."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from soihtu.conftest import World, client_for, make_kr, make_objective
from soihtu.cycles.models import Year
from soihtu.organization.models import OrganizationSettings
from soihtu.transparency.selectors import CSV_COLUMNS
from soihtu.transparency.tests.helpers import publish

URLS = ["transparency:public", "transparency:json", "transparency:csv"]


def earlier_year(world: World) -> Year:
    year = Year.objects.create(
        number=2025, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    old = make_objective(world.root, year=year, cycle=None, title="Vanha julkinen tavoite")
    old.is_public = True
    old.save()
    return year


@pytest.mark.parametrize(
    ("language", "theme"), [("fi", "Luottamus"), ("sv", "Förtroende"), ("en", "Trust")]
)
def test_signed_out_visitor_sees_the_themes_and_public_objectives_in_their_language(
    world: World, language: str, theme: str
) -> None:
    publish(world)
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("transparency:public"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "Testiorganisaatio" in html
    for name in [theme, {"fi": "Tieto", "sv": "Kunskap", "en": "Knowledge"}[language]]:
        assert name in html
    assert "Asiakkaat luottavat meihin" in html
    assert "Asiakastyytyväisyys" in html  # its key result
    assert 'aria-label="Asiakkaat luottavat meihin"' in html  # the progress bar's text


def test_open_data_json_is_exactly_the_published_content(world: World) -> None:
    publish(world)
    kr = world.org_objective.key_results.get()
    response = Client().get(reverse("transparency:json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["organization"] == "Testiorganisaatio"
    assert data["year"] == 2026
    assert [t["name"] for t in data["themes"]] == [
        {"fi": "Luottamus", "sv": "Förtroende", "en": "Trust"},
        {"fi": "Tieto", "sv": "Kunskap", "en": "Knowledge"},
        {"fi": "Turva", "sv": "Trygghet", "en": "Security"},
    ]
    assert data["objectives"] == [
        {
            "id": world.org_objective.pk,
            "title": "Asiakkaat luottavat meihin",
            "description": "",
            "kind": "committed",
            "status": "active",
            "progress": 0.0,
            "progress_percent": 0,
            "theme_ids": [world.themes[0].pk],
            "key_results": [
                {
                    "id": kr.pk,
                    "title": "Asiakastyytyväisyys",
                    "progress": 0.0,
                    "progress_percent": 0,
                    "kind": "increase",
                    "unit": "",
                    "start_value": 3.9,
                    "target_value": 4.3,
                    "current_value": None,
                    "last_update": None,
                }
            ],
        }
    ]


def test_progress_follows_the_key_results(world: World) -> None:
    publish(world)
    make_kr(world.org_objective, "Puolivälissä", current_value=Decimal(50))
    data = json.loads(Client().get(reverse("transparency:json")).content)
    (objective,) = data["objectives"]
    assert [kr["progress_percent"] for kr in objective["key_results"]] == [0, 50]
    assert objective["progress_percent"] == 25
    html = Client().get(reverse("transparency:public")).content.decode()
    assert 'value="25"' in html


def test_open_data_csv_has_a_bom_stable_columns_and_the_same_content(world: World) -> None:
    publish(world)
    response = Client().get(reverse("transparency:csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="okr-2026.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["record"], r["title"] or r["name_fi"]) for r in rows] == [
        ("theme", "Luottamus"),
        ("theme", "Tieto"),
        ("theme", "Turva"),
        ("objective", "Asiakkaat luottavat meihin"),
        ("key_result", "Asiakastyytyväisyys"),
    ]
    objective = rows[3]
    assert objective["theme_ids"] == str(world.themes[0].pk)
    assert objective["progress_percent"] == "0"
    assert rows[4]["objective_id"] == str(world.org_objective.pk)
    assert rows[1]["name_sv"] == "Kunskap"


@pytest.mark.parametrize("name", URLS)
def test_nothing_is_there_while_the_organization_does_not_publish(world: World, name: str) -> None:
    world.org_objective.is_public = True
    world.org_objective.save()
    assert Client().get(reverse(name)).status_code == 404
    assert client_for(world.member).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_nothing_is_there_without_organization_settings(world: World, name: str) -> None:
    OrganizationSettings.objects.all().delete()
    assert Client().get(reverse(name)).status_code == 404


def test_org_admin_previews_the_unpublished_page(world: World) -> None:
    world.org_objective.is_public = True
    world.org_objective.save()
    response = client_for(world.admin).get(reverse("transparency:public"))
    assert response.status_code == 200
    assert "Preview: this page is not published" in response.content.decode()
    assert client_for(world.admin).get(reverse("transparency:json")).status_code == 404


def test_published_page_is_no_preview(world: World) -> None:
    publish(world)
    response = client_for(world.admin).get(reverse("transparency:public"))
    assert "Preview" not in response.content.decode()


def test_year_chooser_shows_earlier_years_with_their_own_objectives(world: World) -> None:
    publish(world)
    earlier_year(world)
    current = Client().get(reverse("transparency:public")).content.decode()
    assert '<option value="2025">' in current
    assert "Vanha julkinen tavoite" not in current
    older = Client().get(reverse("transparency:public") + "?year=2025").content.decode()
    assert "Vanha julkinen tavoite" in older
    assert "Asiakkaat luottavat meihin" not in older
    data = json.loads(Client().get(reverse("transparency:json") + "?year=2025").content)
    assert [o["title"] for o in data["objectives"]] == ["Vanha julkinen tavoite"]
    csv_body = Client().get(reverse("transparency:csv") + "?year=2025").content.decode()
    assert "Vanha julkinen tavoite" in csv_body


def test_year_chooser_is_left_out_when_there_is_only_one_year(world: World) -> None:
    publish(world)
    html = Client().get(reverse("transparency:public")).content.decode()
    assert 'id="year-select"' not in html


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("year", ["1999", "abc", "20266", "-1"])
def test_unknown_year_is_not_found(world: World, name: str, year: str) -> None:
    publish(world)
    assert Client().get(reverse(name) + f"?year={year}").status_code == 404


@pytest.mark.parametrize("name", ["transparency:json", "transparency:csv"])
def test_open_data_may_be_cached_and_read_from_anywhere(world: World, name: str) -> None:
    publish(world)
    response = Client().get(reverse(name))
    assert response["Access-Control-Allow-Origin"] == "*"
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache == {"public", "max-age=300"}
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_page_is_not_for_shared_caches(world: World) -> None:
    publish(world)
    response = Client().get(reverse("transparency:public"))
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("name", URLS)
def test_only_get_and_head(world: World, name: str) -> None:
    publish(world)
    assert Client().post(reverse(name)).status_code == 405
    assert Client().head(reverse(name)).status_code == 200


def test_language_switcher_works_signed_out(world: World) -> None:
    publish(world)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fi")
    page = client.get(reverse("transparency:public"))
    assert 'lang="fi"' in page.content.decode()
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("set_language"),
        {"language": "sv", "next": reverse("transparency:public"), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("transparency:public")
    page = client.get(reverse("transparency:public"))
    html = page.content.decode()
    assert 'lang="sv"' in html
    assert "Förtroende" in html


def test_open_data_csv_writes_a_formula_looking_title_as_text(world: World) -> None:
    publish(world)
    world.org_objective.title = '=HYPERLINK("http://x")'
    world.org_objective.save(update_fields=["title"])
    make_kr(world.org_objective, "-1+1")
    world.themes[1].name_sv = "+1"
    world.themes[1].save(update_fields=["name_sv"])
    body = Client().get(reverse("transparency:csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    objective, *key_results = [r for r in rows if r["record"] != "theme"]
    assert objective["title"] == '\'=HYPERLINK("http://x")'
    assert "'-1+1" in {r["title"] for r in key_results}
    assert "'+1" in {r["name_sv"] for r in rows}
    assert objective["progress_percent"] == "0"
