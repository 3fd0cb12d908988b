"""The export format, declared once: every list, every field, its type and its limits.

The exporter, the importer's validation and its writer all read these declarations, so the
format documented in docs/export-import.md cannot drift from what the code does (a test
checks that every field below is named in the document).

References: every top-level object has an integer `id`; other objects refer to it by that
number. The exporter numbers each list 1, 2, 3… in a fixed order, so the same database always
exports the same document; the importer accepts any positive, unique integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.comments.models import BODY_MAX, Comment, CommentMention
from soihtu.cycles.models import Cycle, TeamCycle, Year
from soihtu.followup.models import FollowUpMeeting
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.learning.models import Learning
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import (
    Cadence,
    Membership,
    OrganizationSettings,
    StrategyTheme,
    Unit,
)
from soihtu.planning.models import (
    MEASURE_MAX,
    Proposal,
    ProposalAuthor,
    ProposalComment,
    ProposalSupport,
)
from soihtu.retrospectives.models import (
    REASON_MAX,
    KeyResultScore,
    ObjectiveReview,
    Retrospective,
    RetrospectiveParticipant,
)
from soihtu.successes.models import Success, Thanks

FORMAT = "soihtu-okr-export"
VERSION = 1
POSITIVE_INT_MAX = 2_147_483_647  # PositiveIntegerField
SMALL_INT_MAX = 32_767  # PositiveSmallIntegerField


class Type(StrEnum):
    ID = "id"
    STRING = "string"
    TEXT = "text"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    REF = "ref"
    REFS = "refs"
    NUMBER = "number"  # read-only computed values, e.g. progress


class _Required:
    """The marker for a field that has no default: the document must give it."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()


@dataclass(frozen=True)
class Through:
    """The table holding a list of references (many-to-many rows, or proposal authors)."""

    model: type[models.Model]
    owner: str  # column naming the object that holds the list
    target: str  # column naming the referenced object


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    attr: str = ""  # the model field, when its name differs from the document's
    max_length: int = 0
    blank: bool = True
    choices: tuple[str | int, ...] = ()
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    places: int = 4
    digits: int = 16
    target: str = ""  # the list a ref/refs points into
    null: bool = False
    default: object = REQUIRED
    read_only: bool = False  # exported for readers, ignored by the importer
    through: Through | None = None
    sort_refs: bool = True  # False where the order means something (proposal authors)
    pattern: str = ""

    @property
    def model_attr(self) -> str:
        return self.attr or self.name

    @property
    def column(self) -> str:
        """The attribute holding the value: `<field>_id` for a reference."""
        return f"{self.model_attr}_id" if self.type == Type.REF else self.model_attr

    def default_value(self) -> object:
        return self.default() if callable(self.default) else self.default


@dataclass(frozen=True)
class Nested:
    """Objects that only exist inside their parent: a retrospective's participants, etc."""

    key: str
    model: type[models.Model]
    parent: str  # the column pointing to the parent row
    fields: tuple[Field, ...]
    unique: tuple[str, ...] = ()  # at most once per parent


