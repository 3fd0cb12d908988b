"""Learnings published from retrospectives to the whole organization (unless internal)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.okrs.models import Objective
from soihtu.organization.models import StrategyTheme, Unit

TEXT_MAX = 2000


def internal_by_default(objective: Objective | None) -> bool:
    """Whether a learning about `objective` starts internal to the team: yes for a restricted
    objective (its people chose to keep it inside the unit), no otherwise. The team may still
    choose to share it."""
    return objective is not None and objective.is_restricted


class LearningQuerySet(models.QuerySet["Learning"]):
    def visible_to(
        self, *, unit_ids: frozenset[int] | set[int], is_org_admin: bool
    ) -> LearningQuerySet:
        """Published learnings, and internal ones of the teams the person belongs to."""
        if is_org_admin:
            return self
        return self.filter(Q(internal=False) | Q(team_id__in=unit_ids))


class Learning(models.Model):
    text = models.TextField(_("learning"), max_length=TEXT_MAX)
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learnings",
    )
    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="learnings"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="learnings"
    )
    themes = models.ManyToManyField(
        StrategyTheme, verbose_name=_("strategy themes"), related_name="learnings", blank=True
    )
    internal = models.BooleanField(_("internal to the team"), default=False)
    retrospective = models.ForeignKey(
        "retrospectives.Retrospective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learnings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = LearningQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning")
        verbose_name_plural = _("learnings")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "cycle"], name="learning_team_cycle"),
            # The library lists the newest first: with this index a page reads 20 rows, not all.
            models.Index(fields=["-created_at", "-id"], name="learning_newest_first"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
