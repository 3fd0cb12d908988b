"""The OKR survey's aggregates, for whoever the results page shows them to: the OKR office
(everything) and supervisors (their own units' rows). Groups smaller than five answers are never
shown: the figures come from the results page's own selector, already suppressed, and exist
only for closed rounds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router

from soihtu.api import schemas as s
from soihtu.api import selectors
from soihtu.api import serializers as out
from soihtu.api.gate import client_of
from soihtu.api.routers.common import DETAIL_ERRORS, LIST_ERRORS, answers
from soihtu.audit.models import AccessRecord
from soihtu.audit.services import access_record
from soihtu.surveys import access as surveys_access
from soihtu.surveys.models import SurveyRound
from soihtu.surveys.selectors import results_page

router = Router(tags=["surveys"])


@router.get(
    "/surveys", response=answers(200, s.SurveyRoundPage, (*LIST_ERRORS, 403)), summary="Surveys"
)
def survey_list(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    """Survey rounds that have opened, newest first (the OKR office and supervisors)."""
    if not surveys_access.can_list_rounds(client_of(request).actor):
        raise PermissionDenied
    page = selectors.survey_rounds(query)
    return out.page_out(page, query, [out.survey_round_out(r) for r in page.items])


@router.get(
    "/surveys/{round_id}/results",
    response=answers(200, s.SurveyResultsOut, (*DETAIL_ERRORS, 403)),
    summary="Results of a survey round",
)
def survey_results(request: HttpRequest, round_id: int) -> s.SurveyResultsOut:
    """A round's aggregates as its results page shows them to the caller, once the round is
    closed: while it is open (or reopened) only the number of answers and the response rate,
    with `shown` false. `shown` is false below five answers too, small unit groups are hidden
    (and counted in `hidden_units`), free texts only for the whole round and the OKR office."""
    actor = client_of(request).actor
    survey, paths = surveys_access.get_round_for_results(actor, round_id)
    if survey.state == SurveyRound.State.DRAFT:
        raise Http404
    page = results_page(survey, paths)
    if page.shown:  # the access log: who read the results (not the count of answers alone)
        kind = AccessRecord.Kind.SURVEY_RESULTS
        objects = [(survey.pk, survey.title)]
        access_record(request=request, kind=kind, objects=objects, user=actor.user)
    return out.survey_results_out(page, limited=paths is not None)
