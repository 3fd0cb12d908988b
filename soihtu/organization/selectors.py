"""Reads of units for choosing one: by id, or by a part of its name or code.

Unit names are visible to everyone signed in (the organization page lists them all), so these
reads do not depend on who asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When, Window
from django.db.models.functions import Lower

from soihtu.organization.models import Unit

SUGGESTIONS = 20  # units listed for a typed text; the rest are only counted
TEXT_MAX = 100
# How well a unit matches the text: its name or code is the text, starts with it, contains it.
EXACT, PREFIX, PART = 0, 1, 2


@dataclass
class UnitMatches:
    """The units matching a text, best first: at most SUGGESTIONS of them, and how many in all."""

    text: str
    units: list[Unit] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        """How many matching units are not listed."""
        return self.total - len(self.units)

    def the_one(self) -> Unit | None:
        """The unit the text names: the only match, or the only unit whose name or code is the
        text itself (so that "Talous" picks Talous even when Taloushallinto exists too)."""
        if self.total == 1:
            return self.units[0]
        exact = [u for u in self.units if u.match_rank == EXACT]  # type: ignore[attr-defined]
        return exact[0] if len(exact) == 1 else None


def unit_by_id(raw: str | None) -> Unit | None:
    """The unit with the id `raw` (as a URL carries it), else None: one query for a number."""
    if not raw or not raw.isdigit() or len(raw) > 12:
        return None
    return Unit.objects.filter(pk=int(raw)).first()


def unit_matches(text: str, *, limit: int = SUGGESTIONS) -> UnitMatches:
    """Units (not the organization itself) whose name or code contains `text`, ignoring case,
    with their parent: exact matches first, then those starting with the text, then by name.
    One query, whatever the number of units (the total is a window count of the same query)."""
    text = text.strip()[:TEXT_MAX]
    if not text:
        return UnitMatches(text="")
    rank = Case(
        When(Q(name__iexact=text) | Q(code__iexact=text), then=Value(EXACT)),
        When(Q(name__istartswith=text) | Q(code__istartswith=text), then=Value(PREFIX)),
        default=Value(PART),
        output_field=IntegerField(),
    )
    rows = list(
        Unit.objects.exclude(kind=Unit.Kind.ORGANIZATION)
        .filter(Q(name__icontains=text) | Q(code__icontains=text))
        .select_related("parent")
        .annotate(match_rank=rank, match_total=Window(Count("id")))
        .order_by("match_rank", Lower("name"), "path")[:limit]
    )
    total = rows[0].match_total if rows else 0  # type: ignore[attr-defined]
    return UnitMatches(text=text, units=rows, total=total)
