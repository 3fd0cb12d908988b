"""The practice dashboard for the OKR office and unit leaders, and its CSV export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from soihtu.audit.models import AccessRecord
from soihtu.audit.services import access_record
from soihtu.dashboard.access import dashboard_scope
from soihtu.dashboard.csv_export import dashboard_csv
from soihtu.dashboard.selectors import DashboardPage, dashboard_page
from soihtu.dashboard.services import practice_figures_for
from soihtu.organization.roles import actor_for


def _page(request: HttpRequest) -> DashboardPage:
    """The dashboard for this person, from the scope's precomputed figures (computed now on
    the scope's first view); the survey results it shows go to the access log."""
    scope = dashboard_scope(actor_for(request), request.GET.get("division"))
    page = dashboard_page(
        division=scope.division,
        divisions=scope.divisions,
        whole_organization_allowed=scope.whole_organization_allowed,
        figures=practice_figures_for(scope=scope.path_prefix),
    )
    rounds = {row.round_id: row.round_title for row in page.surveys if row.round_id}
    access_record(request=request, kind=AccessRecord.Kind.SURVEY_RESULTS, objects=rounds.items())
    return page


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
