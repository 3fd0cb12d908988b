from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soihtu.checkins.forms import CheckInForm
from soihtu.cycles.models import Cycle
from soihtu.followup import access, selectors, services
from soihtu.followup.forms import (
    CadenceForm,
    MeetingRecordForm,
    RemindersForm,
    fingerprint_name,
    row_changed,
    row_checkin_form,
)
from soihtu.followup.selectors import MeetingPage
from soihtu.okrs.access_log import objectives_read
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, actor_for


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


def _cycle(request: HttpRequest) -> Cycle | None:
    """The cycle asked for with ?cycle=, else the current one."""
    raw = request.GET.get("cycle", "")
    chosen = Cycle.objects.select_related("year").filter(pk=raw).first() if raw.isdigit() else None
    return chosen or Cycle.objects.current()


def _meeting_url(team: Unit, cycle: Cycle | None, request: HttpRequest, name: str) -> str:
    url = reverse(f"followup:{name}", kwargs={"unit_id": team.pk})
    return f"{url}?cycle={cycle.pk}" if cycle and "cycle" in request.GET else url


def _read_page(request: HttpRequest, actor: Actor, team: Unit) -> MeetingPage:
    """The meeting page with each row's check-in right, logged as read."""
    page = selectors.meeting_page(actor, team, _cycle(request))
    access.mark_check_in_rights(actor, page)
    objectives_read(request, [group.objective for group in page.objectives])
    return page


@dataclass
class BulkResult:
    """What a "Save changed rows" did: rows saved, and the forms of rows to show again."""

    saved: int = 0
    forms: dict[int, CheckInForm] = field(default_factory=dict)
    errors: set[int] = field(default_factory=set)
    conflicts: set[int] = field(default_factory=set)

    @property
    def status(self) -> int:
        return 409 if self.conflicts else 400 if self.errors else 200


def _meeting_response(
    request: HttpRequest,
    actor: Actor,
    page: MeetingPage,
    *,
    record_form: MeetingRecordForm | None = None,
    bulk: BulkResult | None = None,
    status: int = 200,
) -> HttpResponse:
    """The meeting page: rows with a form kept from the POST (errors, conflicts) show it,
    the other rows the person may check in on a fresh form with the values saved now."""
    bulk = bulk or BulkResult()
    for row in page.rows:
        pk = row.key_result.pk
        if row.can_check_in:
            row.form = bulk.forms.get(pk) or row_checkin_form(row)
        row.conflict = pk in bulk.conflicts
        row.error = pk in bulk.errors
    context = {
        "page": page,
        "can_lead": access.can_lead(actor, page.team),
        "record_form": record_form or MeetingRecordForm(),
        "checkins_url": _meeting_url(page.team, page.cycle, request, "checkins"),
        "print_url": _meeting_url(page.team, page.cycle, request, "print"),
        "present_url": _meeting_url(page.team, page.cycle, request, "present"),
    }
    return render(request, "followup/meeting.html", context, status=status)


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The team's follow-up meeting; a POST records that the meeting was held, with notes."""
    actor = actor_for(request)
    if request.method == "POST":
        team = access.get_team_for_lead(actor, unit_id)
        form = MeetingRecordForm(request.POST)
        if form.is_valid():
            services.meeting_record(actor=actor.user, team=team, notes=form.cleaned_data["notes"])
            messages.success(request, _("Follow-up meeting recorded."))
            return redirect("followup:meeting", unit_id=team.pk)
        page = _read_page(request, actor, team)
        return _meeting_response(request, actor, page, record_form=form, status=400)
    team = access.get_team_for_user(actor, unit_id)
    return _meeting_response(request, actor, _read_page(request, actor, team))


def _save_row(
    request: HttpRequest, actor: Actor, row: selectors.MeetingRow, result: BulkResult
) -> None:
    """Save one changed row in its own transaction, or keep its form with the reason."""
    pk = row.key_result.pk
    form = row_checkin_form(row, request.POST)
    if not row_changed(form):
        return
    result.forms[pk] = form
    fingerprint = request.POST.get(fingerprint_name(row), "")
    if fingerprint != row.fingerprint:
        result.conflicts.add(pk)
        return
    if not form.is_valid():
        result.errors.add(pk)
        return
    try:
        services.meeting_checkin_create(
            author=actor.user,
            key_result=row.key_result,
            fingerprint=fingerprint,
            **form.cleaned_data,
        )
    except services.MeetingCheckInConflictError:
        result.conflicts.add(pk)
    except ValidationError as error:
        form.add_error(None, error)
        result.errors.add(pk)
    else:
        del result.forms[pk]
        result.saved += 1


