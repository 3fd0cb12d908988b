"""What the API reads and writes: pydantic schemas, published in the OpenAPI document.

Decimal values (key result values, check-in values, adjusted scores) are written as JSON strings
("12.5") so that no precision is lost; requests may send them as strings or as numbers.
Lists are pages: `count` (all matching), `limit`, `offset` and the `items` of this page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from soihtu.okrs.forms import VALUE_LIMIT
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX

MAX_ID = 2**63 - 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
DecimalString = Annotated[str, Field(description='A decimal number as a string, e.g. "12.5".')]
DecimalIn = Annotated[
    Decimal,
    Field(
        ge=-VALUE_LIMIT,
        le=VALUE_LIMIT,
        max_digits=16,
        decimal_places=4,
        description='A decimal number, as a JSON number or a string ("12.5").',
    ),
]

# The choices of the domain models, spelled out so that the OpenAPI document names them
# (a test keeps them equal to the models' choices).
ObjectiveKind = Literal["committed", "aspirational"]
ObjectiveStatus = Literal["draft", "active", "completed", "cancelled"]
Visibility = Literal["open", "restricted"]
KeyResultKind = Literal["increase", "decrease", "stay_above", "stay_below", "milestone"]
KeyResultStatus = Literal["on_track", "at_risk", "off_track", "stale", "no_checkin"]
UnitKind = Literal["organization", "division", "unit", "team"]
CycleState = Literal["planning", "active", "review", "closed"]
IdeaState = Literal["new", "tried", "adopted", "dropped"]
IdeaSource = Literal["plain", "checkin", "retrospective"]
ReviewOutcome = Literal["", "reached", "partly", "not_reached"]
SurveyState = Literal["draft", "open", "closed"]
QuestionKind = Literal["likert", "yes_no", "text"]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class In(BaseModel):
    # Unknown fields are refused rather than ignored: a misspelt field must not look saved.
    model_config = ConfigDict(extra="forbid")


def _without_defaults(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class Patch(In):
    """A partial change: the fields sent are changed, the others kept. (The defaults below only
    stand for "not sent" and are left out of the OpenAPI document.)"""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_without_defaults)


class ErrorDetail(Out):
    field: str = Field(description='The field that was wrong, e.g. "value"; "" for the whole.')
    message: str


class ErrorBody(Out):
    code: str = Field(description="Stable, for programs: e.g. not_found, invalid, rate_limited.")
    message: str = Field(description="For people, in the language of Accept-Language.")
    details: list[ErrorDetail]


class ErrorOut(Out):
    error: ErrorBody


class PageOut(Out):
    count: int = Field(description="How many match, on every page together.")
    limit: int
    offset: int


# Reference data.


class ThemeOut(Out):
    id: int
    order: int
    name: str = Field(description="In the language of Accept-Language.")
    name_fi: str
    name_sv: str
    name_en: str
    description: str
    colour: str


class ThemePage(PageOut):
    items: list[ThemeOut]


class UnitOut(Out):
    id: int
    code: str = Field(description='The unit\'s code in the HR system, or "".')
    name: str
    kind: UnitKind
    parent_id: int | None
    depth: int
    checkin_cadence_days: int


class UnitPage(PageOut):
    items: list[UnitOut]


class PersonOut(Out):
    id: int
    display_name: str


class PersonPage(PageOut):
    items: list[PersonOut]


class YearOut(Out):
    id: int
    number: int
    starts_on: datetime.date
    ends_on: datetime.date


class YearPage(PageOut):
    items: list[YearOut]


class CycleOut(Out):
    id: int
    year_id: int
    year: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: CycleState


class CyclePage(PageOut):
    items: list[CycleOut]


# Objectives, key results and check-ins.


class ObjectiveOut(Out):
    id: int
    title: str
    description: str
    owner_unit_id: int
    year_id: int
    cycle_id: int | None = Field(description="null for an objective set for the whole year.")
    kind: ObjectiveKind
    status: ObjectiveStatus
    visibility: Visibility
    is_public: bool
    themes: list[int]
    contributes_to: list[int] = Field(
        description="The objectives this one contributes to (those the caller may see)."
    )
    progress: float = Field(description="0.0–1.0: the weighted mean of its key results.")
    version: int = Field(description="Sent as the ETag; give it in If-Match to change it.")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ObjectivePage(PageOut):
    items: list[ObjectiveOut]


class ObjectivePatch(Patch):
    """Only the fields sent are changed. Moving an objective to another period is done on
    its page."""

    title: str = Field("", min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    kind: ObjectiveKind = "committed"
    status: ObjectiveStatus = "active"
    visibility: Visibility = "open"
    themes: list[Id] = Field(default_factory=list, max_length=100)
    contributes_to: list[Id] = Field(default_factory=list, max_length=100)


class ObjectiveIn(In):
    """A new objective of a unit, checked as the new-objective page checks it."""

    unit_id: Id = Field(description="The owning unit (team or any unit above).")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    cycle_id: Id | None = Field(None, description="The cycle; or give year_id instead.")
    year_id: Id | None = Field(None, description="For an objective of the whole year.")
    kind: ObjectiveKind = "committed"
    status: ObjectiveStatus = "active"
    visibility: Visibility = "open"
    themes: list[Id] = Field(default_factory=list, max_length=100)
    contributes_to: list[Id] = Field(default_factory=list, max_length=100)


class KeyResultOut(Out):
    id: int
    objective_id: int
    title: str
    kind: KeyResultKind
    start_value: DecimalString
    target_value: DecimalString
    unit_of_measure: str
    owner_id: int | None
    weight: int
    current_value: DecimalString | None
    confidence: int | None
    last_checkin_at: datetime.datetime | None
    progress: float = Field(description="0.0–1.0.")
    status: KeyResultStatus
    version: int = Field(description="Sent as the ETag; give it in If-Match to change it.")


class KeyResultPage(PageOut):
    items: list[KeyResultOut]


class KeyResultPatch(Patch):
    """Only the fields sent are changed; the result is checked as the edit page checks it."""

    title: str = Field("", min_length=1, max_length=TITLE_MAX)
    kind: KeyResultKind = "increase"
    start_value: DecimalIn | None = None
    target_value: DecimalIn | None = None
    unit_of_measure: str = Field("", max_length=30)
    owner_id: Id | None = Field(None, description="A member of the owning unit, or null.")
    weight: int = Field(1, ge=1, le=10)


class KeyResultIn(In):
    """A new key result of an objective, checked as the new-key-result page checks it."""

    title: str = Field(min_length=1, max_length=TITLE_MAX)
    kind: KeyResultKind = "increase"
    start_value: DecimalIn | None = Field(None, description="Empty for a milestone.")
    target_value: DecimalIn | None = Field(None, description="Empty for a milestone.")
    unit_of_measure: str = Field("", max_length=30)
    owner_id: Id | None = Field(None, description="A member of the owning unit, or null.")
    weight: int = Field(1, ge=1, le=10)


class CheckInOut(Out):
    id: int
    key_result_id: int
    value: DecimalString
    confidence: int
    note: str
    measured_on: datetime.date
    created_at: datetime.datetime
    author_id: int | None


class CheckInPage(PageOut):
    items: list[CheckInOut]


class CheckInIn(In):
    value: DecimalIn = Field(description="For a milestone, 1 (done) or 0 (not done).")
    confidence: int = Field(ge=0, le=10)
    note: str = Field("", max_length=TEXT_MAX)
    measured_on: datetime.date | None = Field(
        None,
        description="Defaults to today (the period's last day once it has ended); must fall "
        "within the objective's period and not in the future.",
    )


# Rituals.


class ObjectiveReviewOut(Out):
    objective_id: int
    outcome: ReviewOutcome
    why: str
    learned: str
    try_next: str
    internal: bool
    adjusted_score: DecimalString | None
    adjust_reason: str


class KeyResultScoreOut(Out):
    key_result_id: int
    adjusted_score: DecimalString
    reason: str


class RetrospectiveOut(Out):
    id: int
    team_id: int
    cycle_id: int
    started_at: datetime.datetime
    completed_at: datetime.datetime | None
    what_worked: str
    what_we_change: str
    objective_reviews: list[ObjectiveReviewOut]
    key_result_scores: list[KeyResultScoreOut]


class RetrospectivePage(PageOut):
    items: list[RetrospectiveOut]


class LearningOut(Out):
    id: int
    text: str
    team_id: int
    cycle_id: int
    themes: list[int]
    internal: bool
    objective_id: int | None = Field(description="null also when the caller may not see it.")
    created_at: datetime.datetime


class LearningPage(PageOut):
    items: list[LearningOut]


class SuccessOut(Out):
    id: int
    team_id: int
    title: str
    story: str
    objectives: list[int] = Field(description="The linked objectives the caller may see.")
    key_result_id: int | None = Field(description="null also when the caller may not see it.")
    cycle_id: int | None
    thanks_count: int
    created_at: datetime.datetime


class SuccessPage(PageOut):
    items: list[SuccessOut]


class IdeaOut(Out):
    id: int
    team_id: int
    title: str
    description: str
    source: IdeaSource
    state: IdeaState
    cycle_id: int | None
    objectives: list[int] = Field(description="The linked objectives the caller may see.")
    key_results: list[int] = Field(description="The linked key results the caller may see.")
    created_at: datetime.datetime


class IdeaPage(PageOut):
    items: list[IdeaOut]


# Surveys: aggregates only, suppressed as on the results page.


class SurveyRoundOut(Out):
    id: int
    title: str
    opens_on: datetime.date
    closes_on: datetime.date
    state: SurveyState
    breakdown_depth: int


class SurveyRoundPage(PageOut):
    items: list[SurveyRoundOut]


class BarOut(Out):
    label: str = Field(description='1–5 and "can\'t say", or "yes" and "no".')
    count: int
    percent: float


class GroupOut(Out):
    label: str
    n: int
    agree: float | None


class TrendPointOut(Out):
    round_title: str
    opens_on: str
    n: int
    agree: float | None


class QuestionResultOut(Out):
    key: str
    kind: QuestionKind
    text: str
    n: int
    agree: float | None = Field(description="Share agreeing (4–5) or answering yes, in percent.")
    bars: list[BarOut]
    by_unit: list[GroupOut]
    by_okrs: list[GroupOut]
    hidden_units: int = Field(description="Unit groups hidden because they are too small.")
    trend: list[TrendPointOut]
    texts: list[str]


class SurveyResultsOut(Out):
    round: SurveyRoundOut
    responses: int
    audience: int
    response_rate: float | None
    shown: bool = Field(
        description="false while the round is not closed (results exist only after closing: "
        "until then only responses, audience and response_rate) and when the round has fewer "
        "answers than min_group."
    )
    min_group: int
    limited: bool = Field(description="true when only the caller's own units are broken down.")
    questions: list[QuestionResultOut]


# Query parameters: paging and filters.


class PageQuery(BaseModel):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


UnitFilter = Annotated[Id | None, Field(description="That unit and every unit below it.")]


class UnitQuery(PageQuery):
    parent: Id | None = None
    kind: UnitKind | None = None


class PersonQuery(PageQuery):
    unit: UnitFilter = None


class CycleQuery(PageQuery):
    year: Id | None = None
    state: CycleState | None = None


class ObjectiveQuery(PageQuery):
    cycle: Id | None = None
    year: Id | None = None
    unit: UnitFilter = None
    theme: Id | None = None
    status: ObjectiveStatus | None = None


class KeyResultQuery(PageQuery):
    objective: Id | None = None
    cycle: Id | None = None
    year: Id | None = None
    unit: UnitFilter = None
    theme: Id | None = None
    status: ObjectiveStatus | None = Field(None, description="The objective's status.")


class TeamQuery(PageQuery):
    cycle: Id | None = None
    unit: UnitFilter = None


class ThemedTeamQuery(TeamQuery):
    theme: Id | None = None


class IdeaQuery(TeamQuery):
    status: IdeaState | None = Field(None, description="The idea's state.")
