from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt

from soihtu.api import views
from soihtu.api.api import api
from soihtu.api.errors import JSON, error_response, https_required, method_not_allowed, not_found
from soihtu.api.refusals import refusals_recorded

app_name = "api"


def _api_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """An API view as Django serves it: signed-out requests reach it (the token decides), CSRF
    does not apply (no cookies are accepted), ninja's plain 405 speaks the error format, and
    where the pages redirect to HTTPS (SECURE_SSL_REDIRECT) a plain-HTTP call is refused
    before anything else, its token included, is looked at."""

    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            error = https_required()
            return error_response(error.status, error.code, error.message)
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except Http404:  # ninja's own root view, /api/v1/
            return _not_found()
        if response.status_code == 405 and response.get("Content-Type") != JSON:
            return method_not_allowed(response.get("Allow", ""))
        return response

    # Its 401, 403 and 429 answers are security events (soihtu/api/refusals.py).
    return login_not_required(csrf_exempt(refusals_recorded(serve)))


def _not_found() -> HttpResponse:
    error = not_found()
    return error_response(error.status, error.code, error.message)


@_api_view
def _unknown(request: HttpRequest) -> HttpResponse:
    return _not_found()


def _v1() -> tuple[list[URLPattern], str, str]:
    patterns, app, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, _api_view(p.callback), p.default_args, p.name)
        for p in patterns
        if isinstance(p, URLPattern)
    ]
    return wrapped, app, namespace


urlpatterns: list[URLPattern | URLResolver] = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/personal/", views.token_create_personal, name="token_create_personal"),
    path("tokens/service/", views.token_create_service, name="token_create_service"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/", _v1()),
    re_path(r"^v1/", _unknown),
]
