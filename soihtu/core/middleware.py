"""Response headers that keep what a signed-in person saw off shared computers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from soihtu.core.http import has_session_cookie

# Signing out empties the browser's cache and storage of this site (cookies are ended by the
# sign-out itself; clearing them all would also forget the language chosen).
CLEAR_SITE_DATA = '"cache", "storage"'


class PrivatePagesMiddleware:
    """Pages answered to a signed-in person are never stored by the browser or a proxy
    (Cache-Control: private, no-store), unless the view chose its own caching; signing out
    sends Clear-Site-Data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = has_session_cookie(request) and request.user.is_authenticated
        response = self.get_response(request)
        if signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        if request.method == "POST" and request.path == reverse("accounts:logout"):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
