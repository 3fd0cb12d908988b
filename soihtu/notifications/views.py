from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from soihtu.core.http import is_htmx
from soihtu.notifications import access, selectors, services
from soihtu.notifications import inbox as inbox_services
from soihtu.notifications.forms import PreferencesForm, WebhookForm
from soihtu.notifications.inbox import is_local_path
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


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    """Back to the page of notifications the person was on (without JavaScript)."""
    page = request.POST.get("page", "")
    url = reverse("notifications:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def inbox(request: HttpRequest) -> HttpResponse:
    """My notifications, newest first, fifty to a page."""
    actor = actor_for(request)
    page = selectors.inbox_page(actor.user, request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark my notification read and go to what it is about (a path on this site only)."""
    actor = actor_for(request)
    notification = access.get_own_notification(actor.user, notification_id)
    if not is_local_path(notification.url):
        return render(request, "notifications/bad_link.html", status=400)
    inbox_services.notification_read(user=actor.user, notification=notification)
    return redirect(notification.url)


@require_POST
def notification_mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark my notification read; htmx gets the row and the bell back."""
    actor = actor_for(request)
    notification = access.get_own_notification(actor.user, notification_id)
    inbox_services.notification_read(user=actor.user, notification=notification)
    if is_htmx(request):
        context = {"n": notification, "page_number": request.POST.get("page", "")}
        return render(request, "notifications/_read.html", context)
    messages.success(request, _("Notification marked read."))
    return _back_to_inbox(request)


@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark all my notifications read; htmx gets the list and the bell back."""
    actor = actor_for(request)
    inbox_services.notifications_read_all(user=actor.user)
    if is_htmx(request):
        page = selectors.inbox_page(actor.user, request.POST.get("page"))
        return render(request, "notifications/_read_all.html", {"page": page})
    messages.success(request, _("All notifications marked read."))
    return _back_to_inbox(request)


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Where each kind of notification reaches me: in Soihtu, by email, in a digest, or not."""
    actor = actor_for(request)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial=inbox_services.preferences_of(actor.user),
    )
    if request.method == "POST" and form.is_valid():
        inbox_services.preferences_save(actor=actor.user, channels=form.cleaned_data)
        messages.success(request, _("Notification settings saved."))
        return redirect("notifications:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
