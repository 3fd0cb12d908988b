from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from soihtu.core.formatting import number
from soihtu.cycles.models import Cycle, Year
from soihtu.organization.models import PATH_STEP, StrategyTheme, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

TITLE_MAX = 200
TEXT_MAX = 2000
SOFT_LIMIT = 5  # more objectives per team cycle, or key results per objective, earns a warning
# A milestone has no start or target: these stand for "not done" and "done" in its columns.
MILESTONE_START, MILESTONE_TARGET = Decimal(0), Decimal(1)
MILESTONE_NO_VALUES = _("A milestone is done or not done: it has no start or target value.")


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def visible_to_units(self, unit_ids: set[int]) -> ObjectiveQuerySet:
        """Open objectives, and restricted ones owned by a unit the person belongs to."""
        return self.filter(Q(visibility=Objective.Visibility.OPEN) | Q(owner_unit_id__in=unit_ids))

    def with_progress(self) -> ObjectiveQuerySet:
        """Annotate `progress_value`: the weighted mean of the key results' progress, in SQL."""
        return self.annotate(progress_value=objective_progress_subquery(OuterRef("pk")))


def objective_progress_subquery(objective_ref: OuterRef | F) -> Coalesce:
    """Weighted mean progress of one objective's key results (0.0 without key results).

    A subquery, so that it composes with other annotations without multiplying rows.
    """
    weighted = (
        KeyResult.objects.filter(objective=objective_ref)
        .order_by()
        .values("objective")
        .annotate(
            mean=Cast(Sum(F("progress") * F("weight")), models.FloatField())
            / Cast(Sum("weight"), models.FloatField())
        )
        .values("mean")
    )
    return Coalesce(Subquery(weighted, output_field=models.FloatField()), Value(0.0))


