from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from soihtu.core import access, selectors, services
from soihtu.core.forms import AccessibilityFeedbackForm, AccessibilityStatementForm
from soihtu.core.http import client_address
from soihtu.core.models import AccessibilityFeedback


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def administration(request: HttpRequest) -> HttpResponse:
    """The OKR office's starting point: every administrative page in one list."""
    if not getattr(request.user, "is_org_admin", False):
        raise PermissionDenied
    return render(request, "core/administration.html")


# The accessibility statement (docs/accessibility.md).


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The statement, for anyone, with a feedback form that works signed out. A refused or
    invalid message is shown again with the reason (400, or 429 over the limit)."""
    form = AccessibilityFeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _feedback_submit(request, form)
        if status == 302:
            messages.success(request, _("Thank you. Your feedback was sent to the OKR office."))
            return redirect("accessibility")
    statement = selectors.accessibility_statement()
    context = {
        "statement": statement,
        "organization_name": selectors.statement_organization_name(statement),
        "form": form,
    }
    response = render(request, "core/accessibility.html", context, status=status)
    # Not for shared caches: the page carries the visitor's CSRF token.
    patch_cache_control(response, private=True, max_age=0)
    return response


def _feedback_submit(request: HttpRequest, form: AccessibilityFeedbackForm) -> int:
    """Send the form's feedback: 302 when sent, else the status to show the form again with."""
    if not form.is_valid():
        return 400
    try:
        services.accessibility_feedback_submit(
            **form.cleaned_data,
            language=get_language() or "fi",
            client_address=client_address(request),
            now=timezone.now(),
        )
    except services.FeedbackLimitReachedError as refusal:
        form.add_error(None, refusal.message())
        return 429
    return 302


@require_http_methods(["GET", "POST"])
def accessibility_settings(request: HttpRequest) -> HttpResponse:
    """The OKR office fills in the organization's statement."""
    actor = access.require_org_admin(request)
    statement = selectors.accessibility_statement()
    data = request.POST if request.method == "POST" else None
    form = AccessibilityStatementForm(data, instance=statement)
    if request.method == "POST" and form.is_valid():
        services.accessibility_statement_update(actor=actor, values=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("accessibility_settings")
    context = {
        "form": form,
        "saved": statement.pk is not None,
        "feedback_count": AccessibilityFeedback.objects.count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "core/accessibility_settings.html", context, status=status)


# Error pages: pages of the site, in the person's language, with the way back.


def _back_url(request: HttpRequest) -> str | None:
    """The page the person came from, when it is a page of this site."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return None


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the words do not tell a missing page from a restricted one, as 404 is also the
    answer to outsiders of restricted objectives."""
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a request Soihtu cannot take as it is (a malformed address or form)."""
    return render(request, "400.html", {"back_url": _back_url(request)}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"back_url": _back_url(request)}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: what to do, not the technical reason."""
    return render(request, "403_csrf.html", {"back_url": _back_url(request)}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without the database, which may be what failed: the template is rendered without
    the request, so that no context processor runs (no signed-in person, no organization name
    from the database). The language switcher still works with the request's CSRF token."""
    context = {
        "request": request,
        "csrf_token": get_token(request),
        "back_url": _back_url(request),
    }
    return HttpResponseServerError(loader.render_to_string("500.html", context))
