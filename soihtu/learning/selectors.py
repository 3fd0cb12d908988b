"""Reads of the learning library: search, filters and the learnings of related teams."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from soihtu.cycles.models import Cycle
from soihtu.learning.models import Learning
from soihtu.okrs.access import shown_objective
from soihtu.okrs.models import Objective
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.organization.roles import Actor

PER_PAGE = 20
SEARCH_CONFIGS = ("finnish", "swedish", "english")
WORD = re.compile(r"\w+", re.UNICODE)
MIN_PREFIX = 4


def visible_learnings(actor: Actor) -> QuerySet[Learning]:
    """Published learnings, and internal ones of the person's own teams (all for org admins)."""
    return Learning.objects.visible_to(unit_ids=actor.unit_ids, is_org_admin=actor.is_org_admin)


def mark_objective_links(actor: Actor, learnings: list[Learning]) -> list[Learning]:
    """Set `show_objective`: a restricted objective is named and linked only to its unit."""
    for learning in learnings:
        learning.show_objective = shown_objective(actor, learning.objective) is not None  # type: ignore[attr-defined]
    return learnings


def _postgres_search(learnings: QuerySet[Learning], words: list[str]) -> QuerySet[Learning]:
    """Full-text search over the Finnish, Swedish and English stems of the text.

    Finnish inflects heavily and its stemmer leaves some forms apart ("asiakas" → asiakas,
    "asiakkaiden" → asiak), so each word also matches as a prefix of itself minus its last
    two letters.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    fi, sv, en = (SearchVector("text", config=c) for c in SEARCH_CONFIGS)
    vector = fi + sv + en

    def word_query(word: str) -> SearchQuery:
        prefix = _prefix(word)
        queries = [SearchQuery(word, config=c, search_type="plain") for c in SEARCH_CONFIGS]
        queries.append(SearchQuery(f"{prefix}:*", config="simple", search_type="raw"))
        return reduce(lambda a, b: a | b, queries)

    query = reduce(lambda a, b: a & b, [word_query(w) for w in words])
    return (
        learnings.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(search=query)
        .order_by("-rank", "-created_at", "-id")
    )


def _prefix(word: str) -> str:
    """The part of a word that its inflected forms share, near enough: the word without its
    last two letters, but at least MIN_PREFIX letters ("tiimi" → "tiim", "asiakas" → "asiak")."""
    return word[: max(MIN_PREFIX, len(word) - 2)].lower()


def _prefix_search(learnings: QuerySet[Learning], words: list[str]) -> QuerySet[Learning]:
    """Learnings where, for every word searched, some word of the text begins with its
    prefix, in any case: the PostgreSQL search's prefix half, without its stemming.

    So "tiimi" finds "tiimin" and "tiimeissä", and "asiakas" finds "asiakkaiden"; but a
    stem that changes within its first letters is missed ("käsi" does not find "käden",
    "tiimeissä" does not find "tiimi"), as are Swedish and English stems ("learning" does
    not find "learned"), and compounds are matched only by their first part. SQLite runs
    the regular expression in Python, which folds the case of ä and ö as LIKE does not.
    """
    return learnings.filter(
        reduce(
            lambda a, b: a & b,
            [Q(text__iregex=r"(?<!\w)" + re.escape(_prefix(w))) for w in words],
        )
    )


def search_learnings(learnings: QuerySet[Learning], text: str) -> QuerySet[Learning]:
    """Learnings matching every word of `text`, tolerating inflection: full-text search with
    word prefixes on PostgreSQL, word prefixes alone elsewhere (SQLite, for development)."""
    words = WORD.findall(text)[:10]
    if not words:
        return learnings
    if connection.vendor == "postgresql":
        return _postgres_search(learnings, words)
    return _prefix_search(learnings, words)


@dataclass
class LibraryFilters:
    query: str = ""
    theme: StrategyTheme | None = None
    unit: Unit | None = None
    cycle: Cycle | None = None

    @property
    def narrowed(self) -> bool:
        """Whether a search or a filter is set, so that an empty page means no match rather
        than no learnings at all."""
        return bool(self.query or self.theme or self.unit or self.cycle)


@dataclass
class LibraryPage:
    filters: LibraryFilters
    page: Page[Learning]


def library_page(actor: Actor, filters: LibraryFilters, page_number: str | int) -> LibraryPage:
    """One page (20) of the learnings the person may read, searched and filtered: three
    queries (count, page, themes)."""
    learnings = visible_learnings(actor)
    if filters.theme is not None:
        learnings = learnings.filter(themes=filters.theme)
    if filters.unit is not None:
        learnings = learnings.filter(team__path__startswith=filters.unit.path)
    if filters.cycle is not None:
        learnings = learnings.filter(cycle=filters.cycle)
    learnings = search_learnings(learnings, filters.query)
    learnings = learnings.select_related("team", "cycle__year", "objective").prefetch_related(
        "themes"
    )
    page = Paginator(learnings, PER_PAGE).get_page(page_number)
    mark_objective_links(actor, list(page.object_list))
    return LibraryPage(filters=filters, page=page)


def _sibling_objectives_sql(objective_ids: list[int]) -> RawSQL:
    """SQL for the ids of the objectives that contribute (at any depth) to the organization
    objectives that the given objectives contribute to (at any depth)."""
    table = Objective.contributes_to.through._meta.db_table
    objectives = Objective._meta.db_table
    units = Unit._meta.db_table
    marks = ", ".join(["%s"] * len(objective_ids))
    sql = f"""
        WITH RECURSIVE up(id) AS (
            SELECT to_objective_id FROM {table} WHERE from_objective_id IN ({marks})
            UNION
            SELECT t.to_objective_id FROM {table} t JOIN up ON t.from_objective_id = up.id
        ),
        org(id) AS (
            SELECT o.id FROM {objectives} o JOIN {units} u ON u.id = o.owner_unit_id
            WHERE u.parent_id IS NULL AND o.id IN (SELECT id FROM up)
        ),
        down(id) AS (
            SELECT from_objective_id FROM {table} WHERE to_objective_id IN (SELECT id FROM org)
            UNION
            SELECT t.from_objective_id FROM {table} t JOIN down ON t.to_objective_id = down.id
        )
        SELECT id FROM down
    """  # noqa: S608 - table names come from the models, the values are parameters
    subquery = f"SELECT id FROM ({sql}) related"  # noqa: S608 - as above
    return RawSQL(subquery, objective_ids)  # noqa: S611 - as above


def related_learnings_for_objectives(
    actor: Actor, objective_ids: list[int], *, exclude_team_id: int | None, limit: int = 10
) -> list[Learning]:
    """Learnings (that the person may read) of other teams whose objectives contributed to the
    same organization objectives as `objective_ids`: two queries (none without objectives)."""
    if not objective_ids:
        return []
    learnings = visible_learnings(actor).filter(
        objective_id__in=_sibling_objectives_sql(objective_ids)
    )
    if exclude_team_id is not None:
        learnings = learnings.exclude(team_id=exclude_team_id)
    return mark_objective_links(
        actor,
        list(
            learnings.select_related("team", "cycle__year", "objective").prefetch_related("themes")[
                :limit
            ]
        ),
    )


def related_learnings(actor: Actor, *, team: Unit, cycle: Cycle, limit: int = 10) -> list[Learning]:
    """For a team planning or reviewing `cycle`: the learnings of other teams working on the same
    organization objectives as the team's objectives of that cycle (four queries). A planning
    page for the next cycle can pass the cycle just closed, or use
    `related_learnings_for_objectives` with the objectives it has."""
    ids = list(Objective.objects.filter(owner_unit=team, cycle=cycle).values_list("id", flat=True))
    return related_learnings_for_objectives(actor, ids, exclude_team_id=team.pk, limit=limit)