class Objective(models.Model):
    class Kind(models.TextChoices):
        COMMITTED = "committed", _("committed")
        ASPIRATIONAL = "aspirational", _("aspirational")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Visibility(models.TextChoices):
        OPEN = "open", _("open to the whole organization")
        RESTRICTED = "restricted", _("restricted to the owning unit")

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="objectives"
    )
    year = models.ForeignKey(
        Year, verbose_name=_("year"), on_delete=models.PROTECT, related_name="objectives"
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
        help_text=_("Empty for an objective set for the whole year."),
    )
    themes = models.ManyToManyField(
        StrategyTheme, verbose_name=_("strategy themes"), related_name="objectives", blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITTED)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.OPEN
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Organization objectives only: shown on the public transparency page when the "
            "organization publishes it."
        ),
    )
    contributes_to = models.ManyToManyField(
        "self",
        verbose_name=_("contributes to"),
        symmetrical=False,
        related_name="contributors",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["owner_unit", "cycle"], name="objective_unit_cycle"),
            # Restricted objectives are few: this finds those hidden from a person at once.
            models.Index(
                fields=["owner_unit"],
                condition=Q(visibility="restricted"),
                name="objective_restricted_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_restricted(self) -> bool:
        return self.visibility == self.Visibility.RESTRICTED

    @property
    def progress_percent(self) -> int:
        """Progress in percent; needs the `with_progress()` annotation."""
        return round((getattr(self, "progress_value", None) or 0.0) * 100)

    @property
    def score(self) -> float:
        return round(getattr(self, "progress_value", None) or 0.0, 1)

    @property
    def score_band(self) -> str:
        return score_band(self.score)

    @property
    def expected_score(self) -> float:
        return 1.0 if self.kind == self.Kind.COMMITTED else 0.7

    @property
    def is_scored(self) -> bool:
        """Whether the score means something yet: once the cycle is in review or closed (an
        objective for the year: once the year has ended). During the cycle a low score is no
        failure, only progress on its way, so pages show progress and expected progress."""
        if self.cycle is not None:
            return self.cycle.state in {Cycle.State.REVIEW, Cycle.State.CLOSED}
        return timezone.localdate() > self.year.ends_on

    @property
    def expected_percent(self) -> int:
        """How far progress is expected to be by today, in percent: the share of the period
        that has passed."""
        return round((self.cycle or self.year).elapsed_share() * 100)


def progress_expression() -> models.Expression:
    """Progress 0.0–1.0 of one key result, computed by the database from its columns."""
    current = Cast("current_value", models.FloatField())
    start = Cast("start_value", models.FloatField())
    target = Cast("target_value", models.FloatField())
    linear = Greatest(Least((current - start) / (target - start), Value(1.0)), Value(0.0))
    return Case(
        When(current_value__isnull=True, then=Value(0.0)),
        When(kind__in=["increase", "decrease"], then=linear),
        When(kind="stay_above", current_value__gte=F("target_value"), then=Value(1.0)),
        When(kind="stay_below", current_value__lte=F("target_value"), then=Value(1.0)),
        When(kind="milestone", current_value__gte=1, then=Value(1.0)),
        default=Value(0.0),
        output_field=models.FloatField(),
    )


class KeyResult(models.Model):
    class Kind(models.TextChoices):
        INCREASE = "increase", _("increase to")
        DECREASE = "decrease", _("decrease to")
        STAY_ABOVE = "stay_above", _("stay above")
        STAY_BELOW = "stay_below", _("stay below")
        MILESTONE = "milestone", _("milestone")

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        OFF_TRACK = "off_track", _("off track")
        STALE = "stale", _("stale")
        NO_CHECKIN = "no_checkin", _("no check-in yet")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="key_results"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INCREASE)
    start_value = models.DecimalField(
        _("start value"), max_digits=16, decimal_places=4, default=Decimal(0)
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=16,
        decimal_places=4,
        default=Decimal(1),
        help_text=_("For stay above / stay below, the threshold."),
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_key_results",
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    current_value = models.DecimalField(
        _("current value"), max_digits=16, decimal_places=4, null=True, blank=True, editable=False
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True, editable=False
    )
    last_checkin_at = models.DateTimeField(
        _("last check-in"), null=True, blank=True, editable=False
    )
    progress = models.GeneratedField(
        expression=progress_expression(), output_field=models.FloatField(), db_persist=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="kr_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=10),
                name="kr_confidence_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="increase") | Q(target_value__gt=F("start_value")),
                name="kr_increase_target_above_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="decrease") | Q(target_value__lt=F("start_value")),
                name="kr_decrease_target_below_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.is_milestone:
            errors = {
                name: ValidationError(MILESTONE_NO_VALUES, code="milestone_value")
                for name, value in [
                    ("start_value", MILESTONE_START),
                    ("target_value", MILESTONE_TARGET),
                ]
                if getattr(self, name) != value
            }
            if errors:
                raise ValidationError(errors)

    @property
    def is_milestone(self) -> bool:
        return self.kind == self.Kind.MILESTONE

    @property
    def has_pace(self) -> bool:
        """Whether progress is expected to grow with the calendar: not for a milestone (done
        or not done) nor a guardrail (held or not)."""
        return not (self.is_milestone or self.is_guardrail)

    @property
    def is_guardrail(self) -> bool:
        return self.kind in {self.Kind.STAY_ABOVE, self.Kind.STAY_BELOW}

    @property
    def goal_line(self) -> str:
        """What the key result asks, with its target: "Increase to 52 %", "Stay above 4
        (scale 1–5)"; a milestone is just "Milestone"."""
        line = GOAL_LINES.get(self.kind)
        if line is None:
            return capfirst(str(self.get_kind_display()))
        target = " ".join(filter(None, [number(self.target_value), self.unit_of_measure]))
        return str(line) % {"target": target}

    @property
    def percent(self) -> int:
        return round((self.progress or 0.0) * 100)

    @property
    def score(self) -> float:
        """The score at close, 0.0–1.0 in steps of 0.1."""
        return round(self.progress or 0.0, 1)

    @property
    def score_band(self) -> str:
        return score_band(self.score)

    def expected_progress(self, today: datetime.date | None = None) -> float:
        objective = self.objective
        return (objective.cycle or objective.year).elapsed_share(today)

    @property
    def expected_percent(self) -> int:
        return round(self.expected_progress() * 100)

    @property
    def status(self) -> str:
        """On track / at risk / off track from the latest confidence and the pace, today;
        stale, whatever the confidence, when two cadences have passed without a check-in."""
        if self.is_stale:
            return self.Status.STALE
        return status_for(
            kind=self.kind,
            progress=self.progress or 0.0,
            confidence=self.confidence,
            expected=self.expected_progress(),
        )

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def cadence_days(self) -> int:
        """The owning team's check-in cadence (needs objective__owner_unit loaded)."""
        return int(self.objective.owner_unit.checkin_cadence)

    def cadences_missed(self) -> float | None:
        """Cadences passed since the last check-in (without one, since the key result was
        created or the period began, whichever is later), or None when no check-in is
        expected: the cycle is not active or has not begun."""
        objective = self.objective
        period = objective.cycle or objective.year
        if objective.cycle is not None and objective.cycle.state != Cycle.State.ACTIVE:
            return None
        today = timezone.localdate()
        if not period.starts_on <= today <= period.ends_on:
            return None
        began = datetime.datetime.combine(
            period.starts_on, datetime.time(), tzinfo=timezone.get_current_timezone()
        )
        since = self.last_checkin_at or max(began, self.created_at)
        return max(timezone.now() - since, datetime.timedelta(0)) / datetime.timedelta(
            days=self.cadence_days
        )

    @property
    def is_due(self) -> bool:
        """Waiting for a check-in: none yet, or the last one older than the team's cadence."""
        missed = self.cadences_missed()
        if missed is None:
            return False
        return self.last_checkin_at is None or missed > 1

    @property
    def is_stale(self) -> bool:
        """Two cadences have passed without a check-in."""
        missed = self.cadences_missed()
        return missed is not None and missed > 2


# "To", not "by": the target is the value to reach or to hold, not a change.
GOAL_LINES: dict[str, StrPromise] = {
    KeyResult.Kind.INCREASE: _("Increase to %(target)s"),
    KeyResult.Kind.DECREASE: _("Decrease to %(target)s"),
    KeyResult.Kind.STAY_ABOVE: _("Stay above %(target)s"),
    KeyResult.Kind.STAY_BELOW: _("Stay below %(target)s"),
}


def status_for(*, kind: str, progress: float, confidence: int | None, expected: float) -> str:
    """The rule behind a key result's status, kept apart so it can be tested on its own.

    No check-in yet: no status. A broken guardrail is off track. Otherwise low confidence
    (0–3) or a pace far behind the calendar is off track; high confidence (7–10) with a pace
    close to the calendar is on track; everything else is at risk. Milestones have no pace
    until they are done, so only confidence counts for them.
    """
    status = KeyResult.Status
    if confidence is None:
        return status.NO_CHECKIN
    if kind in {KeyResult.Kind.STAY_ABOVE, KeyResult.Kind.STAY_BELOW}:
        if progress < 1.0:
            return status.OFF_TRACK
        return status.ON_TRACK if confidence >= 7 else status.AT_RISK
    gap = 0.0 if kind == KeyResult.Kind.MILESTONE or progress >= 1.0 else expected - progress
    if confidence <= 3 or gap > 0.35:
        return status.OFF_TRACK
    if confidence >= 7 and gap <= 0.15:
        return status.ON_TRACK
    return status.AT_RISK


def score_band(score: float) -> str:
    """Colour band of a score: red 0.0–0.3, yellow 0.4–0.6, green 0.7–1.0."""
    rounded = round(score, 1)
    if rounded >= 0.7:
        return "green"
    if rounded >= 0.4:
        return "yellow"
    return "red"


def subtree_rollup_sql(inner: str, keys: tuple[str, ...] = ()) -> str:
    """SQL over `inner` (a query of objectives with the columns `upath`, the owner unit's
    path, and `progress_value`, plus `keys`): one row per unit path prefix (and key) with
    `unit_path`, the number of objectives and the sum of their progress.

    Each objective counts once for every unit above its owner (the prefixes of the owner's
    materialized path), so the database does objectives × depth rows of work, not
    objectives × units.
    """
    levels = ", ".join(f"({level})" for level in range(1, 255 // PATH_STEP + 1))
    grouped = "".join(f", op.{key}" for key in keys)
    return f"""
        SELECT substr(op.upath, 1, levels.column1 * {PATH_STEP}) AS unit_path{grouped},
               COUNT(*) AS objectives, SUM(op.progress_value) AS progress_sum
        FROM ({inner}) op, (VALUES {levels}) AS levels
        WHERE length(op.upath) >= levels.column1 * {PATH_STEP}
        GROUP BY unit_path{grouped}
    """  # noqa: S608 - built from the ORM's own SQL and constants


class UnitProgress(models.Model):
    """Precomputed roll-up: the open objectives of a cycle's period (its own objectives and its
    year's) owned by a unit or any unit below it, and the sum of their progress.

    Refreshed as a whole by `services.unit_progress_refresh` (the scheduler, every few minutes),
    so that the organization page reads a handful of rows instead of recomputing every
    objective's progress on every request. Restricted objectives are never stored here: each
    page adds the few a person may see, live (selectors.organization_page).
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    objectives = models.PositiveIntegerField()
    progress_sum = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="unitprogress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.cycle_id}: {self.objectives}"


def contributor_counts_sql(roots: int, hidden: str) -> str:
    """SQL counting, for each of `roots` objectives (that many %s parameters), the objectives
    that contribute to it directly or further down, leaving out those in the `hidden` subquery
    and what is reachable only through them (its parameters follow the roots', twice).

    UNION (not UNION ALL) stops at edges already seen, so even a cyclic graph ends."""
    table = Objective.contributes_to.through._meta.db_table
    marks = ", ".join(["%s"] * roots)
    return f"""
        WITH RECURSIVE down(root, lower) AS (
            SELECT to_objective_id, from_objective_id FROM {table}
            WHERE to_objective_id IN ({marks}) AND from_objective_id NOT IN ({hidden})
            UNION
            SELECT down.root, t.from_objective_id FROM {table} t
            JOIN down ON t.to_objective_id = down.lower
            WHERE t.from_objective_id NOT IN ({hidden})
        )
        SELECT root, COUNT(DISTINCT lower) FROM down GROUP BY root
    """  # noqa: S608 - table names and the subquery come from the models; values are parameters


class ContributorCount(models.Model):
    """Precomputed: how many objectives contribute to an organization objective, directly or
    further down, counted through open objectives only (what everyone may see) and through
    all (what the OKR office sees). Refreshed with the unit roll-ups; the strategy page counts
    live for the few people who see a restricted objective that contributes somewhere."""

    objective = models.OneToOneField(
        Objective, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    open_contributors = models.PositiveIntegerField()
    all_contributors = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.objective_id}: {self.open_contributors}/{self.all_contributors}"


class UnitProgressRefresh(models.Model):
    """One row: when the roll-ups were last refreshed (pages say how fresh they are)."""

    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.refreshed_at.isoformat()
