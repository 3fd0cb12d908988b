"""Choosing goals together: the team's planning page, its record, and the writes on them.

Each write is a POST: access → form → service → redirect. A refusal by the rules (planning
not open, a proposal already settled, bad input) re-renders the page with the message and
status 400, and changes nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soihtu.core.http import is_htmx
from soihtu.cycles.models import Cycle
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.roles import actor_for
from soihtu.planning import access, selectors, services
from soihtu.planning.forms import AcceptForm, CommentForm, DeclineForm, MergeForm, ProposalForm
from soihtu.planning.models import Proposal, ProposalSupport


def _objectives(team: Unit, cycle: Cycle) -> list[Objective]:
    return list(Objective.objects.filter(owner_unit=team, cycle=cycle).order_by("id"))


def _render_page(
    request: HttpRequest,
    team: Unit,
    cycle: Cycle,
    *,
    status: int = 200,
    form: ProposalForm | None = None,
    error: str = "",
) -> HttpResponse:
    actor = actor_for(request)
    page = selectors.planning_page(actor, team, cycle)
    context = {
        "page": page,
        "form": form or ProposalForm(objectives=page.objectives),
        "can_take_part": access.can_take_part(actor, team.pk),
        "can_lead": access.can_lead(actor, team.pk),
        "error": error,
        "kr_kinds": KeyResult.Kind.choices,
    }
    return render(request, "planning/team.html", context, status=status)


def _to_page(team_id: int, cycle_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("planning:team", kwargs={"unit_id": team_id, "cycle_id": cycle_id})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(request: HttpRequest, proposal: Proposal, message: str) -> HttpResponse:
    return _render_page(request, proposal.team, proposal.cycle, status=400, error=message)


def _first_error(form: forms.Form) -> str:
    return next((str(e) for errors in form.errors.values() for e in errors), _("Check the form."))


@require_GET
def team_planning(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    team, cycle = access.get_team_and_cycle(actor_for(request), unit_id, cycle_id)
    return _render_page(request, team, cycle)


@require_GET
def record(request: HttpRequest, unit_id: int) -> HttpResponse:
    team = access.get_team(actor_for(request), unit_id)
    page = selectors.planning_record(team)
    current = Cycle.objects.current()
    return render(request, "planning/record.html", {"page": page, "current": current})


@require_POST
def planning_open(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    team, cycle = access.get_team_and_cycle_to_lead(actor, unit_id, cycle_id)
    try:
        services.planning_open(actor=actor.user, team=team, cycle=cycle)
    except services.PlanningError as refusal:
        return _render_page(request, team, cycle, status=400, error=str(refusal.message))
    messages.success(request, _("Planning is open: the team can now propose goals."))
    return _to_page(team.pk, cycle.pk)


@require_POST
def proposal_create(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    team, cycle = access.get_team_and_cycle_to_take_part(actor, unit_id, cycle_id)
    form = ProposalForm(request.POST, objectives=_objectives(team, cycle))
    if not form.is_valid():
        return _render_page(request, team, cycle, status=400, form=form)
    try:
        proposal = services.proposal_create(
            actor=actor.user,
            team=team,
            cycle=cycle,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            target_objective=form.chosen_objective(),
            measure=form.cleaned_data["measure"],
        )
    except services.PlanningError as refusal:
        return _render_page(request, team, cycle, status=400, form=form, error=str(refusal.message))
    messages.success(request, _("Thank you! Your proposal is saved."))
    return _to_page(team.pk, cycle.pk, f"proposal-{proposal.pk}")


@require_POST
def proposal_comment(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = access.get_proposal_to_take_part(actor, proposal_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, _first_error(form))
    try:
        services.proposal_comment(
            actor=actor.user, proposal=proposal, text=form.cleaned_data["text"]
        )
    except services.PlanningError as refusal:
        return _refused(request, proposal, str(refusal.message))
    messages.success(request, _("Comment saved."))
    return _to_page(proposal.team_id, proposal.cycle_id, f"proposal-{proposal.pk}")


def _support_fragment(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = (
        Proposal.objects.annotate(
            support_count=Count("supports"),
            viewer_supports=Exists(
                ProposalSupport.objects.filter(proposal=OuterRef("pk"), user=actor.user)
            ),
        )
        .select_related("team", "cycle")
        .get(pk=proposal_id)
    )
    context = {"proposal": proposal, "can_take_part": True, "page": {"is_open": True}}
    return render(request, "planning/_support.html", context)


def _toggle_support(request: HttpRequest, proposal_id: int, *, support: bool) -> HttpResponse:
    actor = actor_for(request)
    proposal = access.get_proposal_to_take_part(actor, proposal_id)
    write = services.proposal_support if support else services.proposal_unsupport
    try:
        write(actor=actor.user, proposal=proposal)
    except services.PlanningError as refusal:
        if is_htmx(request):
            return HttpResponse(str(refusal.message), status=400)
        return _refused(request, proposal, str(refusal.message))
    if is_htmx(request):
        return _support_fragment(request, proposal.pk)
    return _to_page(proposal.team_id, proposal.cycle_id, f"proposal-{proposal.pk}")


@require_POST
def proposal_support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _toggle_support(request, proposal_id, support=True)


@require_POST
def proposal_unsupport(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _toggle_support(request, proposal_id, support=False)


@require_POST
def proposal_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = access.get_proposal_to_lead(actor, proposal_id)
    form = AcceptForm(request.POST, objectives=_objectives(proposal.team, proposal.cycle))
    if not form.is_valid():
        return _refused(request, proposal, _first_error(form))
    try:
        services.proposal_accept(actor=actor.user, proposal=proposal, **form.values())
    except services.PlanningError as refusal:
        return _refused(request, proposal, str(refusal.message))
    messages.success(request, _("Proposal accepted."))
    return _to_page(proposal.team_id, proposal.cycle_id, f"proposal-{proposal.pk}")


@require_POST
def proposal_merge(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = access.get_proposal_to_lead(actor, proposal_id)
    candidates = list(
        Proposal.objects.filter(
            team_id=proposal.team_id, cycle_id=proposal.cycle_id, status=Proposal.Status.OPEN
        ).exclude(pk=proposal.pk)
    )
    form = MergeForm(request.POST, candidates=candidates)
    if not form.is_valid():
        return _refused(request, proposal, _("Choose at least one other open proposal to merge."))
    try:
        services.proposal_merge(actor=actor.user, proposals=form.chosen(), into=proposal)
    except services.PlanningError as refusal:
        return _refused(request, proposal, str(refusal.message))
    messages.success(request, _("Proposals merged."))
    return _to_page(proposal.team_id, proposal.cycle_id, f"proposal-{proposal.pk}")


@require_POST
def proposal_decline(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = access.get_proposal_to_lead(actor, proposal_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, _("Write a reason that the team can read."))
    try:
        services.proposal_decline(
            actor=actor.user, proposal=proposal, reason=form.cleaned_data["reason"]
        )
    except services.PlanningError as refusal:
        return _refused(request, proposal, str(refusal.message))
    messages.success(request, _("Proposal declined. The team can read the reason."))
    return _to_page(proposal.team_id, proposal.cycle_id, f"proposal-{proposal.pk}")


@require_POST
def cycle_activate(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    """Activate the team's cycle. With fewer than half taking part, first a confirmation page."""
    actor = actor_for(request)
    team, cycle = access.get_team_and_cycle_to_lead(actor, unit_id, cycle_id)
    confirmed = request.POST.get("confirm_low_participation") == "yes"
    try:
        services.cycle_activate(
            actor=actor.user, team=team, cycle=cycle, confirm_low_participation=confirmed
        )
    except services.NeedsConfirmationError:
        context = {
            "team": team,
            "cycle": cycle,
            "participation": selectors.participation(team, cycle),
        }
        return render(request, "planning/confirm_activate.html", context)
    except services.PlanningError as refusal:
        return _render_page(request, team, cycle, status=400, error=str(refusal.message))
    messages.success(request, _("The cycle is active. The team's objectives are now active."))
    return _to_page(team.pk, cycle.pk)
