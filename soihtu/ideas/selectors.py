"""Page-shaped reads of ideas: a team's ideas by state, one idea with its history, the ideas of
every team to browse and search, and the organization's counts per cycle and division.
Templates never query."""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce

from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from soihtu.cycles.models import Cycle
from soihtu.ideas.access import allowed_moves, can_record, can_see_team_ideas, ideas_visible_to
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.okrs.access import objectives_visible_to
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import PATH_STEP, Unit
from soihtu.organization.roles import Actor


def _with_links(ideas: QuerySet[Idea], actor: Actor) -> QuerySet[Idea]:
    visible = objectives_visible_to(actor)
    return ideas.select_related("created_by", "cycle__year", "checkin").prefetch_related(
        Prefetch("objectives", queryset=visible.order_by("id"), to_attr="visible_objectives"),
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.filter(objective__in=visible).order_by("id"),
            to_attr="visible_key_results",
        ),
    )


@dataclass
class StateGroup:
    state: str
    label: str
    ideas: list[Idea] = field(default_factory=list)


@dataclass
class TeamIdeasPage:
    team: Unit
    groups: list[StateGroup]
    can_record: bool


def team_ideas_page(actor: Actor, team: Unit) -> TeamIdeasPage:
    """The team's ideas grouped by state (new, tried, adopted, dropped), each marked with the
    steps this person may take (`moves`): three queries."""
    groups = {s.value: StateGroup(state=s.value, label=str(s.label)) for s in Idea.State}
    for idea in _with_links(Idea.objects.filter(team=team), actor):
        idea.moves = allowed_moves(actor, idea)  # type: ignore[attr-defined]
        groups[idea.state].ideas.append(idea)
    return TeamIdeasPage(
        team=team, groups=list(groups.values()), can_record=can_record(actor, team.pk)
    )


def idea_page(actor: Actor, idea: Idea) -> Idea:
    """One idea with its links, its history (`steps` with who) and the steps this person may
    take (`moves`)."""
    full = (
        _with_links(Idea.objects.filter(pk=idea.pk), actor)
        .select_related("team")
        .prefetch_related(Prefetch("steps", queryset=IdeaStep.objects.select_related("by")))
        .get()
    )
    full.moves = allowed_moves(actor, full)  # type: ignore[attr-defined]
    full.team_board = can_see_team_ideas(actor, full.team_id)  # type: ignore[attr-defined]
    return full


@dataclass
class DivisionCounts:
    division: Unit
    recorded: int
    tried: int
    adopted: int


@dataclass
class OverviewPage:
    cycles: list[Cycle]
    cycle: Cycle | None
    divisions: list[DivisionCounts]


RECORDED = Q(from_state="", to_state=Idea.State.NEW)
TRIED = Q(to_state=Idea.State.TRIED)
ADOPTED = Q(to_state=Idea.State.ADOPTED)
STEPS = {"recorded": RECORDED, "tried": TRIED, "adopted": ADOPTED}


def _during(cycle: Cycle) -> Q:
    """Steps taken on the cycle's days in the organization's time zone (as `at__date` between
    its first and last day), written as a range of `at` so that its index serves it."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(cycle.starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        cycle.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return Q(at__gte=start, at__lt=end)


def _count_per_cycle(cycles: list[Cycle]) -> None:
    """Set `recorded`, `tried` and `adopted` on each cycle: the number of ideas that took such a
    step during the cycle. One query reading the steps once, grouped by the kind of step, with
    one filtered count per cycle (right also when cycles overlap)."""
    for cycle in cycles:
        cycle.recorded = cycle.tried = cycle.adopted = 0  # type: ignore[attr-defined]
    if not cycles:
        return
    kind = Case(
        *(When(step, then=Value(name)) for name, step in STEPS.items()),
        output_field=CharField(),
    )
    rows = (
        IdeaStep.objects.filter(reduce(operator.or_, (_during(c) for c in cycles)))
        .filter(RECORDED | TRIED | ADOPTED)
        .annotate(kind=kind)
        .values("kind")
        .annotate(
            **{f"cycle_{c.pk}": Count("idea_id", filter=_during(c), distinct=True) for c in cycles}
        )
        .order_by()
    )
    for row in rows:
        counts: Mapping[str, object] = row  # one column per cycle, named by its id
        for cycle in cycles:
            setattr(cycle, str(counts["kind"]), counts[f"cycle_{cycle.pk}"])


def overview_page(cycle_id: int | None) -> OverviewPage:
    """Counts of ideas per cycle — recorded (first step), tried and adopted, by the date of the
    step, so an idea counts in the cycle during which it was tried or adopted — and per division
    for one cycle (the asked one, else the current one): four queries."""
    cycles = list(
        Cycle.objects.select_related("year")
        .filter(starts_on__lte=timezone.localdate())
        .order_by("-starts_on")
    )
    _count_per_cycle(cycles)
    cycle = next((c for c in cycles if c.pk == cycle_id), None) or (cycles[0] if cycles else None)
    return OverviewPage(cycles=cycles, cycle=cycle, divisions=_division_counts(cycle))


def _division_counts(cycle: Cycle | None) -> list[DivisionCounts]:
    """Per division (the unit right under the organization), the ideas recorded, tried and
    adopted during the cycle: one query for the counts, one for the divisions."""
    divisions = list(Unit.objects.filter(depth=1).order_by("path"))
    if cycle is None:
        return []
    division_path = Substr("idea__team__path", 1, 2 * PATH_STEP)
    rows = (
        IdeaStep.objects.filter(_during(cycle))
        .annotate(division_path=division_path)
        .values("division_path")
        .annotate(
            recorded=Count("idea_id", filter=RECORDED, distinct=True),
            tried=Count("idea_id", filter=TRIED, distinct=True),
            adopted=Count("idea_id", filter=ADOPTED, distinct=True),
        )
        .order_by()
    )
    by_path = {r["division_path"]: r for r in rows}
    empty = dict.fromkeys(STEPS, 0)
    return [
        DivisionCounts(
            division=d,
            recorded=by_path.get(d.path, empty)["recorded"],
            tried=by_path.get(d.path, empty)["tried"],
            adopted=by_path.get(d.path, empty)["adopted"],
        )
        for d in divisions
    ]


PER_PAGE = 20
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class BrowseFilters:
    query: str = ""
    unit: Unit | None = None  # the unit and everything below it
    state: str = ""


def browse_page(actor: Actor, filters: BrowseFilters, page_number: str | int | None) -> Page[Idea]:
    """One page (20) of the ideas of every team that this person may see
    (`access.ideas_visible_to`), newest first, searched (every word, in the title or the
    description, as a part of a word: "tiimi" finds "tiimin") and filtered by unit and state.
    Four queries (count, page, linked objectives, linked key results), whatever the size."""
    ideas = ideas_visible_to(actor)
    if filters.unit is not None:
        ideas = ideas.filter(team__path__startswith=filters.unit.path)
    if filters.state:
        ideas = ideas.filter(state=filters.state)
    for word in WORD.findall(filters.query)[:10]:
        ideas = ideas.filter(Q(title__icontains=word) | Q(description__icontains=word))
    ideas = _with_links(ideas, actor).select_related("team").order_by("-created_at", "-id")
    return Paginator(ideas, PER_PAGE).get_page(page_number)