@dataclass(frozen=True)
class ListSpec:
    key: str
    model: type[models.Model]
    fields: tuple[Field, ...]
    nested: tuple[Nested, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


# --- field constructors -----------------------------------------------------------------------


def ident() -> Field:
    return Field("id", Type.ID)


def string(
    name: str, max_length: int, *, blank: bool = True, default: object = "", **kw: object
) -> Field:
    return Field(
        name,
        Type.STRING,
        max_length=max_length,
        blank=blank,
        default=default if blank else REQUIRED,
        **kw,  # type: ignore[arg-type]
    )


def text(name: str, max_length: int = TEXT_MAX, *, blank: bool = True) -> Field:
    return Field(
        name, Type.TEXT, max_length=max_length, blank=blank, default="" if blank else REQUIRED
    )


def choice(
    name: str, choices: type[models.Choices], default: object = REQUIRED, *, blank: bool = False
) -> Field:
    """One of the model's choices (the stored values); with `blank`, also the empty string."""
    values: tuple[str | int, ...] = tuple(choices.values)
    kind = Type.INTEGER if isinstance(values[0], int) else Type.STRING
    if blank:
        values = ("", *values)
        default = ""
    return Field(name, kind, choices=values, default=default)


def boolean(name: str, default: object = False) -> Field:
    return Field(name, Type.BOOLEAN, default=default)


def integer(
    name: str, minimum: int, maximum: int, *, null: bool = False, default: object = REQUIRED
) -> Field:
    return Field(name, Type.INTEGER, minimum=minimum, maximum=maximum, null=null, default=default)


def decimal(name: str, *, null: bool = False, default: object = REQUIRED) -> Field:
    return Field(name, Type.DECIMAL, null=null, default=default)


def date(name: str) -> Field:
    return Field(name, Type.DATE)


def moment(name: str, *, null: bool = False) -> Field:
    """A date and time; optional in an imported document (now, or empty when it may be)."""
    return Field(name, Type.DATETIME, null=null, default=None if null else timezone.now)


def ref(name: str, target: str, *, attr: str = "", null: bool = False) -> Field:
    return Field(
        name, Type.REF, attr=attr, target=target, null=null, default=None if null else REQUIRED
    )


def refs(name: str, target: str, through: Through, *, sort_refs: bool = True) -> Field:
    return Field(name, Type.REFS, target=target, through=through, default=list, sort_refs=sort_refs)


def m2m(model: type[models.Model], name: str) -> Through:
    """The automatic many-to-many table of `model.name`, and its two columns."""
    relation = model._meta.get_field(name)
    assert isinstance(relation, models.ManyToManyField)
    through = relation.remote_field.through
    assert isinstance(through, type)
    assert issubclass(through, models.Model)
    return Through(
        model=through,
        owner=relation.m2m_column_name(),
        target=relation.m2m_reverse_name(),
    )


def person(name: str = "person", *, null: bool = False) -> Field:
    return ref(name, "people", attr="user" if name == "person" else "", null=null)


# --- the document ------------------------------------------------------------------------------

ORGANIZATION = (
    string("name", 200),
    string("languages", 50, default="fi,sv,en"),
    integer("default_cycle_months", 1, 12, default=4),
    integer("year_start_month", 1, 12, default=1),
    boolean("transparency_enabled"),
)

# Anonymized people carry only `id` and `anonymized_at`: no personal data leaves with them.
PEOPLE = ListSpec(
    "people",
    User,
    (
        ident(),
        string("username", 150, pattern=r"^[\w.@+-]+\Z"),
        string("first_name", 150),
        string("last_name", 150),
        string("email", 254),
        string("employee_id", 64),
        boolean("is_active", default=True),
        boolean("is_org_admin"),
        boolean("reminders_enabled", default=True),
        moment("anonymized_at", null=True),
    ),
)
PERSONAL_FIELDS = ("username", "first_name", "last_name", "email", "employee_id")

THEMES = ListSpec(
    "themes",
    StrategyTheme,
    (
        ident(),
        integer("order", 0, SMALL_INT_MAX, default=0),
        string("name_fi", 100, blank=False),
        string("name_sv", 100, blank=False),
        string("name_en", 100, blank=False),
        text("description_fi"),
        text("description_sv"),
        text("description_en"),
        string("colour", 7, blank=False, pattern=r"^#[0-9a-fA-F]{6}\Z"),
    ),
)

UNITS = ListSpec(
    "units",
    Unit,
    (
        ident(),
        string("name", 200, blank=False),
        string("code", 64),
        choice("kind", Unit.Kind, default=Unit.Kind.TEAM.value),
        ref("parent", "units", null=True),
        choice("checkin_cadence", Cadence, default=Cadence.BIWEEKLY.value),
    ),
)

MEMBERSHIPS = ListSpec(
    "memberships",
    Membership,
    (
        ident(),
        person(),
        ref("unit", "units"),
        choice("role", Membership.Role, default=Membership.Role.MEMBER.value),
    ),
    unique=(("person", "unit"),),
)

YEARS = ListSpec(
    "years",
    Year,
    (ident(), integer("number", 1, SMALL_INT_MAX), date("starts_on"), date("ends_on")),
    unique=(("number",),),
)

CYCLES = ListSpec(
    "cycles",
    Cycle,
    (
        ident(),
        ref("year", "years"),
        string("name", 50, blank=False),
        date("starts_on"),
        date("ends_on"),
        choice("state", Cycle.State, default=Cycle.State.PLANNING.value),
    ),
    unique=(("year", "name"),),
)

TEAM_CYCLES = ListSpec(
    "team_cycles",
    TeamCycle,
    (
        ident(),
        ref("team", "units"),
        ref("cycle", "cycles"),
        choice("state", Cycle.State, default=Cycle.State.PLANNING.value),
        moment("planning_opened_at", null=True),
        person("planning_opened_by", null=True),
        moment("activated_at", null=True),
        person("activated_by", null=True),
        integer("participation_percent", 0, 100, null=True, default=None),
        boolean("activated_below_half"),
        moment("closed_at", null=True),
    ),
    unique=(("team", "cycle"),),
)

OBJECTIVES = ListSpec(
    "objectives",
    Objective,
    (
        ident(),
        string("title", TITLE_MAX, blank=False),
        text("description"),
        ref("owner_unit", "units"),
        ref("year", "years"),
        ref("cycle", "cycles", null=True),
        refs("themes", "themes", m2m(Objective, "themes")),
        choice("kind", Objective.Kind, default=Objective.Kind.COMMITTED.value),
        choice("status", Objective.Status, default=Objective.Status.ACTIVE.value),
        choice("visibility", Objective.Visibility, default=Objective.Visibility.OPEN.value),
        boolean("is_public"),
        refs("contributes_to", "objectives", m2m(Objective, "contributes_to")),
        person("created_by", null=True),
        moment("created_at"),
        moment("updated_at"),
        integer("version", 1, POSITIVE_INT_MAX, default=1),
        # The weighted mean of the key results' progress, annotated by Objective.with_progress.
        Field("progress", Type.NUMBER, attr="progress_value", read_only=True),
    ),
)

KEY_RESULTS = ListSpec(
    "key_results",
    KeyResult,
    (
        ident(),
        ref("objective", "objectives"),
        string("title", TITLE_MAX, blank=False),
        choice("kind", KeyResult.Kind, default=KeyResult.Kind.INCREASE.value),
        decimal("start_value", default=Decimal(0)),
        decimal("target_value", default=Decimal(1)),
        string("unit_of_measure", 30),
        person("owner", null=True),
        integer("weight", 1, 10, default=1),
        decimal("current_value", null=True, default=None),
        integer("confidence", 0, 10, null=True, default=None),
        moment("last_checkin_at", null=True),
        integer("version", 1, POSITIVE_INT_MAX, default=1),
        moment("created_at"),
        Field("progress", Type.NUMBER, read_only=True),
    ),
)

CHECKINS = ListSpec(
    "checkins",
    CheckIn,
    (
        ident(),
        ref("key_result", "key_results"),
        decimal("value"),
        integer("confidence", 0, 10),
        text("note"),
        person("author", null=True),
        date("measured_on"),
        moment("created_at"),
    ),
)


def score(name: str, *, null: bool = False) -> Field:
    """A retrospective's score: 0.0–1.0 in steps of 0.1."""
    return Field(
        name,
        Type.DECIMAL,
        null=null,
        default=None if null else REQUIRED,
        places=1,
        digits=2,
        minimum=Decimal("0.0"),
        maximum=Decimal("1.0"),
    )


RETROSPECTIVES = ListSpec(
    "retrospectives",
    Retrospective,
    (
        ident(),
        ref("team", "units"),
        ref("cycle", "cycles"),
        moment("started_at"),
        person("started_by", null=True),
        moment("completed_at", null=True),
        person("completed_by", null=True),
        text("what_worked"),
        text("what_we_change"),
    ),
    nested=(
        Nested(
            "participants",
            RetrospectiveParticipant,
            "retrospective_id",
            (person(), moment("recorded_at")),
            unique=("person",),
        ),
        Nested(
            "objective_reviews",
            ObjectiveReview,
            "retrospective_id",
            (
                ref("objective", "objectives"),
                choice("outcome", ObjectiveReview.Outcome, blank=True),
                text("why"),
                text("learned"),
                text("try_next"),
                boolean("internal"),
                score("adjusted_score", null=True),
                string("adjust_reason", REASON_MAX),
                moment("updated_at"),
            ),
            unique=("objective",),
        ),
        Nested(
            "key_result_scores",
            KeyResultScore,
            "retrospective_id",
            (
                ref("key_result", "key_results"),
                score("adjusted_score"),
                string("reason", REASON_MAX, blank=False),
                moment("updated_at"),
            ),
            unique=("key_result",),
        ),
    ),
    unique=(("team", "cycle"),),
)

LEARNINGS = ListSpec(
    "learnings",
    Learning,
    (
        ident(),
        text("text", blank=False),
        ref("objective", "objectives", null=True),
        ref("team", "units"),
        ref("cycle", "cycles"),
        refs("themes", "themes", m2m(Learning, "themes")),
        boolean("internal"),
        ref("retrospective", "retrospectives", null=True),
        person("created_by", null=True),
        moment("created_at"),
    ),
)

SUCCESSES = ListSpec(
    "successes",
    Success,
    (
        ident(),
        ref("team", "units"),
        string("title", TITLE_MAX, blank=False),
        text("story", blank=False),
        refs("objectives", "objectives", m2m(Success, "objectives")),
        ref("key_result", "key_results", null=True),
        ref("cycle", "cycles", null=True),
        person("created_by", null=True),
        moment("created_at"),
    ),
    nested=(
        Nested(
            "thanks", Thanks, "success_id", (person(), moment("created_at")), unique=("person",)
        ),
    ),
)

IDEAS = ListSpec(
    "ideas",
    Idea,
    (
        ident(),
        ref("team", "units"),
        string("title", TITLE_MAX, blank=False),
        text("description"),
        choice("source", Idea.Source, default=Idea.Source.PLAIN.value),
        ref("checkin", "checkins", null=True),
        refs("objectives", "objectives", m2m(Idea, "objectives")),
        refs("key_results", "key_results", m2m(Idea, "key_results")),
        choice("state", Idea.State, default=Idea.State.NEW.value),
        ref("cycle", "cycles", null=True),
        person("created_by", null=True),
        moment("created_at"),
    ),
    nested=(
        Nested(
            "steps",
            IdeaStep,
            "idea_id",
            (
                choice("from_state", Idea.State, blank=True),
                choice("to_state", Idea.State),
                person("by", null=True),
                moment("at"),
                string("note", 500),
            ),
        ),
    ),
)

PROPOSALS = ListSpec(
    "proposals",
    Proposal,
    (
        ident(),
        ref("team", "units"),
        ref("cycle", "cycles"),
        choice("kind", Proposal.Kind, default=Proposal.Kind.OBJECTIVE.value),
        string("title", TITLE_MAX, blank=False),
        text("description"),
        ref("target_objective", "objectives", null=True),
        string("measure", MEASURE_MAX),
        choice("status", Proposal.Status, default=Proposal.Status.OPEN.value),
        text("decline_reason"),
        ref("merged_into", "proposals", null=True),
        ref("accepted_objective", "objectives", null=True),
        ref("accepted_key_result", "key_results", null=True),
        person("decided_by", null=True),
        moment("decided_at", null=True),
        person("created_by", null=True),
        moment("created_at"),
        refs(
            "authors",
            "people",
            Through(ProposalAuthor, "proposal_id", "user_id"),
            sort_refs=False,
        ),
    ),
    nested=(
        Nested(
            "comments",
            ProposalComment,
            "proposal_id",
            (person("author", null=True), text("text", blank=False), moment("created_at")),
        ),
        Nested(
            "supports",
            ProposalSupport,
            "proposal_id",
            (person(), moment("created_at")),
            unique=("person",),
        ),
    ),
)

FOLLOW_UP_MEETINGS = ListSpec(
    "follow_up_meetings",
    FollowUpMeeting,
    (ident(), ref("team", "units"), moment("held_at"), person("held_by", null=True)),
)

# The conversation on goals: each comment is on exactly one objective, key result or check-in;
# a reply (`parent`) answers a top-level comment of the same target. A deleted comment keeps
# its place without its text.
COMMENTS = ListSpec(
    "comments",
    Comment,
    (
        ident(),
        ref("objective", "objectives", null=True),
        ref("key_result", "key_results", null=True),
        ref("checkin", "checkins", null=True),
        ref("parent", "comments", null=True),
        person("author", null=True),
        text("body", BODY_MAX),
        refs("mentioned", "people", Through(CommentMention, "comment_id", "user_id")),
        moment("created_at"),
        moment("edited_at", null=True),
        moment("deleted_at", null=True),
    ),
)

# In the order they are written: every list refers only to lists before it (or to itself).
LISTS: tuple[ListSpec, ...] = (
    PEOPLE,
    THEMES,
    UNITS,
    MEMBERSHIPS,
    YEARS,
    CYCLES,
    TEAM_CYCLES,
    OBJECTIVES,
    KEY_RESULTS,
    CHECKINS,
    RETROSPECTIVES,
    LEARNINGS,
    SUCCESSES,
    IDEAS,
    PROPOSALS,
    FOLLOW_UP_MEETINGS,
    COMMENTS,
)
TOP_LEVEL_KEYS = ("format", "version", "exported_at", "organization", *(s.key for s in LISTS))
ORGANIZATION_MODEL = OrganizationSettings