def _report(request: HttpRequest, result: BulkResult) -> None:
    if result.saved:
        messages.success(
            request,
            ngettext("%(count)s check-in saved.", "%(count)s check-ins saved.", result.saved)
            % {"count": result.saved},
        )
    elif not result.errors and not result.conflicts:
        messages.info(request, _("Nothing had changed, so there was nothing to save."))
    if result.errors:
        messages.error(
            request,
            ngettext(
                "%(count)s row was not saved: correct it below. Your values are kept.",
                "%(count)s rows were not saved: correct them below. Your values are kept.",
                len(result.errors),
            )
            % {"count": len(result.errors)},
        )
    if result.conflicts:
        messages.error(
            request,
            ngettext(
                "%(count)s row was checked in on by someone else after the page was shown, "
                "so it was not saved. Compare and save again.",
                "%(count)s rows were checked in on by someone else after the page was shown, "
                "so they were not saved. Compare and save again.",
                len(result.conflicts),
            )
            % {"count": len(result.conflicts)},
        )


@require_POST
def checkins(request: HttpRequest, unit_id: int) -> HttpResponse:
    """ "Save changed rows" of the meeting table: each changed row the person may check in on
    is validated and saved on its own; rows with errors or checked in on meanwhile are shown
    again with what was typed (400 with errors, 409 with conflicts); when everything saved, a
    redirect to the meeting."""
    actor = actor_for(request)
    team = access.get_team_for_user(actor, unit_id)
    cycle = _cycle(request)
    page = selectors.meeting_page(actor, team, cycle)
    access.mark_check_in_rights(actor, page)
    if not page.can_check_in_any:
        raise PermissionDenied
    result = BulkResult()
    for row in page.rows:
        if row.can_check_in:
            _save_row(request, actor, row, result)
    _report(request, result)
    if result.status == 200:
        # Everything saved (or nothing changed): back to the meeting, so that reloading the
        # page does not send the rows again.
        return redirect(_meeting_url(team, cycle, request, "meeting"))
    fresh = _read_page(request, actor, team)
    return _meeting_response(request, actor, fresh, bulk=result, status=result.status)


def _clamp(raw: str, count: int) -> int:
    position = int(raw) if raw.isdigit() else 1
    return min(max(position, 1), max(count, 1))


@require_GET
def present(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The meeting on a meeting-room screen: one objective at a time (?o=, from 1)."""
    actor = actor_for(request)
    team = access.get_team_for_user(actor, unit_id)
    page = selectors.meeting_page(actor, team, _cycle(request))
    position = _clamp(request.GET.get("o", ""), len(page.objectives))
    group = page.objectives[position - 1] if page.objectives else None
    if group is not None:
        objectives_read(request, [group.objective])
    base = reverse("followup:present", kwargs={"unit_id": team.pk})
    cycle_query = f"cycle={page.cycle.pk}&" if page.cycle and "cycle" in request.GET else ""
    context = {
        "page": page,
        "group": group,
        "position": position,
        "count": len(page.objectives),
        "prev_url": f"{base}?{cycle_query}o={position - 1}" if position > 1 else "",
        "next_url": (
            f"{base}?{cycle_query}o={position + 1}" if position < len(page.objectives) else ""
        ),
        "meeting_url": _meeting_url(team, page.cycle, request, "meeting"),
    }
    return render(request, "followup/present.html", context)


@require_GET
def print_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The meeting for paper or PDF: the table, the last notes and room for new ones."""
    actor = actor_for(request)
    team = access.get_team_for_user(actor, unit_id)
    page = selectors.meeting_page(actor, team, _cycle(request))
    objectives_read(request, [group.objective for group in page.objectives])
    context = {
        "page": page,
        "today": timezone.localdate(),
        "meeting_url": _meeting_url(team, page.cycle, request, "meeting"),
    }
    return render(request, "followup/print.html", context)


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
