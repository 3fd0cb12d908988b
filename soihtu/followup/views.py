from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from soihtu.cycles.models import Cycle
from soihtu.followup import access, selectors, services
from soihtu.followup.forms import CadenceForm, RemindersForm
from soihtu.okrs.access_log import objectives_read
from soihtu.organization.roles import actor_for


@require_http_methods(["GET", "POST"])
def cadence(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The team's check-in cadence (supervisor, torchbearer and the OKR office)."""
    actor = actor_for(request)
    team = access.get_team_for_lead(actor, unit_id)
    form = CadenceForm(
        request.POST if request.method == "POST" else None,
        initial={"cadence": team.checkin_cadence},
    )
    if request.method == "POST" and form.is_valid():
        services.cadence_set(actor=actor.user, team=team, cadence=form.cleaned_data["cadence"])
        messages.success(request, _("Check-in cadence saved."))
        return redirect("followup:meeting", unit_id=team.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "followup/cadence.html", {"form": form, "team": team}, status=status)


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The team's follow-up meeting page; a POST records that the meeting was held."""
    actor = actor_for(request)
    if request.method == "POST":
        team = access.get_team_for_lead(actor, unit_id)
        services.meeting_record(actor=actor.user, team=team)
        messages.success(request, _("Follow-up meeting recorded."))
        return redirect("followup:meeting", unit_id=team.pk)
    team = access.get_team_for_user(actor, unit_id)
    page = selectors.meeting_page(actor, team, Cycle.objects.current())
    shown = [c.key_result for c in page.changes] + [d.key_result for d in page.drops]
    objectives_read(request, [kr.objective for kr in shown + page.stale + page.due])
    context = {"page": page, "can_lead": access.can_lead(actor, team)}
    return render(request, "followup/meeting.html", context)


@require_http_methods(["GET", "POST"])
def my_reminders(request: HttpRequest) -> HttpResponse:
    """Turn my own email reminders on or off."""
    actor = actor_for(request)
    form = RemindersForm(
        request.POST if request.method == "POST" else None,
        initial={"reminders_enabled": actor.user.reminders_enabled},
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["reminders_enabled"]
        services.reminders_enabled_set(actor=actor.user, enabled=enabled)
        messages.success(
            request, _("Email reminders are on.") if enabled else _("Email reminders are off.")
        )
        return redirect("followup:my_reminders")
    return render(request, "followup/my_reminders.html", {"form": form})
