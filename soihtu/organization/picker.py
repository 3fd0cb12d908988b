"""The unit picker of filter forms: a search field instead of a list of a thousand units.

The form sends the typed text as `unit_name` and the unit chosen before as `unit` (a hidden
field). Without JavaScript the server resolves the text: a text naming one unit filters by it,
one naming several lists them as links ("Did you mean"), one naming none says so. With htmx the
same list of links appears as the person types (organization.views.unit_suggestions). A link,
and every page link after a unit is chosen, carries only `?unit=<id>`, so the filter survives
paging and can be shared.

Use it in a view with `pick = pick_unit(request.GET)`, filter by `pick.unit`, page with
`pick.querystring`, and render "organization/_unit_picker.html" inside the GET form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from soihtu.organization.models import Unit
from soihtu.organization.selectors import TEXT_MAX, UnitMatches, unit_by_id, unit_matches

UNIT_PARAM = "unit"
TEXT_PARAM = "unit_name"
PAGE_PARAM = "page"


@dataclass
class UnitPick:
    """What the picker shows and what the page filters by."""

    unit: Unit | None  # the unit to filter by
    text: str  # what the search field shows: the unit's name, or the text that named none
    others: QueryDict  # the page's other parameters, without the picker's and the page number
    matches: UnitMatches | None = None  # when the text did not name exactly one unit

    def link(self, unit: Unit) -> str:
        """The query string of this page filtered by `unit` (from its first page)."""
        query = self.others.copy()
        query[UNIT_PARAM] = str(unit.pk)
        return query.urlencode()

    @property
    def suggestions(self) -> list[tuple[Unit, str]]:
        """The matching units with the query string of each one's link."""
        return [(unit, self.link(unit)) for unit in self.matches.units] if self.matches else []

    @property
    def querystring(self) -> str:
        """The query string of this page's filters, for its page links."""
        return self.link(self.unit) if self.unit is not None else self.others.urlencode()


def _others(params: QueryDict) -> QueryDict:
    others = params.copy()
    for name in (UNIT_PARAM, TEXT_PARAM, PAGE_PARAM):
        others.pop(name, None)
    return others


def pick_unit(params: QueryDict) -> UnitPick:
    """The unit asked for: by id (`?unit=`) unless the person typed something else into the
    field (`unit_name`). Two queries at most: the unit by id, the units matching the text."""
    others = _others(params)
    chosen = unit_by_id(params.get(UNIT_PARAM))
    if TEXT_PARAM not in params:
        return UnitPick(unit=chosen, text=chosen.name if chosen else "", others=others)
    text = params.get(TEXT_PARAM, "").strip()[:TEXT_MAX]
    if not text:
        return UnitPick(unit=None, text="", others=others)
    if chosen is not None and chosen.name.casefold() == text.casefold():
        return UnitPick(unit=chosen, text=chosen.name, others=others)
    matches = unit_matches(text)
    found = matches.the_one()
    if found is not None:
        return UnitPick(unit=found, text=found.name, others=others)
    return UnitPick(unit=None, text=text, others=others, matches=matches)


def suggest_units(params: QueryDict) -> UnitPick:
    """The units matching the text typed so far (none for an empty field), as links that keep
    the page's other filters: one query."""
    text = params.get(TEXT_PARAM, "").strip()[:TEXT_MAX]
    matches = unit_matches(text) if text else None
    return UnitPick(unit=None, text=text, others=_others(params), matches=matches)
