"""The pages of the import: only org admins, bad files refused with nothing changed, the whole
flow from upload to import, and the mapping page's choices."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World, client_for, make_user
from soihtu.okrs.models import KeyResult, Objective
from soihtu.vivagoals import parse
from soihtu.vivagoals.models import VivaUpload
from soihtu.vivagoals.plan import build_plan
from soihtu.vivagoals.tests.uploads import an_upload, sample

PERSONAS = ["supervisor", "torchbearer", "member", "member_b", "parent_supervisor", "outsider"]


def state() -> tuple[object, ...]:
    return (
        sorted(Objective.objects.values_list("id", "title")),
        sorted(KeyResult.objects.values_list("id", "title", "current_value")),
        CheckIn.objects.count(),
        AuditEvent.objects.count(),
        sorted(VivaUpload.objects.values_list("id", "columns", "unit_id", "mapped_at")),
    )


def a_file(name: str = "full_export.csv", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample(name) if content is None else content, "text/csv")


def mapping_data(world: World, upload: VivaUpload, **changes: str) -> dict[str, str]:
    data = {f"column_{i}": name for i, name in enumerate(upload.columns)}
    data |= {"unit": str(world.unit_a.pk), "period": f"cycle:{world.cycle.pk}"}
    return data | changes


def urls(upload_id: int) -> dict[str, str]:
    return {
        name: reverse(f"vivagoals:{name}", args=[upload_id])
        for name in ["mapping", "preview", "confirm", "discard"]
    }


# -- who ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_org_admins_may_import(world: World, persona: str) -> None:
    upload = an_upload(world, "full_export.csv")
    fingerprint = build_plan(upload).fingerprint
    before = state()
    client = client_for(world.persona(persona))
    page = urls(upload.pk)
    start = reverse("vivagoals:upload")
    assert client.get(start).status_code == 403
    assert client.post(start, {"file": a_file()}).status_code == 403
    assert client.get(page["mapping"]).status_code == 403
    assert client.post(page["mapping"], mapping_data(world, upload)).status_code == 403
    assert client.get(page["preview"]).status_code == 403
    assert client.post(page["confirm"], {"fingerprint": fingerprint}).status_code == 403
    assert client.post(page["discard"]).status_code == 403
    assert state() == before


def test_another_admins_upload_is_not_found(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    fingerprint = build_plan(upload).fingerprint
    before = state()
    client = client_for(make_user("other_admin", org_admin=True))
    page = urls(upload.pk)
    assert client.get(page["mapping"]).status_code == 404
    assert client.post(page["mapping"], mapping_data(world, upload)).status_code == 404
    assert client.get(page["preview"]).status_code == 404
    assert client.post(page["confirm"], {"fingerprint": fingerprint}).status_code == 404
    assert client.post(page["discard"]).status_code == 404
    assert state() == before


def test_upload_older_than_a_day_is_not_found(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1, minutes=1)
    with time_machine.travel(later):
        assert client_for(world.admin).get(urls(upload.pk)["preview"]).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    before = state()
    client = Client()
    for url in [reverse("vivagoals:upload"), *urls(upload.pk).values()]:
        response = client.post(url) if url.endswith(("import/", "discard/")) else client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert state() == before


def test_get_on_import_and_discard_is_not_allowed(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    before = state()
    client = client_for(world.admin)
    assert client.get(urls(upload.pk)["confirm"]).status_code == 405
    assert client.get(urls(upload.pk)["discard"]).status_code == 405
    assert state() == before


# -- upload ---------------------------------------------------------------------------------


def test_upload_page(world: World) -> None:
    an_upload(world, "minimal.csv")
    response = client_for(world.admin).get(reverse("vivagoals:upload"))
    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b"minimal.csv" in response.content  # waiting to be imported


@pytest.mark.parametrize("name", ["full_export.csv", "minimal.csv", "semicolon_bom.csv"])
def test_upload_keeps_the_file_and_shows_the_mapping(world: World, name: str) -> None:
    client = client_for(world.admin)
    response = client.post(reverse("vivagoals:upload"), {"file": a_file(name)})
    upload = VivaUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vivagoals:mapping", args=[upload.pk])
    assert (upload.owner, upload.filename) == (world.admin, name)
    assert upload.content == parse.decode(sample(name))


def test_utf16_file_from_excel_is_accepted(world: World) -> None:
    text = parse.decode(sample("full_export.csv")).replace(",", "\t")
    content = text.encode("utf-16")
    response = client_for(world.admin).post(
        reverse("vivagoals:upload"), {"file": a_file("unicode.txt", content)}
    )
    assert response.status_code == 302
    assert VivaUpload.objects.get().delimiter == "\t"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Title,Type\nPäätös,Objective\n".encode("latin-1"), "not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not UTF-8 text"),
        (b"Title,Type\n\x00\x01\x02,Objective\n", "not a CSV text file"),
        (b"", "empty"),
        (b"Title,Type\n", "no data rows"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_changes(
    world: World, content: bytes, message: str
) -> None:
    before = state()
    response = client_for(world.admin).post(
        reverse("vivagoals:upload"), {"file": a_file("bad.csv", content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


def test_oversized_file_is_refused(world: World) -> None:
    before = state()
    row = b"Tavoite,Objective\n"
    content = b"Title,Type\n" + row * (parse.MAX_BYTES // len(row) + 1)
    response = client_for(world.admin).post(
        reverse("vivagoals:upload"), {"file": a_file("big.csv", content)}
    )
    # Stopped while it streams, by the page's upload limit (soihtu/core/uploads.py).
    assert response.status_code == 413
    assert "at most 5.0\xa0MB is accepted here" in response.content.decode()
    assert state() == before


def test_file_with_too_many_rows_is_refused(world: World) -> None:
    before = state()
    content = b"Title,Type\n" + b"A,Objective\n" * (parse.MAX_ROWS + 1)
    response = client_for(world.admin).post(
        reverse("vivagoals:upload"), {"file": a_file("long.csv", content)}
    )
    assert response.status_code == 400
    assert "more than 10" in response.content.decode()
    assert state() == before


def test_upload_without_a_file_is_refused(world: World) -> None:
    before = state()
    response = client_for(world.admin).post(reverse("vivagoals:upload"), {})
    assert response.status_code == 400
    assert state() == before


# -- mapping --------------------------------------------------------------------------------


def test_mapping_page_shows_columns_with_their_match_and_examples(world: World) -> None:
    upload = an_upload(world, "semicolon_bom.csv")
    response = client_for(world.admin).get(urls(upload.pk)["mapping"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "10 of 12 columns were recognised" in page
    assert "Strategic pillar" in page
    assert "Trust" in page  # an example value
    assert '<option value="ignore" selected>Do not import</option>' in page


def test_mapping_is_saved_and_leads_to_the_preview(world: World) -> None:
    upload = an_upload(world, "semicolon_bom.csv")
    data = mapping_data(world, upload, column_8="current", unit=str(world.team_b.pk))
    response = client_for(world.admin).post(urls(upload.pk)["mapping"], data)
    assert response.status_code == 302
    assert response["Location"] == urls(upload.pk)["preview"]
    upload.refresh_from_db()
    assert upload.columns[8] == "current"
    assert (upload.unit, upload.cycle, upload.year) == (world.team_b, world.cycle, world.year)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"column_8": "title"}, "Title is already chosen for the column “Name”."),
        ({"column_0": "ignore"}, "Choose the column that holds the titles."),
        ({"column_1": "ignore"}, "Choose the column that tells objectives from key results"),
        ({"unit": ""}, "This field is required."),
        ({"period": "cycle:999999"}, "Select a valid choice."),
        ({"column_2": "bogus"}, "Select a valid choice."),
    ],
)
def test_bad_mapping_is_refused_and_nothing_changes(
    world: World, changes: dict[str, str], message: str
) -> None:
    upload = an_upload(world, "semicolon_bom.csv")
    before = state()
    response = client_for(world.admin).post(
        urls(upload.pk)["mapping"], mapping_data(world, upload, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


# -- preview and import ---------------------------------------------------------------------


def test_preview_before_mapping_goes_to_the_mapping(world: World) -> None:
    client = client_for(world.admin)
    client.post(reverse("vivagoals:upload"), {"file": a_file()})
    upload = VivaUpload.objects.get()
    response = client.get(urls(upload.pk)["preview"])
    assert response.status_code == 302
    assert response["Location"] == urls(upload.pk)["mapping"]
    before = state()
    assert client.post(urls(upload.pk)["confirm"], {"fingerprint": "x"}).status_code == 302
    assert state() == before


def test_preview_lists_what_will_be_created_and_what_not(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    before = state()
    response = client_for(world.admin).get(urls(upload.pk)["preview"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Objectives to create: <strong>4</strong>" in page
    assert "Key results to create: <strong>6</strong>" in page
    assert "Contribution links: <strong>2</strong>" in page
    assert "First check-ins with the current value: <strong>6</strong>" in page
    assert "Rows not imported: <strong>1</strong>" in page
    assert '<th scope="row">11</th><td>Initiatives and projects are not imported' in page
    assert "Last Updated" in page
    assert "No one in Soihtu has the e-mail address nobody@example.org" in page
    assert "Import 4 objectives" in page
    assert state() == before


def test_whole_flow_from_upload_to_import(world: World) -> None:
    client = client_for(world.admin)
    client.post(reverse("vivagoals:upload"), {"file": a_file("semicolon_bom.csv")})
    upload = VivaUpload.objects.get()
    data = mapping_data(world, upload, column_8="current")
    assert client.post(urls(upload.pk)["mapping"], data).status_code == 302
    preview = client.get(urls(upload.pk)["preview"])
    assert "First check-ins with the current value: <strong>3</strong>" in preview.content.decode()
    fingerprint = preview.context["plan"].fingerprint
    response = client.post(urls(upload.pk)["confirm"], {"fingerprint": fingerprint}, follow=True)
    assert response.redirect_chain == [(reverse("vivagoals:upload"), 302)]
    assert (
        "Objectives: 2, key results: 4, contribution links: 0, check-ins: 3."
        in response.content.decode()
    )
    assert Objective.objects.filter(title__in=["Parempi palvelu", "Data"]).count() == 2
    assert CheckIn.objects.filter(note="Imported from Viva Goals").count() == 3
    assert not VivaUpload.objects.exists()


def test_second_click_on_import_finds_nothing(world: World) -> None:
    upload = an_upload(world, "minimal.csv", unit=world.team_a)
    fingerprint = build_plan(upload).fingerprint
    client = client_for(world.admin)
    assert client.post(urls(upload.pk)["confirm"], {"fingerprint": fingerprint}).status_code == 302
    before = state()
    assert client.post(urls(upload.pk)["confirm"], {"fingerprint": fingerprint}).status_code == 404
    assert state() == before


def test_import_after_a_change_shows_the_preview_again(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    before = state()
    response = client_for(world.admin).post(
        urls(upload.pk)["confirm"], {"fingerprint": "stale"}, follow=True
    )
    assert response.redirect_chain == [(urls(upload.pk)["preview"], 302)]
    assert "changed in Soihtu since the preview" in response.content.decode()
    assert state() == before


def test_same_file_twice_shows_skipped_objectives_and_no_import_button(world: World) -> None:
    first = an_upload(world, "full_export.csv")
    client = client_for(world.admin)
    client.post(urls(first.pk)["confirm"], {"fingerprint": build_plan(first).fingerprint})
    again = an_upload(world, "full_export.csv")
    before = state()
    page = client.get(urls(again.pk)["preview"]).content.decode()
    assert "Objectives already in Soihtu, skipped: <strong>4</strong>" in page
    assert "There is nothing new to import." in page
    assert urls(again.pk)["confirm"] not in page
    fingerprint = build_plan(again).fingerprint
    response = client.post(urls(again.pk)["confirm"], {"fingerprint": fingerprint}, follow=True)
    assert "the file has nothing new to import" in response.content.decode()
    assert state() == before


def test_discard(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    response = client_for(world.admin).post(urls(upload.pk)["discard"])
    assert response.status_code == 302
    assert not VivaUpload.objects.exists()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pages_answer_in_every_language(world: World, language: str) -> None:
    upload = an_upload(world, "full_export.csv")
    client = client_for(world.admin, language)
    for url in [
        reverse("vivagoals:upload"),
        urls(upload.pk)["mapping"],
        urls(upload.pk)["preview"],
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
