"""Page-shaped reads of successes: the feed, a success, the reached goals not yet shared, and
the strategy page's highlights. Everything a template needs is prefetched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.access import objectives_visible_to, shown_key_result
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.organization.roles import Actor
from soihtu.successes.models import Success, Thanks

PAGE_SIZE = 20
# Progress is a float from SQL: a reached goal is at 100 % give or take rounding.
REACHED = 0.9999


def with_thanks(successes: QuerySet[Success], actor: Actor) -> QuerySet[Success]:
    """Annotate `thanks_count` and `thanked` (by this person), and prefetch what a card shows:
    the team, the cycle and the linked objectives this person may see."""
    count = (
        Thanks.objects.filter(success=OuterRef("pk"))
        .order_by()
        .values("success")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        successes.select_related("team", "cycle__year", "key_result")
        .annotate(
            thanks_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
            thanked=Exists(Thanks.objects.filter(success=OuterRef("pk"), user=actor.user)),
        )
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=objectives_visible_to(actor).select_related("owner_unit").order_by("id"),
                to_attr="visible_objectives",
            )
        )
    )


@dataclass
class FeedPage:
    successes: Page[Success]
    themes: list[StrategyTheme]
    theme: StrategyTheme | None
    unit: Unit | None
    objective: Objective | None


def feed_page(
    actor: Actor,
    *,
    theme_id: int | None,
    unit: Unit | None,
    objective_id: int | None,
    page_number: str | int | None,
) -> FeedPage:
    """The organization-wide feed, newest first, filtered by strategy theme (of a linked
    objective or an objective it contributes to), by unit (its whole subtree, as the unit
    picker chose it) and by objective. The filters follow only links to objectives this person
    may see."""
    themes = list(StrategyTheme.objects.all())
    theme = next((t for t in themes if t.pk == theme_id), None)
    objective = None
    if objective_id is not None:
        objective = objectives_visible_to(actor).filter(pk=objective_id).first()
    successes = Success.objects.all()
    visible = objectives_visible_to(actor)
    if theme is not None:
        themed = visible.filter(Q(themes=theme) | Q(contributes_to__themes=theme)).values("pk")
        successes = successes.filter(
            pk__in=Success.objectives.through.objects.filter(objective_id__in=themed).values(
                "success_id"
            )
        )
    if unit is not None:
        successes = successes.filter(team__path__startswith=unit.path)
    if objective is not None:
        successes = successes.filter(
            pk__in=Success.objectives.through.objects.filter(
                Q(objective=objective) | Q(objective__contributes_to=objective),
                objective__in=visible,
            ).values("success_id")
        )
    paginator = Paginator(with_thanks(successes, actor), PAGE_SIZE)
    page = paginator.get_page(page_number)
    return FeedPage(successes=page, themes=themes, theme=theme, unit=unit, objective=objective)


def success_card(actor: Actor, success_id: int) -> Success:
    """One success with its thanks and linked objectives, as a card shows it, and
    `key_result_shown`: the reached key result is one this person may see."""
    success = (
        with_thanks(Success.objects.filter(pk=success_id), actor)
        .select_related("key_result__objective")
        .get()
    )
    success.key_result_shown = shown_key_result(actor, success.key_result) is not None  # type: ignore[attr-defined]
    return success


@dataclass
class Reached:
    key_results: list[KeyResult]
    objectives: list[Objective]

    def __bool__(self) -> bool:
        return bool(self.key_results or self.objectives)


def reached_not_shared(team_ids: Iterable[int], cycle: Cycle | None) -> Reached:
    """The teams' key results at 100 % and objectives whose weighted progress is 100 % in the
    cycle that no success links to yet: two queries."""
    ids = list(team_ids)
    if cycle is None or not ids:
        return Reached(key_results=[], objectives=[])
    key_results = list(
        KeyResult.objects.filter(
            objective__owner_unit_id__in=ids, objective__cycle=cycle, progress__gte=REACHED
        )
        .exclude(Exists(Success.objects.filter(key_result=OuterRef("pk"))))
        .select_related("objective__owner_unit")
        .order_by("objective__owner_unit__path", "objective_id", "id")
    )
    objectives = list(
        Objective.objects.filter(owner_unit_id__in=ids, cycle=cycle)
        .with_progress()
        .filter(progress_value__gte=REACHED)  # type: ignore[misc]
        .exclude(Exists(Success.objectives.through.objects.filter(objective_id=OuterRef("pk"))))
        .select_related("owner_unit")
        .order_by("owner_unit__path", "id")
    )
    return Reached(key_results=key_results, objectives=objectives)


def reached_objectives(year: Year | None) -> set[int]:
    """Ids of the year's organization objectives, and of the objectives contributing to them,
    whose progress is 100 %: one query."""
    if year is None:
        return set()
    organization = Objective.objects.filter(
        owner_unit__parent__isnull=True, cycle__isnull=True, year=year
    ).values("pk")
    contributing = Objective.contributes_to.through.objects.filter(
        to_objective_id__in=organization
    ).values("from_objective_id")
    # A UNION of the two, each found through an index (an OR would scan every objective).
    candidates = Objective.objects.filter(pk__in=organization.union(contributing))
    return set(
        candidates.with_progress()
        .filter(progress_value__gte=REACHED)  # type: ignore[misc]
        .values_list("pk", flat=True)
    )


def successes_for_objectives(
    objective_ids: Iterable[int], actor: Actor | None = None
) -> dict[int, int]:
    """Number of successes linked to each objective or to an objective contributing to it
    (as the feed's ?objective= filter shows them: through objectives `actor` may see, all
    without an actor); objectives without any are left out. Two queries."""
    ids = list(objective_ids)
    through = Success.objectives.through.objects.all()
    contributes = Objective.contributes_to.through.objects
    if actor is not None:
        through = through.filter(objective__in=objectives_visible_to(actor))
    direct = through.filter(objective_id__in=ids).values_list("objective_id", "success_id")
    below = through.filter(
        objective_id__in=contributes.filter(to_objective_id__in=ids).values("from_objective_id")
    ).values_list("objective_id", "success_id")
    parents = contributes.filter(to_objective_id__in=ids).values_list(
        "from_objective_id", "to_objective_id"
    )
    found: dict[int, set[int]] = {}
    rows = list(direct.union(below, all=True))
    above: dict[int, list[int]] = {}
    for child, parent in parents:
        above.setdefault(child, []).append(parent)
    for objective_id, success_id in rows:
        if objective_id in ids:
            found.setdefault(objective_id, set()).add(success_id)
        for parent in above.get(objective_id, []):
            found.setdefault(parent, set()).add(success_id)
    return {pk: len(successes) for pk, successes in found.items()}


def mark_reached(
    objectives: Iterable[Objective], year: Year | None, actor: Actor | None = None
) -> None:
    """Set `is_reached` and `success_count` (counted through objectives `actor` may see) on
    the strategy page's objectives: three queries."""
    listed = list(objectives)
    reached = reached_objectives(year)
    counts = successes_for_objectives((o.pk for o in listed), actor)
    for objective in listed:
        objective.is_reached = objective.pk in reached  # type: ignore[attr-defined]
        objective.success_count = counts.get(objective.pk, 0)  # type: ignore[attr-defined]
