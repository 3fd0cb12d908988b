"""The exchange page, the JSON download and the upload: org admins only."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from soihtu.conftest import World, client_for, make_user
from soihtu.exchange.export import export_document
from soihtu.exchange.tests.helpers import encode, snapshot, wipe
from soihtu.okrs.models import Objective

PERSONAS = ["supervisor", "torchbearer", "member", "member_b", "outsider", "parent_supervisor"]
GET_URLS = [
    "exchange:index",
    "exchange:export",
    "exchange:objectives_csv",
    "exchange:key_results_csv",
]


def _upload(client: Client, content: bytes, name: str = "export.json") -> object:
    upload = SimpleUploadedFile(name, content, content_type="application/json")
    return client.post(reverse("exchange:import"), {"file": upload})


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_admin_sees_the_page_in_every_language(world: World, language: str) -> None:
    response = client_for(world.admin, language).get(reverse("exchange:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("exchange:export") in content
    assert reverse("exchange:key_results_csv") in content
    assert 'type="file"' not in content  # the installation has data: no import form


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", GET_URLS)
def test_others_are_refused(world: World, persona: str, url: str) -> None:
    response = client_for(world.persona(persona)).get(reverse(url))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_others_cannot_import(world: World, persona: str) -> None:
    document = export_document()
    wipe()
    client = client_for(make_user(persona))
    before = snapshot()
    response = _upload(client, encode(document))
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert snapshot() == before


def test_signed_out_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("exchange:export"))
    assert response.status_code == 302


def test_get_on_the_import_address_is_not_allowed(world: World) -> None:
    response = client_for(world.admin).get(reverse("exchange:import"))
    assert response.status_code == 405


def test_post_on_the_export_address_is_not_allowed(world: World) -> None:
    response = client_for(world.admin).post(reverse("exchange:export"))
    assert response.status_code == 405


def test_admin_downloads_the_whole_export(world: World) -> None:
    response = client_for(world.admin).get(reverse("exchange:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="soihtu-okr-export-2026-11-27.json"'
    )
    document = json.loads(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    titles = {o["title"] for o in document["objectives"]}
    assert "Sisäinen kehitys" in titles  # restricted objectives are in the admin's export


@pytest.fixture
def empty_installation(world: World) -> tuple[bytes, Client]:
    """The world's export, and its admin signed in to an installation emptied of it."""
    content = encode(export_document())
    wipe()
    admin = make_user("admin_okr", org_admin=True)  # the same person, found by username
    return content, client_for(admin)


def test_the_empty_installation_offers_the_import(
    empty_installation: tuple[bytes, Client],
) -> None:
    _content, client = empty_installation
    response = client.get(reverse("exchange:index"))
    assert 'type="file"' in response.content.decode()


def test_admin_imports_into_an_empty_installation(
    empty_installation: tuple[bytes, Client],
) -> None:
    content, client = empty_installation
    response = client.post(
        reverse("exchange:import"),
        {"file": SimpleUploadedFile("export.json", content)},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("exchange:index"), 302)]
    assert "The OKR data was imported: people 7, strategy themes 3, units 7" in (
        response.content.decode()
    )
    assert Objective.objects.filter(title="Sisäinen kehitys").exists()


def test_a_second_import_is_refused(empty_installation: tuple[bytes, Client]) -> None:
    content, client = empty_installation
    _upload(client, content)
    before = snapshot()
    response = _upload(client, content)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "only into an empty installation" in response.content.decode()  # type: ignore[attr-defined]
    assert snapshot() == before


def test_malformed_upload_shows_where_it_breaks(
    empty_installation: tuple[bytes, Client],
) -> None:
    _content, client = empty_installation
    before = snapshot()
    response = _upload(client, b'{"format": \n"soihtu-okr-export" "version": 1}')
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "Nothing was imported. Fix these and try again:" in page
    assert "line 2, column 21" in page
    assert snapshot() == before


def test_invalid_document_lists_its_errors_in_finnish(
    empty_installation: tuple[bytes, Client],
) -> None:
    content, client = empty_installation
    document = json.loads(content)
    document["objectives"][0]["cycle"] = 17
    client.cookies.load({"django_language": "fi"})
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    before = snapshot()
    response = _upload(client, encode(document))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "objectives[0].cycle:" in response.content.decode()  # type: ignore[attr-defined]
    assert snapshot() == before


def test_oversized_upload_is_refused(
    empty_installation: tuple[bytes, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    content, client = empty_installation
    monkeypatch.setattr("soihtu.exchange.forms.UPLOAD_MAX_BYTES", 1024 * 1024)
    before = snapshot()
    response = _upload(client, content + b" " * (1024 * 1024))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "The file is 2 MB, and the largest accepted here is 1 MB." in (
        response.content.decode()  # type: ignore[attr-defined]
    )
    assert snapshot() == before


def test_upload_without_a_file_is_refused(empty_installation: tuple[bytes, Client]) -> None:
    _content, client = empty_installation
    before = snapshot()
    response = client.post(reverse("exchange:import"), {})
    assert response.status_code == 400
    assert snapshot() == before


def test_the_download_is_recorded_in_the_audit_trail(world: World) -> None:
    from soihtu.audit.models import AuditEvent

    response = client_for(world.admin).get(reverse("exchange:export"))
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.target_type, event.after) == (
        world.admin,
        "organizationsettings",
        {"exported": "OKR data (JSON)"},
    )
