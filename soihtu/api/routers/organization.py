"""Reference data: strategy themes, units, people (id and name only), years and cycles.
Everyone with a token reads them all, as every signed-in person does on the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from soihtu.accounts.models import User
from soihtu.api import schemas as s
from soihtu.api import selectors
from soihtu.api import serializers as out
from soihtu.api.routers.common import DETAIL_ERRORS, LIST_ERRORS, answers
from soihtu.cycles.models import Cycle, Year
from soihtu.organization.models import StrategyTheme, Unit

router = Router(tags=["organization"])


def _found[T](row: T | None) -> T:
    if row is None:
        raise Http404
    return row


@router.get("/themes", response=answers(200, s.ThemePage, LIST_ERRORS), summary="Strategy themes")
def theme_list(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    page = selectors.themes(query)
    return out.page_out(page, query, [out.theme_out(theme) for theme in page.items])


@router.get("/themes/{theme_id}", response=answers(200, s.ThemeOut, DETAIL_ERRORS))
def theme_detail(request: HttpRequest, theme_id: int) -> s.ThemeOut:
    """One strategy theme."""
    return out.theme_out(_found(StrategyTheme.objects.filter(pk=theme_id).first()))


@router.get("/units", response=answers(200, s.UnitPage, LIST_ERRORS), summary="Units")
def unit_list(request: HttpRequest, query: Query[s.UnitQuery]) -> dict[str, Any]:
    """The organization tree, root first (ordered by their place in the tree)."""
    page = selectors.units(query)
    return out.page_out(page, query, [out.unit_out(unit) for unit in page.items])


@router.get("/units/{unit_id}", response=answers(200, s.UnitOut, DETAIL_ERRORS))
def unit_detail(request: HttpRequest, unit_id: int) -> s.UnitOut:
    """One unit."""
    return out.unit_out(_found(Unit.objects.filter(pk=unit_id).first()))


@router.get("/people", response=answers(200, s.PersonPage, LIST_ERRORS), summary="People")
def person_list(request: HttpRequest, query: Query[s.PersonQuery]) -> dict[str, Any]:
    """People who may sign in, by name: only their id and display name."""
    page = selectors.people(query)
    return out.page_out(page, query, [out.person_out(person) for person in page.items])


@router.get("/people/{person_id}", response=answers(200, s.PersonOut, DETAIL_ERRORS))
def person_detail(request: HttpRequest, person_id: int) -> s.PersonOut:
    """One person, also one who has left (a key result's owner, a check-in's author): an
    anonymized person is named "former employee"."""
    return out.person_out(_found(User.objects.filter(pk=person_id).first()))


@router.get("/years", response=answers(200, s.YearPage, LIST_ERRORS), summary="Years")
def year_list(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    page = selectors.years(query)
    return out.page_out(page, query, [out.year_out(year) for year in page.items])


@router.get("/years/{year_id}", response=answers(200, s.YearOut, DETAIL_ERRORS))
def year_detail(request: HttpRequest, year_id: int) -> s.YearOut:
    """One year."""
    return out.year_out(_found(Year.objects.filter(pk=year_id).first()))


@router.get("/cycles", response=answers(200, s.CyclePage, LIST_ERRORS), summary="Cycles")
def cycle_list(request: HttpRequest, query: Query[s.CycleQuery]) -> dict[str, Any]:
    """Cycles (four months by default), oldest first."""
    page = selectors.cycles(query)
    return out.page_out(page, query, [out.cycle_out(cycle) for cycle in page.items])


@router.get("/cycles/{cycle_id}", response=answers(200, s.CycleOut, DETAIL_ERRORS))
def cycle_detail(request: HttpRequest, cycle_id: int) -> s.CycleOut:
    """One cycle."""
    cycle = Cycle.objects.select_related("year").filter(pk=cycle_id).first()
    return out.cycle_out(_found(cycle))
