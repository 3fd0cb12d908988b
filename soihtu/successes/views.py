from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soihtu.core.http import is_htmx, safe_next
from soihtu.cycles.models import Cycle
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.picker import pick_unit
from soihtu.organization.roles import Actor, actor_for
from soihtu.successes import access, selectors, services
from soihtu.successes.forms import SuccessForm


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    unit = pick_unit(request.GET)
    page = selectors.feed_page(
        actor,
        theme_id=_int(request.GET.get("theme")),
        unit=unit.unit,
        objective_id=_int(request.GET.get("objective")),
        page_number=request.GET.get("page"),
    )
    context = {
        "page": page,
        "pick": unit,
        "query": unit.querystring,
        "next": request.get_full_path(),
    }
    return render(request, "successes/feed.html", context)


@require_GET
def detail(request: HttpRequest, success_id: int) -> HttpResponse:
    actor = actor_for(request)
    access.get_success_for_user(actor, success_id)
    success = selectors.success_card(actor, success_id)
    return render(
        request,
        "successes/detail.html",
        {"success": success, "next": request.get_full_path()},
    )


def _prefill(request: HttpRequest, team: Unit) -> dict[str, object]:
    """Initial values from ?key_result=<id> or ?objective=<id> (the team's own only)."""
    key_result_id = _int(request.GET.get("key_result"))
    if key_result_id is not None:
        kr = (
            KeyResult.objects.filter(pk=key_result_id, objective__owner_unit=team)
            .select_related("objective")
            .first()
        )
        if kr is not None:
            return {"title": kr.title, "key_result": kr.pk, "objectives": [kr.objective_id]}
    objective_id = _int(request.GET.get("objective"))
    if objective_id is not None:
        objective = Objective.objects.filter(pk=objective_id, owner_unit=team).first()
        if objective is not None:
            return {"title": objective.title, "objectives": [objective.pk]}
    return {}


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = actor_for(request)
    team = access.get_team_for_share(actor, unit_id)
    form = SuccessForm(request.POST or None, team=team, initial=_prefill(request, team))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            success = services.success_share(
                actor=actor,
                team=team,
                title=data["title"],
                story=data["story"],
                objectives=data["objectives"],
                key_result=data["key_result"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Success shared. Thank you for telling it!"))
            return redirect("successes:detail", success_id=success.pk)
    status = 400 if request.method == "POST" else 200
    reached = selectors.reached_not_shared([team.pk], Cycle.objects.current())
    context = {"form": form, "team": team, "reached": reached}
    return render(request, "successes/success_form.html", context, status=status)


def _thanks_response(request: HttpRequest, actor: Actor, success_id: int) -> HttpResponse:
    if is_htmx(request):
        success = selectors.success_card(actor, success_id)
        return render(
            request,
            "successes/_thanks.html",
            {"success": success, "next": safe_next(request, reverse("successes:feed"))},
        )
    fallback = reverse("successes:detail", kwargs={"success_id": success_id})
    return redirect(safe_next(request, fallback))


@require_POST
def thank(request: HttpRequest, success_id: int) -> HttpResponse:
    """Thank the team (or, with `undo`, take the thanks back): htmx swaps the button, without
    JavaScript the page is shown again."""
    actor = actor_for(request)
    success = access.get_success_for_user(actor, success_id)
    if request.POST.get("undo"):
        services.success_unthank(actor=actor, success=success)
    else:
        services.success_thank(actor=actor, success=success)
    return _thanks_response(request, actor, success_id)
