"""Refused requests of the pages as security events (docs/privacy.md).

The access functions refuse with PermissionDenied, which Django turns into a 403. This
middleware sees each one on its way out, records who was refused, from which address and at
which view, and lets Django answer exactly as before. A 404 is never recorded: restricted
objects answer 404 to outsiders by design. The API records its own refusals
(soihtu/api/refusals.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record


class RefusedRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Record a PermissionDenied as a `refused` event (never raises); Django then answers
        403 as it always does."""
        if not isinstance(exception, PermissionDenied):
            return
        match = request.resolver_match
        security_event_record(
            kind=SecurityEvent.Kind.REFUSED,
            request=request,
            status=403,
            detail={"view": match.view_name if match else ""},
        )
