from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from soihtu.core.spreadsheet import csv_dict_writer
from soihtu.cycles.models import Year
from soihtu.organization.models import OrganizationSettings
from soihtu.organization.roles import actor_for
from soihtu.transparency import access, selectors, services
from soihtu.transparency.forms import TransparencyForm

# Open data may be cached by anyone for five minutes: it is the same for every visitor.
OPEN_DATA_MAX_AGE = 300


def _year(request: HttpRequest) -> Year:
    """The year asked for with ?year=<number>, else the current one; 404 for no such year and
    for a year that has not begun."""
    raw = request.GET.get("year", "")
    if not raw:
        year = selectors.current_year()
    elif raw.isdigit() and len(raw) < 5:
        year = selectors.begun_years().filter(number=int(raw)).first()
    else:
        year = None
    if year is None:
        raise Http404
    return year


def _open_data_page(request: HttpRequest) -> selectors.PublicPage:
    settings = access.get_published_settings()
    return selectors.public_page(settings, _year(request))


def _open_data_headers(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=OPEN_DATA_MAX_AGE)
    return response


@login_not_required
@require_safe
def public(request: HttpRequest) -> HttpResponse:
    settings, preview = access.get_settings_for_page(request)
    page = selectors.public_page(settings, _year(request))
    response = render(request, "transparency/public.html", {"page": page, "preview": preview})
    # Not for shared caches: the page carries the visitor's CSRF token (the language switcher)
    # and, signed in, their name in the header.
    patch_cache_control(response, private=True, max_age=0)
    return response


@login_not_required
@require_safe
def data_json(request: HttpRequest) -> HttpResponse:
    data = selectors.open_data(_open_data_page(request))
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _open_data_headers(response)


@login_not_required
@require_safe
def data_csv(request: HttpRequest) -> HttpResponse:
    page = _open_data_page(request)
    # A byte order mark, so that spreadsheet programs read the file as UTF-8.
    response = HttpResponse("\ufeff", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="okr-{page.year.number}.csv"'
    writer = csv_dict_writer(response, selectors.CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(selectors.open_data_rows(page))
    return _open_data_headers(response)


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    access.require_org_admin(actor)
    year = selectors.current_year()
    if year is None:
        return render(request, "transparency/settings.html", {"form": None, "year": None})
    current = selectors.organization_settings() or OrganizationSettings(name="")
    initial = {
        "enabled": current.transparency_enabled,
        "public_objectives": list(
            selectors.publishable_candidates(year)
            .filter(is_public=True)
            .values_list("pk", flat=True)
        ),
    }
    data = request.POST if request.method == "POST" else None  # all unticked: an empty POST
    form = TransparencyForm(data, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.transparency_configure(
            actor=actor.user,
            enabled=form.cleaned_data["enabled"],
            year=year,
            public_ids=[o.pk for o in form.cleaned_data["public_objectives"]],
        )
        messages.success(request, _("Saved."))
        return redirect("transparency:settings")
    context = {
        "form": form,
        "year": year,
        "enabled": current.transparency_enabled,
        "has_candidates": selectors.publishable_candidates(year).exists(),
        "restricted_public": list(selectors.restricted_marked_public(year)),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "transparency/settings.html", context, status=status)
