"""Upload limits that hold before the request body is read.

A view that takes a file is decorated with `@upload_limit("SOIHTU_…_MAX_BYTES")`, naming the
setting that holds its limit in bytes. Then:

- a request whose Content-Length is over the limit (plus FORM_ALLOWANCE for the form's other
  fields and the multipart headers) is answered 413 before a byte of its body is read;
- while the body is parsed, an upload handler counts the file bytes and stops at once, without
  reading the rest, when they pass the limit (413 as well);
- Django never reads past the declared Content-Length, so a body longer than it claims is cut.

The handler must be in place before anything reads request.POST, and CSRF middleware reads it
for every POST: as Django's "Modifying upload handlers on the fly" says, the view is
`csrf_exempt` and its token is checked by `csrf_protect` once the handler is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

View = Callable[..., HttpResponse]
FORM_ALLOWANCE = 64 * 1024  # bytes: the form's other fields and the multipart headers


class LimitedUploadHandler(FileUploadHandler):
    """Passes file data on to Django's own handlers until the request's files together pass
    `limit` bytes; then stops the upload without reading the rest of the body."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def declared_length(request: HttpRequest) -> int:
    """The body's length as the request declares it (0 when it does not say)."""
    raw = str(request.META.get("CONTENT_LENGTH") or "0")
    return int(raw) if raw.isdigit() else 0


def too_large(request: HttpRequest, limit: int, form_url: str) -> HttpResponse:
    """The 413 page: the file was too large, nothing was imported; a link back to the form
    (`form_url`, or the request's own address)."""
    context = {"limit": limit, "form_url": form_url or request.path}
    return render(request, "core/upload_too_large.html", context, status=413)


def _stopped(request: HttpRequest, handler: LimitedUploadHandler) -> bool:
    """Parse the body now, with the handler in place; True when the handler stopped it."""
    _ = request.POST
    return handler.exceeded


def upload_limit(setting: str, *, form_page: str = "") -> Callable[[View], View]:
    """Refuse uploads over the limit in `setting` (bytes) before reading them (see above).
    `form_page` is the URL name of the page with the form, when it is not the view's own."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = int(getattr(settings, setting))
            back = reverse(form_page) if form_page else ""
            if declared_length(request) > limit + FORM_ALLOWANCE:
                return too_large(request, limit, back)
            handler = LimitedUploadHandler(request, limit)
            request.upload_handlers.insert(0, handler)
            if request.method == "POST" and _stopped(request, handler):
                return too_large(request, limit, back)
            return protected(request, *args, **kwargs)

        return csrf_exempt(guarded)

    return decorate
