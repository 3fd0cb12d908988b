"""The site's URLs and error handlers, with pages that fail, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from soihtu.urls import handler400, handler403, handler404, handler500
from soihtu.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required
def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


@login_not_required
def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@login_not_required
def rejects(request: HttpRequest) -> HttpResponse:
    raise BadRequest("malformed")


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-errors/500/", fails),
    path("test-errors/403/", refuses),
    path("test-errors/400/", rejects),
    *site_urlpatterns,
]
