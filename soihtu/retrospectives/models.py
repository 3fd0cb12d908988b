"""The four-month retrospective of a team: per objective what happened and what we learned,
scores adjusted with a reason, the team's notes on its way of working, and who took part."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit

TEXT_MAX = 2000
REASON_MAX = 500
SCORE_RANGE = Q(adjusted_score__gte=Decimal("0.0"), adjusted_score__lte=Decimal("1.0"))


class Retrospective(models.Model):
    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="retrospectives"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="retrospectives"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what_worked = models.TextField(
        _("what worked in our way of working"), blank=True, max_length=TEXT_MAX
    )
    what_we_change = models.TextField(_("what we change"), blank=True, max_length=TEXT_MAX)

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        constraints = [
            models.UniqueConstraint(fields=["team", "cycle"], name="retrospective_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.cycle}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class RetrospectiveParticipant(models.Model):
    """A person who took part: recorded when they save anything, or ticked by a leader."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retrospectives_joined"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retrospective participant")
        verbose_name_plural = _("retrospective participants")
        constraints = [
            models.UniqueConstraint(
                fields=["retrospective", "user"], name="retrospective_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.retrospective}"


class ObjectiveReview(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        PARTLY = "partly", _("partly reached")
        NOT_REACHED = "not_reached", _("not reached")

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="objective_reviews"
    )
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="reviews"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    why = models.TextField(_("why"), blank=True, max_length=TEXT_MAX)
    learned = models.TextField(_("what we learned"), blank=True, max_length=TEXT_MAX)
    try_next = models.TextField(_("what we will try next"), blank=True, max_length=TEXT_MAX)
    internal = models.BooleanField(_("keep the learning inside the team"), default=False)
    adjusted_score = models.DecimalField(
        _("adjusted score"), max_digits=2, decimal_places=1, null=True, blank=True
    )
    adjust_reason = models.CharField(
        _("reason for the adjustment"), max_length=REASON_MAX, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("objective review")
        verbose_name_plural = _("objective reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["retrospective", "objective"], name="objective_review_once"
            ),
            models.CheckConstraint(
                condition=Q(adjusted_score__isnull=True) | SCORE_RANGE,
                name="objective_review_score_range",
            ),
            models.CheckConstraint(
                condition=Q(adjusted_score__isnull=True) | ~Q(adjust_reason=""),
                name="objective_review_adjust_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective} ({self.retrospective})"


def unreviewed_objectives(
    objectives: Iterable[Objective], outcomes: Mapping[int, str]
) -> list[Objective]:
    """The objectives (not cancelled) whose review has no outcome yet; `outcomes` maps
    objective ids to their review's outcome. Completing the retrospective asks to confirm
    leaving these without a review."""
    return [
        o
        for o in objectives
        if o.status != Objective.Status.CANCELLED and not outcomes.get(o.pk, "")
    ]


class KeyResultScore(models.Model):
    """The team's own score for a key result, when the proposed one does not tell the truth."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="key_result_scores"
    )
    key_result = models.ForeignKey(
        KeyResult, verbose_name=_("key result"), on_delete=models.CASCADE, related_name="+"
    )
    adjusted_score = models.DecimalField(_("adjusted score"), max_digits=2, decimal_places=1)
    reason = models.CharField(_("reason for the adjustment"), max_length=REASON_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("key result score")
        verbose_name_plural = _("key result scores")
        constraints = [
            models.UniqueConstraint(
                fields=["retrospective", "key_result"], name="key_result_score_once"
            ),
            models.CheckConstraint(condition=SCORE_RANGE, name="key_result_score_range"),
            models.CheckConstraint(condition=~Q(reason=""), name="key_result_score_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.key_result} ({self.retrospective})"
