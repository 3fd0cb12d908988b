"""Every upload page refuses a body over its limit before reading it (by Content-Length), stops
reading an upload that passes the limit while it streams, never reads past what the request
declared, and imports nothing after a refusal. CSRF is still checked."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from pytest_django.fixtures import Settings

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.core.uploads import FORM_ALLOWANCE, LimitedUploadHandler
from soihtu.hrimport.models import HrImport
from soihtu.okrs.models import Objective
from soihtu.surveys.models import Response
from soihtu.surveys.tests.factories import open_round
from soihtu.vivagoals.models import VivaUpload

LIMIT = 10_000  # bytes, set for every upload page in these tests


@dataclass(frozen=True)
class Page:
    setting: str
    url: Callable[[World], str]


PAGES = {
    "exchange": Page("SOIHTU_EXCHANGE_IMPORT_MAX_BYTES", lambda w: reverse("exchange:import")),
    "viva_goals": Page("SOIHTU_VIVA_GOALS_IMPORT_MAX_BYTES", lambda w: reverse("vivagoals:upload")),
    "hr_import": Page("SOIHTU_HR_IMPORT_MAX_BYTES", lambda w: reverse("hrimport:upload")),
    "survey_answers": Page(
        "SOIHTU_SURVEY_IMPORT_MAX_BYTES",
        lambda w: reverse("surveys:import", args=[open_round(w.admin).pk]),
    ),
}


@pytest.fixture(params=list(PAGES))
def page(request: pytest.FixtureRequest, settings: Settings) -> Page:
    chosen = PAGES[request.param]
    for each in PAGES.values():
        setattr(settings, each.setting, LIMIT)
    return chosen


def state() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        Objective.objects.count(),
        HrImport.objects.count(),
        VivaUpload.objects.count(),
        Response.objects.count(),
    )


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the request body was read")


class Counting(io.BytesIO):
    """A request body that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.taken += len(line)
        return line


def _multipart(content: bytes, name: str = "upload.csv") -> bytes:
    return encode_multipart(BOUNDARY, {"file": SimpleUploadedFile(name, content, "text/csv")})


def _post_raw(client: Client, url: str, stream: io.IOBase, declared: int) -> Any:
    environ: dict[str, Any] = {
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(declared),
        "wsgi.input": stream,
    }
    return client.generic("POST", url, **environ)


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body(
    world: World, page: Page
) -> None:
    url = page.url(world)
    before = state()
    response = _post_raw(client_for(world.admin), url, Unreadable(), LIMIT + FORM_ALLOWANCE + 1)
    assert response.status_code == 413
    text = response.content.decode()
    assert "The file is too large" in text
    assert "Nothing was imported" in text
    assert state() == before


def test_an_upload_that_passes_the_limit_while_streaming_is_stopped(
    world: World, page: Page
) -> None:
    url = page.url(world)
    before = state()
    body = _multipart(b"a,b\n" * (LIMIT // 4 + 250))
    assert len(body) <= LIMIT + FORM_ALLOWANCE  # the declared length alone passes
    response = _post_raw(client_for(world.admin), url, io.BytesIO(body), len(body))
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert state() == before


def test_the_handler_passes_data_on_until_the_limit_then_stops_reading(rf: Any) -> None:
    handler = LimitedUploadHandler(rf.post("/"), 10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    assert handler.receive_data_chunk(b"67890", 5) == b"67890"
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x", 10)
    assert stopped.value.connection_reset  # Django does not read the rest of the body
    assert handler.exceeded


def test_nothing_past_the_declared_length_is_read(world: World, page: Page) -> None:
    url = page.url(world)
    before = state()
    body = _multipart(b"not,a,valid,file\n")
    stream = Counting(body + b"x" * (LIMIT * 100))
    response = _post_raw(client_for(world.admin), url, stream, len(body))
    assert response.status_code in {200, 400}  # the page's own answer to a bad file
    assert stream.taken <= len(body)
    assert state() == before


def test_csrf_is_still_checked(world: World, page: Page) -> None:
    url = page.url(world)
    before = state()
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.force_login(world.admin)
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b\n", "text/csv")})
    assert response.status_code == 403
    assert state() == before
