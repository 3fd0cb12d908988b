from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.okrs.models import TEXT_MAX, KeyResult


class CheckIn(models.Model):
    """One follow-up of a key result: a new value, a confidence and a note. Never edited."""

    key_result = models.ForeignKey(
        KeyResult, verbose_name=_("key result"), on_delete=models.CASCADE, related_name="checkins"
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    measured_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["measured_on", "created_at", "id"]
        indexes = [models.Index(fields=["key_result", "measured_on"], name="checkin_kr_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=10), name="checkin_confidence_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_result} @ {self.created_at:%Y-%m-%d}"
