"""The practice dashboard's precomputed figures: one row per scope (the whole organization and
each division), replaced by the scheduler every few minutes (docs/dashboard.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeFigures(models.Model):
    """The figures of one scope as of `computed_at`, as `measures.scope_figures` gives them.

    `scope` is the division's materialized path, or "" for the whole organization; the
    unique constraint on it is what the refresh upserts on, so two refreshes running at once
    leave one row. `version` is the shape of `figures`: rows of another shape are not read
    (the page computes them again), so a deployment that changes the shape needs no
    migration of the data.
    """

    scope = models.CharField(_("scope"), max_length=255, blank=True)
    version = models.PositiveSmallIntegerField(_("version"))
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("practice dashboard figures")
        verbose_name_plural = _("practice dashboard figures")
        constraints = [
            models.UniqueConstraint(fields=["scope"], name="practice_figures_one_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.scope or '/'} {self.computed_at:%Y-%m-%d %H:%M}"
