"""The API's reads: one page of each resource as the caller may see it, in a fixed number of
queries whatever the size (a count, the page, and one query per prefetched relation).

Visibility comes from the same querysets the pages use: open objectives for everyone, restricted
ones for the people of the owning unit; retrospectives and ideas for the team's people; learnings
as the library shows them; successes for everyone, with their links filtered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Prefetch, Q, QuerySet

from soihtu.accounts.models import User
from soihtu.api.models import ApiToken
from soihtu.api.schemas import (
    CycleQuery,
    IdeaQuery,
    KeyResultQuery,
    ObjectiveQuery,
    PageQuery,
    PersonQuery,
    TeamQuery,
    ThemedTeamQuery,
    UnitQuery,
)
from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle, Year
from soihtu.ideas.models import Idea
from soihtu.learning.models import Learning
from soihtu.learning.selectors import mark_objective_links, visible_learnings
from soihtu.okrs.access import objectives_visible_to
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.selectors import visible_objectives
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.organization.roles import Actor
from soihtu.retrospectives.models import ObjectiveReview, Retrospective
from soihtu.successes.models import Success
from soihtu.successes.selectors import with_thanks
from soihtu.surveys.models import SurveyRound


@dataclass
class Page[M: Model]:
    count: int
    items: list[M]


def _page[M: Model](rows: QuerySet[M], query: PageQuery) -> Page[M]:
    """Two queries: the count, and the rows of the page (with their prefetches)."""
    count = rows.count()
    return Page(count, list(rows[query.offset : query.offset + query.limit]))


def _subtree[M: Model](rows: QuerySet[M], unit_id: int | None, path_field: str) -> QuerySet[M]:
    """Rows whose unit is `unit_id` or below it; none for an unknown unit (one query)."""
    if unit_id is None:
        return rows
    path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if path is None:
        return rows.none()
    return rows.filter(**{f"{path_field}__startswith": path})


def _open_or_own(actor: Actor, prefix: str = "") -> Q:
    """Objectives (at `prefix`) this person may see, as `visible_objectives` decides it."""
    if actor.is_org_admin:
        return Q()
    return Q(**{f"{prefix}visibility": Objective.Visibility.OPEN}) | Q(
        **{f"{prefix}owner_unit_id__in": list(actor.unit_ids)}
    )


# Reference data.


def themes(query: PageQuery) -> Page[StrategyTheme]:
    return _page(StrategyTheme.objects.order_by("order", "id"), query)


def units(query: UnitQuery) -> Page[Unit]:
    rows = Unit.objects.order_by("path")
    if query.parent is not None:
        rows = rows.filter(parent_id=query.parent)
    if query.kind is not None:
        rows = rows.filter(kind=query.kind)
    return _page(rows, query)


def people(query: PersonQuery) -> Page[User]:
    """People who may sign in; with `unit`, the members of that unit and the units below."""
    rows = User.objects.filter(is_active=True, anonymized_at__isnull=True)
    if query.unit is not None:
        members = _subtree(Unit.objects.all(), query.unit, "path")
        rows = rows.filter(memberships__unit__in=members).distinct()
    return _page(rows.order_by("last_name", "first_name", "id"), query)


def years(query: PageQuery) -> Page[Year]:
    return _page(Year.objects.order_by("number"), query)


def cycles(query: CycleQuery) -> Page[Cycle]:
    rows = Cycle.objects.select_related("year").order_by("starts_on", "id")
    if query.year is not None:
        rows = rows.filter(year_id=query.year)
    if query.state is not None:
        rows = rows.filter(state=query.state)
    return _page(rows, query)


# Objectives, key results and check-ins.


def _with_links(actor: Actor) -> list[Prefetch[str, QuerySet[Objective], str]]:
    targets = Objective.objects.filter(_open_or_own(actor)).only("id").order_by("id")
    return [Prefetch("contributes_to", queryset=targets, to_attr="visible_targets")]


def objectives(actor: Actor, query: ObjectiveQuery) -> Page[Objective]:
    """Objectives the person may see, with their progress, themes and the visible objectives
    they contribute to: four queries (five with `unit`)."""
    rows = visible_objectives(actor)
    if query.cycle is not None:
        rows = rows.filter(cycle_id=query.cycle)
    if query.year is not None:
        rows = rows.filter(year_id=query.year)
    if query.theme is not None:
        rows = rows.filter(themes=query.theme)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    rows = _subtree(rows, query.unit, "owner_unit__path")
    rows = rows.order_by("id").prefetch_related("themes", *_with_links(actor))
    return _page(rows, query)


def objective(actor: Actor, found: Objective) -> Objective:
    """One objective (fetched through okrs.access) with its themes and visible links."""
    return (
        visible_objectives(actor).prefetch_related("themes", *_with_links(actor)).get(pk=found.pk)
    )


def _key_results() -> QuerySet[KeyResult]:
    # The status needs the period and the owning team's cadence.
    return KeyResult.objects.select_related(
        "objective__owner_unit", "objective__cycle", "objective__year"
    )


def key_results(actor: Actor, query: KeyResultQuery) -> Page[KeyResult]:
    """Key results of the objectives the person may see: two queries (three with `unit`)."""
    rows = _key_results().filter(_open_or_own(actor, "objective__"))
    if query.objective is not None:
        rows = rows.filter(objective_id=query.objective)
    if query.cycle is not None:
        rows = rows.filter(objective__cycle_id=query.cycle)
    if query.year is not None:
        rows = rows.filter(objective__year_id=query.year)
    if query.theme is not None:
        rows = rows.filter(objective__themes=query.theme)
    if query.status is not None:
        rows = rows.filter(objective__status=query.status)
    rows = _subtree(rows, query.unit, "objective__owner_unit__path")
    return _page(rows.order_by("id"), query)


def key_result(found: KeyResult) -> KeyResult:
    """One key result (fetched through okrs.access) with what its status needs."""
    return _key_results().get(pk=found.pk)


def checkins(key_result: KeyResult, query: PageQuery) -> Page[CheckIn]:
    """A key result's check-ins, oldest first: two queries."""
    rows = CheckIn.objects.filter(key_result=key_result).order_by("measured_on", "created_at", "id")
    return _page(rows, query)


