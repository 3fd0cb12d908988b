"""Successes: a team's short story of a reached goal or a good moment, and thanks to the team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit


class Success(models.Model):
    """A success the team shared. Thanks go to the team, never to a person."""

    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="successes"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    story = models.TextField(_("story"), max_length=TEXT_MAX)
    objectives = models.ManyToManyField(
        Objective, verbose_name=_("objectives"), related_name="successes", blank=True
    )
    key_result = models.ForeignKey(
        KeyResult,
        verbose_name=_("key result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successes",
        help_text=_("The reached key result the success came from."),
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("success")
        verbose_name_plural = _("successes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Thanks(models.Model):
    """One person's thanks to the team for one success: at most one per person."""

    success = models.ForeignKey(
        Success, verbose_name=_("success"), on_delete=models.CASCADE, related_name="thanks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        constraints = [
            models.UniqueConstraint(fields=["success", "user"], name="thanks_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.success} ♥"
