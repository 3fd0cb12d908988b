"""The practice dashboard for the OKR office and unit leaders, and its CSV export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from soihtu.dashboard.access import dashboard_scope
from soihtu.dashboard.csv_export import dashboard_csv
from soihtu.dashboard.selectors import DashboardPage, dashboard_page
from soihtu.organization.roles import actor_for


def _page(request: HttpRequest) -> DashboardPage:
    scope = dashboard_scope(actor_for(request), request.GET.get("division"))
    return dashboard_page(
        division=scope.division,
        divisions=scope.divisions,
        whole_organization_allowed=scope.whole_organization_allowed,
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/index.html", {"page": _page(request)})


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    page = _page(request)
    name = f"okr-dashboard-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(dashboard_csv(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
