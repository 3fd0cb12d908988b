"""Rows (fetched by the selectors, with everything prefetched) as the API's output schemas.
Nothing here queries the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soihtu.accounts.models import User
from soihtu.api import schemas as s
from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle, Year
from soihtu.ideas.models import Idea
from soihtu.learning.models import Learning
from soihtu.okrs.access import can_see_objective
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.organization.roles import Actor
from soihtu.retrospectives.models import Retrospective
from soihtu.successes.models import Success
from soihtu.surveys.models import SurveyRound
from soihtu.surveys.selectors import GroupRow, QuestionResult, ResultsPage


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without trailing zeros or an exponent: 12.5000 → "12.5"."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _optional_decimal(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def page_out(page: Any, query: s.PageQuery, items: list[Any]) -> dict[str, Any]:
    return {"count": page.count, "limit": query.limit, "offset": query.offset, "items": items}


def theme_out(theme: StrategyTheme) -> s.ThemeOut:
    return s.ThemeOut(
        id=theme.pk,
        order=theme.order,
        name=theme.name,
        name_fi=theme.name_fi,
        name_sv=theme.name_sv,
        name_en=theme.name_en,
        description=theme.description,
        colour=theme.colour,
    )


def unit_out(unit: Unit) -> s.UnitOut:
    return s.UnitOut(
        id=unit.pk,
        code=unit.code,
        name=unit.name,
        kind=unit.kind,  # type: ignore[arg-type]
        parent_id=unit.parent_id,
        depth=unit.depth,
        checkin_cadence_days=unit.checkin_cadence,
    )


def person_out(user: User) -> s.PersonOut:
    return s.PersonOut(id=user.pk, display_name=user.display_name)


def year_out(year: Year) -> s.YearOut:
    return s.YearOut(id=year.pk, number=year.number, starts_on=year.starts_on, ends_on=year.ends_on)


def cycle_out(cycle: Cycle) -> s.CycleOut:
    return s.CycleOut(
        id=cycle.pk,
        year_id=cycle.year_id,
        year=cycle.year.number,
        name=cycle.name,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        state=cycle.state,  # type: ignore[arg-type]
    )


def objective_out(objective: Objective) -> s.ObjectiveOut:
    """Needs `progress_value`, prefetched themes and `visible_targets` (see selectors)."""
    return s.ObjectiveOut(
        id=objective.pk,
        title=objective.title,
        description=objective.description,
        owner_unit_id=objective.owner_unit_id,
        year_id=objective.year_id,
        cycle_id=objective.cycle_id,
        kind=objective.kind,  # type: ignore[arg-type]
        status=objective.status,  # type: ignore[arg-type]
        visibility=objective.visibility,  # type: ignore[arg-type]
        is_public=objective.is_public,
        themes=[theme.pk for theme in objective.themes.all()],
        contributes_to=[target.pk for target in objective.visible_targets],  # type: ignore[attr-defined]
        progress=getattr(objective, "progress_value", None) or 0.0,
        version=objective.version,
        created_at=objective.created_at,
        updated_at=objective.updated_at,
    )


def key_result_out(key_result: KeyResult) -> s.KeyResultOut:
    """Needs the objective with its owner unit, cycle and year (for the status)."""
    return s.KeyResultOut(
        id=key_result.pk,
        objective_id=key_result.objective_id,
        title=key_result.title,
        kind=key_result.kind,  # type: ignore[arg-type]
        start_value=decimal_text(key_result.start_value),
        target_value=decimal_text(key_result.target_value),
        unit_of_measure=key_result.unit_of_measure,
        owner_id=key_result.owner_id,
        weight=key_result.weight,
        current_value=_optional_decimal(key_result.current_value),
        confidence=key_result.confidence,
        last_checkin_at=key_result.last_checkin_at,
        progress=key_result.progress or 0.0,
        status=key_result.status,  # type: ignore[arg-type]
        version=key_result.version,
    )


def checkin_out(checkin: CheckIn) -> s.CheckInOut:
    return s.CheckInOut(
        id=checkin.pk,
        key_result_id=checkin.key_result_id,
        value=decimal_text(checkin.value),
        confidence=checkin.confidence,
        note=checkin.note,
        measured_on=checkin.measured_on,
        created_at=checkin.created_at,
        author_id=checkin.author_id,
    )


def retrospective_out(retrospective: Retrospective) -> s.RetrospectiveOut:
    """Needs prefetched objective reviews and key result scores."""
    return s.RetrospectiveOut(
        id=retrospective.pk,
        team_id=retrospective.team_id,
        cycle_id=retrospective.cycle_id,
        started_at=retrospective.started_at,
        completed_at=retrospective.completed_at,
        what_worked=retrospective.what_worked,
        what_we_change=retrospective.what_we_change,
        objective_reviews=[
            s.ObjectiveReviewOut(
                objective_id=review.objective_id,
                outcome=review.outcome,  # type: ignore[arg-type]
                why=review.why,
                learned=review.learned,
                try_next=review.try_next,
                internal=review.internal,
                adjusted_score=_optional_decimal(review.adjusted_score),
                adjust_reason=review.adjust_reason,
            )
            for review in retrospective.objective_reviews.all()
        ],
        key_result_scores=[
            s.KeyResultScoreOut(
                key_result_id=score.key_result_id,
                adjusted_score=decimal_text(score.adjusted_score),
                reason=score.reason,
            )
            for score in retrospective.key_result_scores.all()
        ],
    )


def learning_out(learning: Learning) -> s.LearningOut:
    """Needs `show_objective` (learning.selectors.mark_objective_links) and prefetched themes."""
    shown = learning.show_objective  # type: ignore[attr-defined]
    return s.LearningOut(
        id=learning.pk,
        text=learning.text,
        team_id=learning.team_id,
        cycle_id=learning.cycle_id,
        themes=[theme.pk for theme in learning.themes.all()],
        internal=learning.internal,
        objective_id=learning.objective_id if shown else None,
        created_at=learning.created_at,
    )


def success_out(actor: Actor, success: Success) -> s.SuccessOut:
    """Needs `thanks_count`, `visible_objectives` and the key result's objective."""
    key_result = success.key_result
    shown_key_result = key_result is not None and can_see_objective(actor, key_result.objective)
    return s.SuccessOut(
        id=success.pk,
        team_id=success.team_id,
        title=success.title,
        story=success.story,
        objectives=[o.pk for o in success.visible_objectives],  # type: ignore[attr-defined]
        key_result_id=success.key_result_id if shown_key_result else None,
        cycle_id=success.cycle_id,
        thanks_count=success.thanks_count,  # type: ignore[attr-defined]
        created_at=success.created_at,
    )


