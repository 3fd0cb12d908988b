"""The team's practice: retrospectives and ideas (the team's people and the OKR office),
learnings (as the library shows them) and successes (everyone, links filtered)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from soihtu.api import schemas as s
from soihtu.api import selectors
from soihtu.api import serializers as out
from soihtu.api.gate import client_of
from soihtu.api.routers.common import DETAIL_ERRORS, LIST_ERRORS, answers
from soihtu.audit.models import AccessRecord
from soihtu.ideas import access as ideas_access
from soihtu.okrs.access_log import objectives_read
from soihtu.retrospectives.models import Retrospective
from soihtu.successes import access as successes_access

router = Router()


@router.get(
    "/retrospectives",
    response=answers(200, s.RetrospectivePage, LIST_ERRORS),
    tags=["retrospectives"],
    summary="Retrospectives",
)
def retrospective_list(request: HttpRequest, query: Query[s.TeamQuery]) -> dict[str, Any]:
    """The retrospectives of the caller's own teams (all for the OKR office), with each
    objective's review and the adjusted scores; filtered by cycle and unit (and below)."""
    actor = client_of(request).actor
    page = selectors.retrospectives(actor, query)
    _reviews_read(request, page.items)
    return out.page_out(page, query, [out.retrospective_out(r) for r in page.items])


def _reviews_read(request: HttpRequest, retrospectives: list[Retrospective]) -> None:
    """The access log: reviews of restricted objectives in these retrospectives."""
    reviewed = [review.objective for r in retrospectives for review in r.objective_reviews.all()]
    reader = client_of(request).actor.user
    objectives_read(request, reviewed, kind=AccessRecord.Kind.RETROSPECTIVE, user=reader)


@router.get(
    "/retrospectives/{retrospective_id}",
    response=answers(200, s.RetrospectiveOut, DETAIL_ERRORS),
    tags=["retrospectives"],
)
def retrospective_detail(request: HttpRequest, retrospective_id: int) -> s.RetrospectiveOut:
    """One retrospective of the caller's own team."""
    found = selectors.retrospective(client_of(request).actor, retrospective_id)
    if found is None:
        raise Http404
    _reviews_read(request, [found])
    return out.retrospective_out(found)


@router.get(
    "/learnings",
    response=answers(200, s.LearningPage, LIST_ERRORS),
    tags=["learnings"],
    summary="Learnings",
)
def learning_list(request: HttpRequest, query: Query[s.ThemedTeamQuery]) -> dict[str, Any]:
    """Learnings published from retrospectives, and the internal ones of the caller's own
    teams; newest first, filtered by cycle, unit (and below) and strategy theme."""
    actor = client_of(request).actor
    page = selectors.learnings(actor, query)
    return out.page_out(page, query, [out.learning_out(learning) for learning in page.items])


@router.get(
    "/learnings/{learning_id}",
    response=answers(200, s.LearningOut, DETAIL_ERRORS),
    tags=["learnings"],
)
def learning_detail(request: HttpRequest, learning_id: int) -> s.LearningOut:
    """One learning."""
    found = selectors.learning(client_of(request).actor, learning_id)
    if found is None:
        raise Http404
    return out.learning_out(found)


@router.get(
    "/successes",
    response=answers(200, s.SuccessPage, LIST_ERRORS),
    tags=["successes"],
    summary="Successes",
)
def success_list(request: HttpRequest, query: Query[s.ThemedTeamQuery]) -> dict[str, Any]:
    """Successes shared by teams, newest first, filtered by cycle, unit (and below) and
    strategy theme (of a linked objective or of an objective it contributes to)."""
    actor = client_of(request).actor
    page = selectors.successes(actor, query)
    return out.page_out(page, query, [out.success_out(actor, success) for success in page.items])


@router.get(
    "/successes/{success_id}",
    response=answers(200, s.SuccessOut, DETAIL_ERRORS),
    tags=["successes"],
)
def success_detail(request: HttpRequest, success_id: int) -> s.SuccessOut:
    """One success."""
    actor = client_of(request).actor
    found = successes_access.get_success_for_user(actor, success_id)
    return out.success_out(actor, selectors.success(actor, found))


@router.get(
    "/ideas",
    response=answers(200, s.IdeaPage, LIST_ERRORS),
    tags=["ideas"],
    summary="Ideas",
)
def idea_list(request: HttpRequest, query: Query[s.IdeaQuery]) -> dict[str, Any]:
    """The ideas of the caller's own teams (all for the OKR office), newest first, filtered by
    cycle, unit (and below) and state."""
    actor = client_of(request).actor
    page = selectors.ideas(actor, query)
    return out.page_out(page, query, [out.idea_out(idea) for idea in page.items])


@router.get("/ideas/{idea_id}", response=answers(200, s.IdeaOut, DETAIL_ERRORS), tags=["ideas"])
def idea_detail(request: HttpRequest, idea_id: int) -> s.IdeaOut:
    """One idea of the caller's own team."""
    actor = client_of(request).actor
    found = ideas_access.get_idea_for_user(actor, idea_id)
    return out.idea_out(selectors.idea(actor, found))