# Rituals.


def _teams_of(actor: Actor) -> Q:
    """A team's retrospective and ideas are its people's (and the OKR office's)."""
    return Q() if actor.is_org_admin else Q(team_id__in=list(actor.unit_ids))


def _team_filters[M: Model](rows: QuerySet[M], query: TeamQuery) -> QuerySet[M]:
    if query.cycle is not None:
        rows = rows.filter(cycle_id=query.cycle)
    return _subtree(rows, query.unit, "team__path")


def _retrospective_rows(actor: Actor) -> QuerySet[Retrospective]:
    # The reviews' objectives tell which reviews are of restricted objectives (the access log).
    reviews = ObjectiveReview.objects.select_related("objective")
    return Retrospective.objects.filter(_teams_of(actor)).prefetch_related(
        Prefetch("objective_reviews", queryset=reviews), "key_result_scores"
    )


def retrospectives(actor: Actor, query: TeamQuery) -> Page[Retrospective]:
    """Retrospectives of the person's teams with their reviews and adjusted scores: four
    queries (five with `unit`)."""
    rows = _team_filters(_retrospective_rows(actor), query)
    return _page(rows.order_by("id"), query)


def retrospective(actor: Actor, retrospective_id: int) -> Retrospective | None:
    return _retrospective_rows(actor).filter(pk=retrospective_id).first()


def _learning_rows(actor: Actor) -> QuerySet[Learning]:
    return visible_learnings(actor).select_related("objective").prefetch_related("themes")


def learnings(actor: Actor, query: ThemedTeamQuery) -> Page[Learning]:
    """Learnings as the library shows them, newest first, with `show_objective` set: three
    queries (four with `unit`)."""
    rows = _team_filters(_learning_rows(actor), query)
    if query.theme is not None:
        rows = rows.filter(themes=query.theme)
    page = _page(rows.order_by("-created_at", "-id"), query)
    mark_objective_links(actor, page.items)
    return page


def learning(actor: Actor, learning_id: int) -> Learning | None:
    found = _learning_rows(actor).filter(pk=learning_id).first()
    return mark_objective_links(actor, [found])[0] if found else None


def _success_rows(actor: Actor, rows: QuerySet[Success]) -> QuerySet[Success]:
    return with_thanks(rows, actor).select_related("key_result__objective")


def successes(actor: Actor, query: ThemedTeamQuery) -> Page[Success]:
    """Successes, newest first, with their thanks and the links the person may see: three
    queries (four with `unit`). `theme` matches as the feed does: a linked objective's theme,
    or the theme of an objective it contributes to."""
    rows = _team_filters(Success.objects.all(), query)
    if query.theme is not None:
        themed = Objective.objects.filter(
            Q(themes=query.theme) | Q(contributes_to__themes=query.theme)
        ).values("pk")
        linked = Success.objectives.through.objects.filter(objective_id__in=themed)
        rows = rows.filter(pk__in=linked.values("success_id"))
    return _page(_success_rows(actor, rows).order_by("-created_at", "-id"), query)


def success(actor: Actor, found: Success) -> Success:
    """One success (fetched through successes.access) as the list shows it."""
    return _success_rows(actor, Success.objects.filter(pk=found.pk)).get()


def _idea_rows(actor: Actor, rows: QuerySet[Idea]) -> QuerySet[Idea]:
    visible = objectives_visible_to(actor)
    return rows.prefetch_related(
        Prefetch("objectives", queryset=visible.only("id").order_by("id"), to_attr="shown"),
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.filter(objective__in=visible).only("id").order_by("id"),
            to_attr="shown_key_results",
        ),
    )


def ideas(actor: Actor, query: IdeaQuery) -> Page[Idea]:
    """Ideas of the person's teams, newest first, with the links they may see: four queries
    (five with `unit`)."""
    rows = _team_filters(Idea.objects.filter(_teams_of(actor)), query)
    if query.status is not None:
        rows = rows.filter(state=query.status)
    return _page(_idea_rows(actor, rows).order_by("-created_at", "-id"), query)


def idea(actor: Actor, found: Idea) -> Idea:
    """One idea (fetched through ideas.access) as the list shows it."""
    return _idea_rows(actor, Idea.objects.filter(pk=found.pk)).get()


def survey_rounds(query: PageQuery) -> Page[SurveyRound]:
    """Rounds that have opened (not drafts), newest first."""
    rows = SurveyRound.objects.exclude(state=SurveyRound.State.DRAFT).order_by("-opens_on", "-id")
    return _page(rows, query)


# The token pages.


@dataclass
class TokensPage:
    personal: list[ApiToken]
    service: list[ApiToken]


def tokens_page(actor: Actor) -> TokensPage:
    """The person's own personal tokens and, for org admins, every service token with its
    units and creator: one query, three for org admins."""
    personal = list(ApiToken.objects.filter(kind=ApiToken.Kind.PERSONAL, created_by=actor.user))
    service: list[ApiToken] = []
    if actor.is_org_admin:
        service = list(
            ApiToken.objects.filter(kind=ApiToken.Kind.SERVICE)
            .select_related("created_by")
            .prefetch_related("units")
        )
    return TokensPage(personal=personal, service=service)
