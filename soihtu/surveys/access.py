"""May this person manage a survey round, see its results or answer it? Views fetch here only.

A round's results are for org admins (all of them) and supervisors (their own division's
breakdown) once the round has closed. The OKR office may also publish a closed round's
organization-level results to everyone signed in: the totals per question, suppressed as every
result is, with no breakdowns, no free text and no trend.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.organization.models import Membership, Unit
from soihtu.organization.roles import Actor
from soihtu.surveys.models import SurveyRound


def _round(round_id: int) -> SurveyRound:
    survey = SurveyRound.objects.filter(pk=round_id).first()
    if survey is None:
        raise Http404
    return survey


def supervised_paths(actor: Actor) -> list[str]:
    """Paths of the units where the person is a supervisor (one query, none for others)."""
    ids = [uid for uid, role in actor.roles.items() if role == Membership.Role.SUPERVISOR]
    return list(Unit.objects.filter(pk__in=ids).values_list("path", flat=True)) if ids else []


def require_admin(actor: Actor) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied


def get_round_for_admin(actor: Actor, round_id: int) -> SurveyRound:
    """Org admins only: 403 for everyone else (rounds are not secret, their management is)."""
    require_admin(actor)
    return _round(round_id)


def get_round_for_results(actor: Actor, round_id: int) -> tuple[SurveyRound, list[str] | None]:
    """The round and the unit paths whose breakdown rows the person may see (None: all).

    Org admins see everything; supervisors see their own division's rows; others get 403.
    """
    survey = _round(round_id)
    if actor.is_org_admin:
        return survey, None
    paths = supervised_paths(actor)
    if not paths:
        raise PermissionDenied
    return survey, paths


def results_available(survey: SurveyRound) -> bool:
    """Results (figures, breakdowns, free text, the CSV, the dashboard, the API) exist only for
    a closed round. While it is open, reading them before and after one known person answers
    would tell that person's answers by the difference, so only the number of answers and the
    response rate are shown; reopening a closed round hides its results again."""
    return survey.state == SurveyRound.State.CLOSED


def results_published(survey: SurveyRound) -> bool:
    """Are the round's organization-level results shown to everyone signed in? Only while the
    round is closed and the OKR office has published them (`services.round_results_publish`)."""
    return results_available(survey) and survey.results_published


def get_round_for_publish(actor: Actor, round_id: int) -> SurveyRound:
    """Publishing a round's results is the OKR office's decision: 403 for everyone else."""
    return get_round_for_admin(actor, round_id)


def get_round_for_published_results(round_id: int) -> SurveyRound:
    """A round whose organization-level results are published, for anyone signed in; 404 for a
    round that is not closed or not published (as if its results did not exist)."""
    survey = _round(round_id)
    if not results_published(survey):
        raise Http404
    return survey


def can_list_rounds(actor: Actor) -> bool:
    return actor.is_org_admin or any(
        role == Membership.Role.SUPERVISOR for role in actor.roles.values()
    )


def get_round_for_answer(round_id: int) -> SurveyRound:
    """Any signed-in person may open the answer page; the service decides who may answer."""
    return _round(round_id)
