from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from soihtu.desk.selectors import desk_page
from soihtu.okrs.access_log import objectives_read
from soihtu.organization.models import Unit
from soihtu.organization.roles import Permission, actor_for


@require_GET
def team_desk(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The torchbearer's desk: for the team's torchbearer, supervisor and the OKR office."""
    actor = actor_for(request)
    team = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.TEAM).first()
    if team is None:
        raise Http404
    if not actor.can(Permission.LEAD_RITUALS, team.pk):
        raise PermissionDenied
    page = desk_page(team)
    shown = page.stale + page.due + page.reached.key_results
    objectives_read(request, [kr.objective for kr in shown] + page.reached.objectives)
    return render(request, "desk/desk.html", {"page": page})
