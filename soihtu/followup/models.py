"""Follow-up: the log of reminders sent (which makes sending idempotent) and the team's
follow-up meetings (so the meeting page can show what changed since the last one)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Unit


class ReminderLog(models.Model):
    """One reminder claimed for one person and one cadence period.

    The row is inserted before the email is sent; the unique constraint on (kind, user,
    period_key) is the claim, so two schedulers running at once, or the same one twice,
    never send the same reminder twice. `sent_at` is set once the email has gone out.
    """

    class Kind(models.TextChoices):
        DUE_REMINDER = "due_reminder", _("check-in reminder")
        STALE_SUMMARY = "stale_summary", _("stale key results summary")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="reminder_logs",
    )
    key_result = models.ForeignKey(
        KeyResult,
        verbose_name=_("key result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="reminder_logs"
    )
    period_key = models.CharField(_("period"), max_length=100)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "period_key"], name="reminder_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["user", "kind", "claimed_at"], name="reminder_user_week")]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.period_key}"


NOTES_MAX = 4000


class FollowUpMeeting(models.Model):
    """A follow-up meeting the team held: the meeting page shows what changed since, and the
    notes, so that the next meeting picks up from them."""

    team = models.ForeignKey(
        Unit,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="follow_up_meetings",
    )
    held_at = models.DateTimeField(_("held"), default=timezone.now)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX)

    class Meta:
        verbose_name = _("follow-up meeting")
        verbose_name_plural = _("follow-up meetings")
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["team", "held_at"], name="followup_meeting_team")]

    def __str__(self) -> str:
        return f"{self.team} {self.held_at:%Y-%m-%d}"
