from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from soihtu.checkins.forms import CheckInForm
from soihtu.checkins.services import checkin_create
from soihtu.core.http import is_htmx, safe_next
from soihtu.okrs import access
from soihtu.okrs.access_log import key_results_read
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.selectors import my_due_key_results
from soihtu.organization.roles import Actor, actor_for


def _refreshed(key_result: KeyResult) -> KeyResult:
    fresh = KeyResult.objects.select_related(
        "owner", "objective", "objective__cycle", "objective__year", "objective__owner_unit"
    ).get(pk=key_result.pk)
    fresh.can_check_in = True  # type: ignore[attr-defined]
    return fresh


def _saved_row(request: HttpRequest, actor: Actor, key_result: KeyResult) -> HttpResponse:
    """The row after an inline check-in, focused, with the objective's progress swapped in
    beside it, and My OKRs' "waiting for my check-in" box when the page has one (its form
    sends `waiting_box`)."""
    fresh = _refreshed(key_result)
    objective = Objective.objects.with_progress().get(pk=fresh.objective_id)
    context: dict[str, object] = {"kr": fresh, "saved": True, "oob_objective": objective}
    if request.POST.get("waiting_box") == "1":
        context["waiting_box"] = my_due_key_results(actor, fresh.objective.cycle)
    return render(request, "okrs/_key_result_row.html", context)


@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest, key_result_id: int) -> HttpResponse:
    """The check-in form: a page of its own without JavaScript, a swap of one row with htmx."""
    actor = actor_for(request)
    key_result = access.get_key_result_for_checkin(actor, key_result_id)
    if request.method == "GET":  # the form shows the key result's latest values
        key_results_read(request, [key_result])
    fallback = reverse("okrs:objective", kwargs={"objective_id": key_result.objective_id})
    form = CheckInForm(request.POST or None, key_result=key_result, auto_id=f"kr{key_result.pk}-%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                checkin_create(author=actor.user, key_result=key_result, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if is_htmx(request):
                    return _saved_row(request, actor, key_result)
                messages.success(request, _("Check-in saved."))
                return redirect(safe_next(request, fallback))
    if is_htmx(request):
        # The inline form replaces its whole row: answer with the row, its form open, the
        # errors shown (status 200, so that htmx swaps it in).
        key_result.can_check_in = True  # type: ignore[attr-defined]
        return render(request, "okrs/_key_result_row.html", {"kr": key_result, "form": form})
    context = {"form": form, "kr": key_result, "next": safe_next(request, fallback)}
    return render(request, "checkins/checkin_form.html", context, status=status)