def idea_out(idea: Idea) -> s.IdeaOut:
    """Needs `shown` objectives and `shown_key_results` (see selectors.ideas)."""
    return s.IdeaOut(
        id=idea.pk,
        team_id=idea.team_id,
        title=idea.title,
        description=idea.description,
        source=idea.source,  # type: ignore[arg-type]
        state=idea.state,  # type: ignore[arg-type]
        cycle_id=idea.cycle_id,
        objectives=[o.pk for o in idea.shown],  # type: ignore[attr-defined]
        key_results=[kr.pk for kr in idea.shown_key_results],  # type: ignore[attr-defined]
        created_at=idea.created_at,
    )


def survey_round_out(survey: SurveyRound) -> s.SurveyRoundOut:
    return s.SurveyRoundOut(
        id=survey.pk,
        title=survey.title,
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        state=survey.state,  # type: ignore[arg-type]
        breakdown_depth=survey.breakdown_depth,
    )


def _groups(rows: list[GroupRow]) -> list[s.GroupOut]:
    return [s.GroupOut(label=row.label, n=row.n, agree=row.agree) for row in rows]


def _question_out(result: QuestionResult) -> s.QuestionResultOut:
    question = result.question
    return s.QuestionResultOut(
        key=question.key,
        kind=question.kind,  # type: ignore[arg-type]
        text=question.text,
        n=result.n,
        agree=result.agree,
        bars=[
            s.BarOut(label=bar.label, count=bar.count, percent=bar.percent) for bar in result.bars
        ],
        by_unit=_groups(result.by_unit),
        by_okrs=_groups(result.by_okrs),
        hidden_units=result.hidden_units,
        trend=[
            s.TrendPointOut(
                round_title=point.round_title, opens_on=point.opens_on, n=point.n, agree=point.agree
            )
            for point in result.trend
        ],
        texts=result.texts,
    )


def survey_results_out(page: ResultsPage, *, limited: bool) -> s.SurveyResultsOut:
    """The results page's figures, already suppressed by surveys.selectors.results_page."""
    return s.SurveyResultsOut(
        round=survey_round_out(page.survey),
        responses=page.responses,
        audience=page.audience,
        response_rate=page.response_rate,
        shown=page.shown,
        min_group=page.min_group,
        limited=limited,
        questions=[_question_out(result) for result in page.questions],
    )
