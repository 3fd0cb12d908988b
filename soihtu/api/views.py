"""The API tokens page: create (the secret is shown once, on the answer to the POST) and revoke
personal tokens; org admins also service tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from soihtu.api import access, selectors, services
from soihtu.api.forms import ServiceTokenForm, TokenForm
from soihtu.api.models import ApiToken
from soihtu.organization.roles import Actor, actor_for

SERVICE_IDS = "service-%s"


def _page(
    request: HttpRequest,
    actor: Actor,
    *,
    form: TokenForm | None = None,
    service_form: ServiceTokenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_admin = access.can_manage_service_tokens(actor)
    context = {
        "page": selectors.tokens_page(actor),
        "form": form or TokenForm(),
        "service_form": (service_form or ServiceTokenForm(auto_id=SERVICE_IDS))
        if is_admin
        else None,
    }
    return render(request, "api/tokens.html", context, status=status)


@require_GET
def tokens(request: HttpRequest) -> HttpResponse:
    return _page(request, actor_for(request))


def _created(request: HttpRequest, token: ApiToken, secret: str) -> HttpResponse:
    """The one answer that shows the secret: never cached, never shown again."""
    response = render(request, "api/token_created.html", {"token": token, "secret": secret})
    response.status_code = 201
    return response


@require_POST
@never_cache
def token_create_personal(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, actor, form=form, status=400)
    token, secret = services.token_create(
        actor=actor,
        kind=ApiToken.Kind.PERSONAL,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        valid_through=form.cleaned_data["valid_through"],
        request=request,
    )
    return _created(request, token, secret)


@require_POST
@never_cache
def token_create_service(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    access.require_service_token_admin(actor)
    form = ServiceTokenForm(request.POST, auto_id=SERVICE_IDS)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                actor=actor,
                kind=ApiToken.Kind.SERVICE,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                units=form.cleaned_data["units"],
                valid_through=form.cleaned_data["valid_through"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _created(request, token, secret)
    return _page(request, actor, service_form=form, status=400)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_for(request)
    token = access.get_token_for_revoke(actor, token_id)
    services.token_revoke(actor=actor, token=token, request=request)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
