"""The team's retrospective page: one form for the whole page, so that nothing typed is lost.

Every block (each objective's review and key result's scores, the team notes, the
participants) is saved by one POST in one transaction; the completion is a button of the same
form, so the text typed before completing is saved first. A save with errors, or one that meets
a block someone else saved meanwhile, writes nothing and shows the page again with everything
typed.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soihtu.audit.models import AccessRecord
from soihtu.okrs.access_log import objectives_read
from soihtu.organization.roles import Actor, actor_for
from soihtu.retrospectives import access, selectors, services
from soihtu.retrospectives.access import RetroContext
from soihtu.retrospectives.forms import CompleteForm, PageForms, with_saved_fingerprints
from soihtu.retrospectives.selectors import RetroPage
from soihtu.retrospectives.services import RetrospectiveConflictError, RetrospectiveError

ANCHOR = re.compile(r"[a-z]+(-[a-z0-9]+)*")


def _page_url(context: RetroContext, anchor: str = "") -> str:
    url = reverse(
        "retrospectives:team",
        kwargs={"unit_id": context.team.pk, "cycle_id": context.cycle.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def _render(
    request: HttpRequest, page: RetroPage, page_forms: PageForms, status: int = 200
) -> HttpResponse:
    objectives_read(request, page.objectives, kind=AccessRecord.Kind.RETROSPECTIVE)
    context = {
        "page": page,
        "ctx": page.context,
        "forms": page_forms,
        "next_cycle": services.next_cycle(page.context.cycle),
    }
    return render(request, "retrospectives/retrospective.html", context, status=status)


def _render_saved(
    request: HttpRequest, actor: Actor, context: RetroContext, status: int = 200
) -> HttpResponse:
    """The page with every block as saved now."""
    page = selectors.retro_page(actor, context)
    return _render(request, page, PageForms.build(page), status=status)


@require_GET
def team_retrospective(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    return _render_saved(request, actor, access.get_retro_for_user(actor, unit_id, cycle_id))


@require_GET
def print_view(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    """The team's retrospective on one printable page: every block's text, as saved."""
    actor = actor_for(request)
    context = access.get_retro_for_user(actor, unit_id, cycle_id)
    page = selectors.retro_page(actor, context)
    objectives_read(request, page.objectives, kind=AccessRecord.Kind.RETROSPECTIVE)
    return render(
        request,
        "retrospectives/print.html",
        {"page": page, "ctx": context, "page_url": _page_url(context)},
    )


@require_POST
def start(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    actor = actor_for(request)
    context = access.get_retro_for_leading(actor, unit_id, cycle_id)
    try:
        services.retrospective_start(actor=actor.user, team=context.team, cycle=context.cycle)
    except RetrospectiveError as error:
        messages.error(request, str(error.message))
        return _render_saved(request, actor, context, status=400)
    messages.success(request, _("The retrospective has started."))
    return redirect(_page_url(context))


@require_POST
def save(request: HttpRequest, unit_id: int, cycle_id: int) -> HttpResponse:
    """Save every block of the page (and complete the retrospective, if that was the button)."""
    actor = actor_for(request)
    context = access.get_retro_for_taking_part(actor, unit_id, cycle_id)
    completing = "complete" in request.POST
    if completing and not context.can_lead:
        raise PermissionDenied
    page = selectors.retro_page(actor, context)
    page_forms = PageForms.build(page, request.POST)
    if not page_forms.is_valid(completing=completing):
        messages.error(
            request, _("Nothing was saved: correct the marked fields. Your text is kept.")
        )
        return _render(request, page, page_forms, status=400)
    try:
        written = services.retrospective_save(
            actor=actor.user, team=context.team, cycle=context.cycle, **page_forms.edits(page)
        )
    except RetrospectiveConflictError as conflict:
        page_forms = PageForms.build(
            page, with_saved_fingerprints(request.POST, conflict.conflicts)
        )
        page_forms.is_valid(completing=completing)
        page_forms.mark_conflicts(page, conflict.conflicts)
        messages.error(request, str(conflict.message))
        return _render(request, page, page_forms, status=409)
    except RetrospectiveError as error:
        messages.error(request, str(error.message))
        return _render(request, page, page_forms, status=400)
    if completing:
        assert page_forms.complete is not None
        return _complete(request, actor, context, page_forms.complete, saved=written > 0)
    if written:
        messages.success(request, _("Changes saved."))
    else:
        messages.info(request, _("Nothing had changed, so there was nothing to save."))
    anchor = request.POST.get("anchor", "")
    return redirect(_page_url(context, anchor if ANCHOR.fullmatch(anchor) else ""))


def _complete(
    request: HttpRequest, actor: Actor, context: RetroContext, form: CompleteForm, *, saved: bool
) -> HttpResponse:
    try:
        result = services.retrospective_complete(
            actor=actor.user,
            team=context.team,
            cycle=context.cycle,
            carry_over=form.carry_over_ids(),
            complete_unreviewed=form.cleaned_data["complete_anyway"],
        )
    except RetrospectiveError as error:
        if saved:
            messages.success(
                request, _("Your changes were saved, but the retrospective is not complete yet.")
            )
        # Shown as saved now, with the leader's choices for the completion and why it stopped.
        context = access.get_retro_for_leading(actor, context.team.pk, context.cycle.pk)
        page = selectors.retro_page(actor, context)
        page_forms = PageForms.build(page)
        page_forms.complete = form
        form.add_error(None, str(error.message))
        return _render(request, page, page_forms, status=400)
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
