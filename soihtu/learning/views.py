from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from soihtu.cycles.models import Cycle
from soihtu.learning import selectors
from soihtu.learning.forms import LibraryFilterForm
from soihtu.organization.models import StrategyTheme
from soihtu.organization.picker import pick_unit
from soihtu.organization.roles import actor_for


def _pick[T: (StrategyTheme, Cycle)](rows: list[T], raw: str) -> T | None:
    return next((r for r in rows if raw.isdigit() and r.pk == int(raw)), None)


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """The learning library: search, filter by theme, unit (and below) and cycle."""
    actor = actor_for(request)
    themes = list(StrategyTheme.objects.all())
    cycles = list(Cycle.objects.select_related("year").order_by("-starts_on"))
    unit = pick_unit(request.GET)
    filters = selectors.LibraryFilters(
        query=request.GET.get("q", "").strip()[:200],
        theme=_pick(themes, request.GET.get("theme", "")),
        unit=unit.unit,
        cycle=_pick(cycles, request.GET.get("cycle", "")),
    )
    page = selectors.library_page(actor, filters, request.GET.get("page", 1))
    form = LibraryFilterForm(
        initial={
            "q": filters.query,
            "theme": filters.theme.pk if filters.theme else "",
            "cycle": filters.cycle.pk if filters.cycle else "",
        },
        themes=themes,
        cycles=cycles,
    )
    return render(
        request,
        "learning/library.html",
        {"page": page, "form": form, "pick": unit, "querystring": unit.querystring},
    )
