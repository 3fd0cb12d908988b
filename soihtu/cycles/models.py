from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Period:
    """What years and cycles share: a span of dates."""

    starts_on: datetime.date
    ends_on: datetime.date

    def elapsed_share(self, today: datetime.date | None = None) -> float:
        """How much of the period has passed, 0.0–1.0: the expected progress of a key result."""
        today = today or timezone.localdate()
        total = (self.ends_on - self.starts_on).days
        done = (today - self.starts_on).days
        return min(max(done / total, 0.0), 1.0)


class Year(Period, models.Model):
    """The period for organization objectives."""

    number = models.PositiveSmallIntegerField(_("year"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("year")
        verbose_name_plural = _("years")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="year_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return str(self.number)


class CycleQuerySet(models.QuerySet["Cycle"]):
    def current(self, today: datetime.date | None = None) -> Cycle | None:
        """The current cycle (see `current_among`): one query."""
        return current_among(self.select_related("year"), today)


def current_among[P: Period](cycles: Iterable[P], today: datetime.date | None = None) -> P | None:
    """The cycle (or year) containing today, else the latest that has begun, else the first to
    come.

    The one rule for "the current cycle", for pages that already hold the list of cycles.
    """
    today = today or timezone.localdate()
    ordered = sorted(cycles, key=lambda c: c.starts_on)
    begun = [c for c in ordered if c.starts_on <= today]
    return begun[-1] if begun else (ordered[0] if ordered else None)


class Cycle(Period, models.Model):
    """A period of team objectives inside a year: a tertial (four months) by default."""

    class State(models.TextChoices):
        PLANNING = "planning", _("planning")
        ACTIVE = "active", _("active")
        REVIEW = "review", _("review")
        CLOSED = "closed", _("closed")

    year = models.ForeignKey(
        Year, verbose_name=_("year"), on_delete=models.PROTECT, related_name="cycles"
    )
    name = models.CharField(_("name"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNING
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cycle_ends_after_start"
            ),
            models.UniqueConstraint(fields=["year", "name"], name="cycle_unique_name_in_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year.number} {self.name}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class TeamCycle(models.Model):
    """A team's own course through a cycle: choosing goals with the staff (planning), active,
    the retrospective (review) and closed. Created when planning opens; a team without one
    follows the cycle's own state."""

    team = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="team_cycles",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="team_cycles"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=Cycle.State.choices, default=Cycle.State.PLANNING
    )
    planning_opened_at = models.DateTimeField(_("planning opened"), null=True, blank=True)
    planning_opened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    activated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Share of the team's members who took part in choosing goals, when the cycle was activated.
    participation_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    activated_below_half = models.BooleanField(
        _("activated with fewer than half taking part"), default=False
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("team cycle")
        verbose_name_plural = _("team cycles")
        constraints = [
            models.UniqueConstraint(fields=["team", "cycle"], name="team_cycle_once"),
            models.CheckConstraint(
                condition=Q(participation_percent__isnull=True) | Q(participation_percent__lte=100),
                name="team_cycle_participation_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.cycle}"
