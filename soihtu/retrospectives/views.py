from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soihtu.audit.models import AccessRecord
from soihtu.learning.models import internal_by_default
from soihtu.okrs.access_log import objectives_read
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.roles import actor_for
from soihtu.retrospectives import access, selectors, services
from soihtu.retrospectives.access import RetroContext
from soihtu.retrospectives.forms import (
    CompleteForm,
    KeyResultScoreForm,
    ObjectiveReviewForm,
    ParticipantsForm,
    TeamNotesForm,
)
from soihtu.retrospectives.services import RetrospectiveError


def _page_url(context: RetroContext, anchor: str = "") -> str:
    url = reverse(
        "retrospectives:team",
        kwargs={"unit_id": context.team.pk, "cycle_id": context.cycle.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def _render(
    request: HttpRequest,
    context: RetroContext,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The retrospective page; `bound` replaces the named forms with ones that failed."""
    bound = bound or {}
    page = selectors.retro_page(actor_for(request), context)
    objectives_read(request, page.objectives, kind=AccessRecord.Kind.RETROSPECTIVE)
    retro = context.retrospective
    for objective in page.objectives:
        review = objective.review  # type: ignore[attr-defined]
        initial = (
            {name: getattr(review, name) for name in _REVIEW_FIELDS}
            if review
            else {"internal": internal_by_default(objective)}
        )
        objective.review_form = bound.get(f"review-{objective.pk}") or ObjectiveReviewForm(  # type: ignore[attr-defined]
            prefix=f"review-{objective.pk}", initial=initial, restricted=objective.is_restricted
        )
        for kr in objective.key_results.all():
            adjustment = kr.adjustment  # type: ignore[attr-defined]
            initial = (
                {"adjusted_score": adjustment.adjusted_score, "reason": adjustment.reason}
                if adjustment
                else {}
            )
            kr.score_form = bound.get(f"kr-{kr.pk}") or KeyResultScoreForm(  # type: ignore[attr-defined]
                prefix=f"kr-{kr.pk}", initial=initial
            )
    notes_initial = (
        {"what_worked": retro.what_worked, "what_we_change": retro.what_we_change} if retro else {}
    )
    participant_ids = [str(p.user_id) for p in page.participants]
    forms_ = {
        "notes": bound.get("notes") or TeamNotesForm(initial=notes_initial),
        "participants": bound.get("participants")
        or ParticipantsForm(members=page.members, initial={"participants": participant_ids}),
        "complete": bound.get("complete") or CompleteForm(unfinished=page.unfinished),
    }
    return render(
        request,
        "retrospectives/retrospective.html",
        {
            "page": page,
            "ctx": context,
            "forms": forms_,
            "next_cycle": services.next_cycle(context.cycle),
        },
        status=status,
    )


_REVIEW_FIELDS = [
    "outcome",
    "why",
    "learned",
    "try_next",
    "internal",
    "adjusted_score",
    "adjust_reason",
]


@require_GET
def team_retrospective(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    context = access.get_retro_for_user(actor_for(request), unit_id, cycle_id)
    return _render(request, context)


def _refused(
    request: HttpRequest, context: RetroContext, error: RetrospectiveError
) -> HttpResponse:
    messages.error(request, str(error.message))
    return _render(request, context, status=400)


@require_POST
def start(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_leading(actor, unit_id, cycle_id)
    try:
        services.retrospective_start(actor=actor.user, team=context.team, cycle=context.cycle)
    except RetrospectiveError as error:
        return _refused(request, context, error)
    messages.success(request, _("The retrospective has started."))
    return redirect(_page_url(context))


def _objective_of(context: RetroContext, objective_id: int) -> Objective:
    objective = Objective.objects.filter(
        pk=objective_id, owner_unit=context.team, cycle=context.cycle
    ).first()
    if objective is None:
        raise Http404
    return objective


@require_POST
def review_save(
    request: HttpRequest, unit_id: int, cycle_id: int, objective_id: int
) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_taking_part(actor, unit_id, cycle_id)
    objective = _objective_of(context, objective_id)
    prefix = f"review-{objective.pk}"
    form = ObjectiveReviewForm(request.POST, prefix=prefix, restricted=objective.is_restricted)
    if not form.is_valid():
        return _render(request, context, {prefix: form}, status=400)
    try:
        services.objective_review_save(
            actor=actor.user,
            team=context.team,
            cycle=context.cycle,
            objective=objective,
            **form.cleaned_data,
        )
    except RetrospectiveError as error:
        return _refused(request, context, error)
    messages.success(request, _("Review saved."))
    return redirect(_page_url(context, f"objective-{objective.pk}"))


@require_POST
def score_adjust(
    request: HttpRequest, unit_id: int, cycle_id: int, key_result_id: int
) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_taking_part(actor, unit_id, cycle_id)
    key_result = (
        KeyResult.objects.select_related("objective")
        .filter(
            pk=key_result_id, objective__owner_unit=context.team, objective__cycle=context.cycle
        )
        .first()
    )
    if key_result is None:
        raise Http404
    prefix = f"kr-{key_result.pk}"
    form = KeyResultScoreForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render(request, context, {prefix: form}, status=400)
    try:
        services.key_result_score_adjust(
            actor=actor.user,
            team=context.team,
            cycle=context.cycle,
            key_result=key_result,
            adjusted_score=form.cleaned_data["adjusted_score"],
            reason=form.cleaned_data["reason"],
        )
    except RetrospectiveError as error:
        return _refused(request, context, error)
    messages.success(request, _("Score saved."))
    return redirect(_page_url(context, f"objective-{key_result.objective_id}"))


@require_POST
def notes_save(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_taking_part(actor, unit_id, cycle_id)
    form = TeamNotesForm(request.POST)
    if not form.is_valid():
        return _render(request, context, {"notes": form}, status=400)
    try:
        services.team_notes_save(
            actor=actor.user, team=context.team, cycle=context.cycle, **form.cleaned_data
        )
    except RetrospectiveError as error:
        return _refused(request, context, error)
    messages.success(request, _("Team notes saved."))
    return redirect(_page_url(context, "team-notes"))


@require_POST
def participants_save(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_leading(actor, unit_id, cycle_id)
    members = list(context.team.memberships.select_related("user"))
    form = ParticipantsForm(request.POST, members=members)
    if not form.is_valid():
        return _render(request, context, {"participants": form}, status=400)
    try:
        services.participants_set(
            actor=actor.user,
            team=context.team,
            cycle=context.cycle,
            user_ids=[int(u) for u in form.cleaned_data["participants"]],
        )
    except RetrospectiveError as error:
        return _refused(request, context, error)
    messages.success(request, _("Participants saved."))
    return redirect(_page_url(context, "participants"))


@require_POST
def complete(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_leading(actor, unit_id, cycle_id)
    form = CompleteForm(
        request.POST, unfinished=services.unfinished_objectives(context.team, context.cycle)
    )
    if not form.is_valid():
        return _render(request, context, {"complete": form}, status=400)
    try:
        result = services.retrospective_complete(
            actor=actor.user,
            team=context.team,
            cycle=context.cycle,
            carry_over=[int(pk) for pk in form.cleaned_data["carry_over"]],
        )
    except RetrospectiveError as error:
        return _refused(request, context, error)
    messages.success(
        request,
        _("The retrospective is complete. %(count)s learnings were published.")
        % {"count": len(result.learnings)},
    )
    if result.carried and result.next_cycle is not None:
        messages.info(
            request,
            _("%(count)s objectives were carried over to %(cycle)s as drafts.")
            % {"count": len(result.carried), "cycle": result.next_cycle},
        )
    return redirect(_page_url(context))
