from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from soihtu.comments.selectors import objective_conversation
from soihtu.core.errors import EditConflictError
from soihtu.core.http import is_htmx
from soihtu.cycles.models import Cycle, current_among
from soihtu.okrs import access, map_selectors, selectors, services
from soihtu.okrs.access_log import objectives_read
from soihtu.okrs.forms import KeyResultForm, ObjectiveForm
from soihtu.okrs.models import SOFT_LIMIT, KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.picker import UnitPick, pick_unit
from soihtu.organization.roles import Permission, actor_for
from soihtu.organization.selectors import unit_by_id
from soihtu.planning.selectors import proposers_of
from soihtu.successes.selectors import mark_reached
from soihtu.surveys.selectors import survey_panel_for


def _cycles(request: HttpRequest) -> tuple[Cycle | None, list[Cycle]]:
    """The cycle asked for with ?cycle= (else the current one), and every cycle for the picker:
    one query."""
    cycles = list(Cycle.objects.select_related("year").order_by("-starts_on"))
    raw = request.GET.get("cycle", "")
    chosen = next((c for c in cycles if raw.isdigit() and c.pk == int(raw)), None)
    return chosen or current_among(cycles), cycles


@require_GET
def my_okrs(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    cycle, cycles = _cycles(request)
    page = selectors.my_okrs_page(actor, cycle)
    for _membership, objectives in page.teams:
        access.mark_permissions(actor, objectives)
    shown = [o for _membership, objectives in page.teams for o in objectives]
    objectives_read(request, shown + [kr.objective for kr in page.due_key_results])
    context = {"page": page, "cycles": cycles, "survey_panel": survey_panel_for(actor.user)}
    return render(request, "okrs/my_okrs.html", context)


@require_GET
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = actor_for(request)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    cycle, cycles = _cycles(request)
    page = selectors.unit_page(actor, unit, cycle)
    access.mark_permissions(actor, page.year_objectives + page.cycle_objectives)
    objectives_read(request, page.year_objectives + page.cycle_objectives)
    context = {
        "page": page,
        "cycles": cycles,
        "can_edit": access.can_edit_unit_okrs(actor, unit.pk),
        "can_lead": actor.can(Permission.LEAD_RITUALS, unit.pk),
        "can_take_part": actor.can(Permission.TAKE_PART, unit.pk),
        "too_many": len(page.cycle_objectives) > SOFT_LIMIT,
        "soft_limit": SOFT_LIMIT,
    }
    return render(request, "okrs/unit.html", context)


@require_GET
def objective_detail(request: HttpRequest, objective_id: int) -> HttpResponse:
    actor = actor_for(request)
    objective = access.get_objective_for_user(actor, objective_id)
    page = selectors.objective_page(actor, objective)
    page.objective.can_edit = access.can_edit_unit_okrs(actor, page.objective.owner_unit_id)  # type: ignore[attr-defined]
    for kr in page.key_results:
        kr.can_check_in = access.can_check_in(actor, kr)  # type: ignore[attr-defined]
    sight = _sight_objectives(page.line_of_sight)
    objectives_read(request, [objective, *page.contributors, *sight])
    checkins = [c for kr in page.key_results for c in kr.checkin_list]  # type: ignore[attr-defined]
    context = {
        "page": page,
        "soft_limit": SOFT_LIMIT,
        "proposers": proposers_of(objective),
        "conversation": objective_conversation(actor, objective, page.key_results, checkins),
    }
    return render(request, "okrs/objective.html", context)


def _sight_objectives(nodes: list[selectors.SightNode]) -> list[Objective]:
    """Every objective on the line of sight, however high."""
    return [o for node in nodes for o in [node.objective, *_sight_objectives(node.parents)]]


@require_GET
def strategy(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    raw = request.GET.get("year", "")
    page = selectors.strategy_page(actor, int(raw) if raw.isdigit() else None)
    shown = [o for block in page.themes for o in block.objectives] + page.unthemed
    if page.year is not None:
        mark_reached(shown, page.year, actor)
    objectives_read(request, shown)
    return render(request, "okrs/strategy.html", {"page": page})


@require_GET
def organization(request: HttpRequest) -> HttpResponse:
    """The organization tree a level at a time: the top and the units right below it; a unit
    opens in place with htmx, or as its own focused page without JavaScript."""
    actor = actor_for(request)
    query = request.GET.get("q", "").strip()[:100]
    cycle, cycles = _cycles(request)
    raw = request.GET.get("unit", "")
    focus = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    raw_page = request.GET.get("page", "")
    number = min(int(raw_page), 1000) if raw_page.isdigit() and int(raw_page) > 0 else 1
    page = selectors.organization_page(actor, cycle, query, focus, number)
    listed = [o for row in page.rows for o in row.objectives]
    objectives_read(request, listed + (page.results or []))
    context = {"page": page, "cycles": cycles}
    if focus is not None and is_htmx(request) and not query:
        # The units below `focus`, opened in place on the page that listed it.
        return render(
            request,
            "okrs/organization.html#below",
            {**context, "top": page.tree[0], "opened": True},
        )
    return render(request, "okrs/organization.html", context)


def _save_edit(request: HttpRequest, form: forms.Form, save: Callable[[int], object]) -> int | None:
    """Validate an edit form and save it at the version the editor saw.

    None when saved; otherwise the status to render the form with: 200 for a GET, 400 for
    bad input, 409 when someone else saved in between (with a message on the form).
    """
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 400
    try:
        save(form.cleaned_data["version"] or 0)
    except EditConflictError as conflict:
        form.add_error(None, str(conflict.message))
        return 409
    return None


def _warn_soft_limits(request: HttpRequest, objective: Objective) -> None:
    if objective.cycle_id is not None:
        count = Objective.objects.filter(
            owner_unit_id=objective.owner_unit_id, cycle_id=objective.cycle_id
        ).count()
        if count > SOFT_LIMIT:
            messages.warning(
                request,
                _(
                    "This team now has %(count)s objectives in the cycle. Fewer objectives "
                    "(at most %(limit)s) keep the focus."
                )
                % {"count": count, "limit": SOFT_LIMIT},
            )


@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = actor_for(request)
    unit = access.get_unit_for_okr_create(actor, unit_id)
    chosen, cycles = _cycles(request)
    initial = {
        "kind": Objective.Kind.COMMITTED,
        "status": Objective.Status.ACTIVE,
        "visibility": Objective.Visibility.OPEN,
    }
    form = ObjectiveForm(request.POST or None, actor=actor, unit=unit, initial=initial)
    # The cycle the form was opened for (?cycle=), if objectives can still be made in it.
    form.start_in(chosen, current_among(cycles))
    if request.method == "POST" and form.is_valid():
        values = form.values()
        objective = services.objective_create(actor=actor.user, owner_unit=unit, **values)
        messages.success(request, _("Objective saved."))
        _warn_soft_limits(request, objective)
        return redirect("okrs:objective", objective_id=objective.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "unit": unit, "objective": None}
    return render(request, "okrs/objective_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, objective_id: int) -> HttpResponse:
    actor = actor_for(request)
    objective = access.get_objective_for_edit(actor, objective_id)
    period = f"cycle:{objective.cycle_id}" if objective.cycle_id else f"year:{objective.year_id}"
    initial = {
        "title": objective.title,
        "description": objective.description,
        "period": period,
        "themes": list(objective.themes.all()),
        "kind": objective.kind,
        "status": objective.status,
        "visibility": objective.visibility,
        "contributes_to": list(objective.contributes_to.all()),
        "version": objective.version,
    }
    form = ObjectiveForm(
        request.POST or None,
        actor=actor,
        unit=objective.owner_unit,
        current=objective,
        initial=initial,
    )
    status = _save_edit(
        request,
        form,
        lambda version: services.objective_update(
            actor=actor.user, objective=objective, version=version, changes=form.values()
        ),
    )
    if status is None:
        messages.success(request, _("Objective saved."))
        return redirect("okrs:objective", objective_id=objective.pk)
    context = {"form": form, "unit": objective.owner_unit, "objective": objective}
    return render(request, "okrs/objective_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def objective_delete(request: HttpRequest, objective_id: int) -> HttpResponse:
    actor = actor_for(request)
    objective = access.get_objective_for_edit(actor, objective_id)
    if request.method == "POST":
        unit_id = objective.owner_unit_id
        services.objective_delete(actor=actor.user, objective=objective)
        messages.success(request, _("Objective deleted."))
        return redirect("okrs:unit", unit_id=unit_id)
    return render(request, "okrs/confirm_delete.html", {"object": objective})


@require_http_methods(["GET", "POST"])
def key_result_create(request: HttpRequest, objective_id: int) -> HttpResponse:
    actor = actor_for(request)
    objective = access.get_objective_for_edit(actor, objective_id)
    form = KeyResultForm(
        request.POST or None,
        unit=objective.owner_unit,
        initial={"kind": KeyResult.Kind.INCREASE, "weight": 1, "owner": actor.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        services.key_result_create(
            actor=actor.user,
            objective=objective,
            **form.values(),
        )
        messages.success(request, _("Key result saved."))
        if objective.key_results.count() > SOFT_LIMIT:
            messages.warning(
                request,
                _("This objective has more than %(limit)s key results. Fewer keep the focus.")
                % {"limit": SOFT_LIMIT},
            )
        return redirect("okrs:objective", objective_id=objective.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "objective": objective, "key_result": None}
    return render(request, "okrs/key_result_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def key_result_edit(request: HttpRequest, key_result_id: int) -> HttpResponse:
    actor = actor_for(request)
    key_result = access.get_key_result_for_edit(actor, key_result_id)
    initial = {
        name: getattr(key_result, name)
        for name in ("title", "kind", "start_value", "target_value", "unit_of_measure", "weight")
    }
    initial |= {"owner": key_result.owner_id, "version": key_result.version}
    if key_result.is_milestone:  # no start or target to show: it is done or not done
        initial |= {"start_value": None, "target_value": None}
    form = KeyResultForm(
        request.POST or None, unit=key_result.objective.owner_unit, initial=initial
    )
    status = _save_edit(
        request,
        form,
        lambda version: services.key_result_update(
            actor=actor.user,
            key_result=key_result,
            version=version,
            changes=form.values(),
        ),
    )
    if status is None:
        messages.success(request, _("Key result saved."))
        return redirect("okrs:objective", objective_id=key_result.objective_id)
    context = {"form": form, "objective": key_result.objective, "key_result": key_result}
    return render(request, "okrs/key_result_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def key_result_delete(request: HttpRequest, key_result_id: int) -> HttpResponse:
    actor = actor_for(request)
    key_result = access.get_key_result_for_edit(actor, key_result_id)
    if request.method == "POST":
        objective_id = key_result.objective_id
        services.key_result_delete(actor=actor.user, key_result=key_result)
        messages.success(request, _("Key result deleted."))
        return redirect("okrs:objective", objective_id=objective_id)
    return render(request, "okrs/confirm_delete.html", {"object": key_result})


def _map_cycle(request: HttpRequest) -> Cycle | None:
    """The cycle of a unit's map: ?cycle=, else the current one of ?year= (else of all): one
    query."""
    cycle, cycles = _cycles(request)
    raw_year = request.GET.get("year", "")
    if "cycle" not in request.GET and raw_year.isdigit():
        of_year = [c for c in cycles if c.year.number == int(raw_year)]
        cycle = current_among(of_year) or cycle
    return cycle


def _map_focus(request: HttpRequest) -> tuple[str, int] | None:
    """?focus=objective:<id> or ?focus=unit:<id>; None without one, 400 for anything else."""
    raw = request.GET.get("focus", "")
    if not raw:
        return None
    kind, _colon, number = raw.partition(":")
    if kind not in {"objective", "unit"} or not number.isdigit() or len(number) > 12:
        raise BadRequest
    return kind, int(number)


@require_GET
def alignment_map(request: HttpRequest) -> HttpResponse:
    """The alignment map: the strategy themes and organization objectives of a year, or the
    neighbourhood of one objective or one unit's objectives (?focus=), as an SVG and a list."""
    actor = actor_for(request)
    focus = _map_focus(request)
    pick = UnitPick(unit=None, text="", others=QueryDict())
    if focus is None:
        pick = pick_unit(request.GET)
        if pick.unit is not None:
            focus = ("unit", pick.unit.pk)
    if focus is None:
        raw = request.GET.get("year", "")
        page = map_selectors.map_overview(actor, int(raw) if raw.isdigit() else None)
    elif focus[0] == "objective":
        objective = access.get_objective_for_user(actor, focus[1])
        page = map_selectors.map_focus_objective(actor, objective)
    else:
        unit = pick.unit if pick.unit is not None else unit_by_id(str(focus[1]))
        if unit is None:
            raise Http404
        pick = UnitPick(unit=unit, text=unit.name, others=QueryDict())
        page = map_selectors.map_focus_unit(actor, unit, _map_cycle(request))
    objectives_read(request, page.objectives)
    return render(request, "okrs/map.html", {"page": page, "pick": pick})
