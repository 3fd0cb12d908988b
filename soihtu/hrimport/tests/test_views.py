"""The upload page, the preview and the confirmation: org admins only, nothing half-done."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

from soihtu.accounts.models import User
from soihtu.conftest import World, client_for, make_user
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.services import hr_import_stage
from soihtu.hrimport.tests.files import WORLD_PEOPLE, code_the_world, generated_file, world_file
from soihtu.hrimport.tests.helpers import db_state

UPLOAD = reverse("hrimport:upload")
NOT_ADMINS = ["supervisor", "torchbearer", "member", "member_b", "outsider", "parent_supervisor"]


@pytest.fixture
def coded(world: World) -> World:
    code_the_world(world)
    return world


def leavers_file(world: World) -> bytes:
    """The world without member_b, who left."""
    return world_file(world, people=[p for p in WORLD_PEOPLE if p[0] != "member_b"])


def upload(client: Client, data: bytes, name: str = "hr.csv") -> _MonkeyPatchedWSGIResponse:
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, "text/csv")})


def fingerprint_of(html: str) -> str:
    match = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', html)
    assert match, html
    return match.group(1)


def test_upload_page_documents_the_columns(coded: World) -> None:
    response = client_for(coded.admin).get(UPLOAD)

    assert response.status_code == 200
    html = response.content.decode()
    for column in ("employee_id", "unit_code", "parent_unit_code", "supervisor"):
        assert f"<code>{column}</code>" in html
    assert 'enctype="multipart/form-data"' in html


def test_admin_uploads_previews_and_confirms(coded: World) -> None:
    client = client_for(coded.admin)

    response = upload(client, leavers_file(coded))

    staged = HrImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hrimport:preview", args=[staged.pk])
    assert User.objects.get(pk=coded.member_b.pk).is_active
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "People deactivated (left)" in html
    assert "E4" in html

    confirmed = client.post(
        reverse("hrimport:confirm", args=[staged.pk]), {"fingerprint": fingerprint_of(html)}
    )

    assert confirmed.status_code == 302
    assert not User.objects.get(pk=coded.member_b.pk).is_active
    result = client.get(confirmed["Location"])
    assert "The HR import was applied." in result.content.decode()
    assert "Applied" in result.content.decode()


def test_preview_speaks_the_persons_language(coded: World) -> None:
    client = client_for(coded.admin, "fi")

    response = client.get(upload(client, leavers_file(coded))["Location"])

    assert response.status_code == 200
    assert '<html lang="fi">' in response.content.decode()


def test_unchanged_file_is_not_staged(coded: World) -> None:
    response = upload(client_for(coded.admin), world_file(coded))

    assert response.status_code == 200
    assert "nothing to change" in response.content.decode()
    assert not HrImport.objects.exists()


def test_bad_file_lists_errors_and_changes_nothing(coded: World) -> None:
    before = db_state()

    response = upload(client_for(coded.admin), "ä".encode("latin-1") + leavers_file(coded))

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert db_state() == before
    assert not HrImport.objects.exists()


def test_errors_carry_line_numbers(coded: World) -> None:
    data = leavers_file(coded).replace(b"member_a@example.org", b"not-an-email")

    response = upload(client_for(coded.admin), data)

    assert response.status_code == 400
    assert "Line 11:" in response.content.decode()


def test_missing_file_is_a_form_error(coded: World) -> None:
    response = client_for(coded.admin).post(UPLOAD, {})

    assert response.status_code == 400
    assert not HrImport.objects.exists()


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_not_admins_get_403_everywhere_and_nothing_changes(coded: World, persona: str) -> None:
    staged, plan = hr_import_stage(actor=coded.admin, file_name="hr.csv", data=leavers_file(coded))
    assert staged is not None
    before = db_state()
    client = client_for(coded.persona(persona))

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, leavers_file(coded)).status_code == 403
    assert client.get(reverse("hrimport:preview", args=[staged.pk])).status_code == 403
    confirm = reverse("hrimport:confirm", args=[staged.pk])
    assert client.post(confirm, {"fingerprint": plan.diff.fingerprint}).status_code == 403

    assert db_state() == before
    assert HrImport.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(coded: World) -> None:
    response = Client().get(UPLOAD)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_get_on_confirm_is_405(coded: World) -> None:
    staged, _plan = hr_import_stage(actor=coded.admin, file_name="hr.csv", data=leavers_file(coded))
    assert staged is not None

    response = client_for(coded.admin).get(reverse("hrimport:confirm", args=[staged.pk]))

    assert response.status_code == 405
    assert User.objects.get(pk=coded.member_b.pk).is_active


def test_unknown_import_is_404(coded: World) -> None:
    assert client_for(coded.admin).get(reverse("hrimport:preview", args=[999])).status_code == 404


def test_stale_preview_shows_the_new_one_and_applies_nothing(coded: World) -> None:
    client = client_for(coded.admin)
    location = upload(client, leavers_file(coded))["Location"]
    fingerprint = fingerprint_of(client.get(location).content.decode())
    staged = HrImport.objects.get()
    User.objects.filter(pk=coded.member.pk).update(first_name="Renamed")  # meanwhile, by hand
    before = db_state()

    response = client.post(
        reverse("hrimport:confirm", args=[staged.pk]), {"fingerprint": fingerprint}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "The organization changed after the preview" in html
    assert "People whose name or email changes" in html  # the new preview shows the rename
    assert fingerprint_of(html) != fingerprint
    assert db_state() == before
    assert not HrImport.objects.get().is_applied


def test_confirm_without_fingerprint_shows_the_preview_again(coded: World) -> None:
    staged, _plan = hr_import_stage(actor=coded.admin, file_name="hr.csv", data=leavers_file(coded))
    assert staged is not None
    before = db_state()

    response = client_for(coded.admin).post(reverse("hrimport:confirm", args=[staged.pk]), {})

    assert response.status_code == 400
    assert db_state() == before


def test_confirming_twice_applies_once(coded: World) -> None:
    staged, plan = hr_import_stage(actor=coded.admin, file_name="hr.csv", data=leavers_file(coded))
    assert staged is not None
    client = client_for(coded.admin)
    confirm = reverse("hrimport:confirm", args=[staged.pk])
    client.post(confirm, {"fingerprint": plan.diff.fingerprint})
    after_first = db_state()

    response = client.post(confirm, {"fingerprint": plan.diff.fingerprint}, follow=True)

    assert "already been applied" in response.content.decode()
    assert db_state() == after_first


def test_long_lists_are_capped(db: None) -> None:
    admin = make_user("admin_okr", org_admin=True)
    client = client_for(admin)
    location = upload(client, generated_file(150))["Location"]

    html = client.get(location).content.decode()

    assert "… and 50 more." in html
    assert html.count("@example.fi</td>") == 100
