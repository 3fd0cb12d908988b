from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from soihtu.notifications import access, selectors, services
from soihtu.notifications.forms import WebhookForm
from soihtu.organization.roles import actor_for


@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The team's webhooks and recent deliveries; a POST adds a webhook."""
    actor = actor_for(request)
    unit = access.get_team_for_manage(actor, unit_id)
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_create(actor=actor.user, team=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Webhook added."))
            return redirect("notifications:team", unit_id=unit.pk)
    status = 400 if request.method == "POST" else 200
    context = {"page": selectors.team_page(unit), "form": form}
    return render(request, "notifications/team.html", context, status=status)


@require_POST
def webhook_enabled(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Turn a webhook on (enabled=1) or off (enabled=0)."""
    actor = actor_for(request)
    webhook = access.get_webhook_for_manage(actor, webhook_id)
    value = request.POST.get("enabled")
    if value not in {"0", "1"}:
        return HttpResponseBadRequest(_("Choose on or off."))
    enabled = value == "1"
    services.webhook_enabled_set(actor=actor.user, webhook=webhook, enabled=enabled)
    messages.success(request, _("Webhook turned on.") if enabled else _("Webhook turned off."))
    return redirect("notifications:team", unit_id=webhook.unit_id)


@require_POST
def webhook_test(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Queue a test message; it goes out with the next run of the background tasks."""
    actor = actor_for(request)
    webhook = access.get_webhook_for_manage(actor, webhook_id)
    try:
        services.webhook_test(actor=actor.user, webhook=webhook)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Test message queued: its state is shown below in a few minutes.")
        )
    return redirect("notifications:team", unit_id=webhook.unit_id)


@require_POST
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    actor = actor_for(request)
    webhook = access.get_webhook_for_manage(actor, webhook_id)
    unit_id = webhook.unit_id
    services.webhook_delete(actor=actor.user, webhook=webhook)
    messages.success(request, _("Webhook removed."))
    return redirect("notifications:team", unit_id=unit_id)
