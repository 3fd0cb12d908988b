"""Response headers that keep what a signed-in person saw off shared computers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

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
        # Only a request with a session cookie can be a signed-in person's; not touching the
        # session otherwise keeps public pages cacheable (no "Vary: Cookie").
        signed_in = (
            settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
        )
        response = self.get_response(request)
        if signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        if request.method == "POST" and request.path == reverse("accounts:logout"):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
