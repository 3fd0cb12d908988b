from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soihtu.checkins.models import CheckIn
from soihtu.core.http import is_htmx, safe_next
from soihtu.ideas import access, selectors, services
from soihtu.ideas.forms import BrowseForm, IdeaForm, MoveForm
from soihtu.ideas.models import Idea
from soihtu.okrs.models import Objective
from soihtu.organization.models import Unit
from soihtu.organization.picker import pick_unit
from soihtu.organization.roles import actor_for


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


@require_GET
def team(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = actor_for(request)
    unit = access.get_team_for_ideas(actor, unit_id)
    page = selectors.team_ideas_page(actor, unit)
    return render(request, "ideas/team.html", {"page": page, "next": request.get_full_path()})


@require_GET
def detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = actor_for(request)
    idea = selectors.idea_page(actor, access.get_idea_for_user(actor, idea_id))
    return render(request, "ideas/detail.html", {"idea": idea, "next": request.get_full_path()})


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    """The ideas of every team that this person may see: search, filter by unit and state."""
    actor = actor_for(request)
    pick = pick_unit(request.GET)
    form = BrowseForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.BrowseFilters(
        query=data.get("q", "").strip(), unit=pick.unit, state=data.get("state", "")
    )
    page = selectors.browse_page(actor, filters, request.GET.get("page"))
    context = {"page": page, "form": form, "pick": pick, "querystring": pick.querystring}
    return render(request, "ideas/browse.html", context)


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    page = selectors.overview_page(_int(request.GET.get("cycle")))
    return render(request, "ideas/overview.html", {"page": page})


def _prefill(request: HttpRequest, team: Unit) -> dict[str, object]:
    """Initial values from ?checkin=<id> (the check-in's key result) or from
    ?source=retrospective&objective=<id>; only the team's own."""
    checkin_id = _int(request.GET.get("checkin"))
    if checkin_id is not None:
        checkin = (
            CheckIn.objects.filter(pk=checkin_id, key_result__objective__owner_unit=team)
            .select_related("key_result")
            .first()
        )
        if checkin is not None:
            kr = checkin.key_result
            return {
                "source": Idea.Source.CHECKIN,
                "checkin": checkin.pk,
                "key_results": [kr.pk],
                "objectives": [kr.objective_id],
            }
    initial: dict[str, object] = {"source": Idea.Source.PLAIN}
    if request.GET.get("source") == Idea.Source.RETROSPECTIVE:
        initial["source"] = Idea.Source.RETROSPECTIVE
    objective_id = _int(request.GET.get("objective"))
    if objective_id is not None and Objective.objects.filter(pk=objective_id, owner_unit=team):
        initial["objectives"] = [objective_id]
    return initial


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = actor_for(request)
    unit = access.get_team_for_record(actor, unit_id)
    form = IdeaForm(request.POST or None, team=unit, initial=_prefill(request, unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        idea = services.idea_create(
            actor=actor,
            team=unit,
            title=data["title"],
            description=data["description"],
            source=data["source"],
            checkin=data["checkin"],
            objectives=data["objectives"],
            key_results=data["key_results"],
        )
        messages.success(request, _("Idea saved."))
        return redirect("ideas:detail", idea_id=idea.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ideas/idea_form.html", {"form": form, "team": unit}, status=status)


@require_POST
def move(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Take one step with an idea. Without JavaScript the page is shown again; with htmx the
    team's board is swapped."""
    actor = actor_for(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        access.get_idea_for_user(actor, idea_id)
        return HttpResponse(_("Choose a valid step."), status=400)
    idea = access.get_idea_for_move(actor, idea_id, form.cleaned_data["to_state"])
    try:
        services.idea_move(
            actor=actor,
            idea=idea,
            to_state=form.cleaned_data["to_state"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        if is_htmx(request):
            return HttpResponse(" ".join(error.messages), status=409)
        messages.error(request, " ".join(error.messages))
    else:
        if not is_htmx(request):
            messages.success(request, _("Idea moved."))
    fallback = reverse("ideas:team", kwargs={"unit_id": idea.team_id})
    if is_htmx(request):
        page = selectors.team_ideas_page(actor, idea.team)
        context = {"page": page, "next": safe_next(request, fallback)}
        return render(request, "ideas/team.html#board", context)
    return redirect(safe_next(request, fallback))
