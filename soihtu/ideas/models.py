"""Ideas: recorded by anyone in a team, tied to the goals they serve, followed new → tried →
adopted (or dropped), with every step's who and when kept in IdeaStep."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit

NOTE_MAX = 500


class Idea(models.Model):
    class Source(models.TextChoices):
        PLAIN = "plain", _("on its own")
        CHECKIN = "checkin", _("from a check-in")
        RETROSPECTIVE = "retrospective", _("from a retrospective")

    class State(models.TextChoices):
        NEW = "new", _("new")
        TRIED = "tried", _("tried")
        ADOPTED = "adopted", _("adopted")
        DROPPED = "dropped", _("dropped")

    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.PLAIN
    )
    checkin = models.ForeignKey(
        CheckIn,
        verbose_name=_("check-in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    objectives = models.ManyToManyField(
        Objective, verbose_name=_("objectives"), related_name="ideas", blank=True
    )
    key_results = models.ManyToManyField(
        KeyResult, verbose_name=_("key results"), related_name="ideas", blank=True
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        help_text=_("The cycle when the idea was recorded."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "state"], name="idea_team_state")]

    def __str__(self) -> str:
        return self.title


class IdeaStep(models.Model):
    """One step of an idea: recorded (from_state empty), tried, adopted, dropped or revived."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="steps"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=Idea.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Idea.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("step of an idea")
        verbose_name_plural = _("steps of ideas")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_state", "at"], name="ideastep_state_at")]

    def __str__(self) -> str:
        return f"{self.idea}: {self.from_state} → {self.to_state}"
