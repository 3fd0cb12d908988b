"""The anonymous OKR survey.

Anonymity is structural: `Respondent` records *that* a person answered a round, `Response` and
`Answer` record *what* was answered, and nothing links the two. A response keeps only what the
breakdowns need (a unit at the round's breakdown level, whether the person's team uses OKRs and
the day, never the time). Responses have random UUID keys so that their order cannot be matched
with the order of Respondent rows.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from soihtu.organization.models import Unit

MIN_GROUP = 5  # the smallest group whose answers are ever shown


class SurveyRound(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        # A proposal is "open" too, and Swedish inflects the word by gender (öppen/öppet).
        OPEN = "open", pgettext_lazy("survey round state", "open")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    breakdown_depth = models.PositiveSmallIntegerField(
        _("breakdown level"),
        default=1,
        help_text=_("The unit level kept with each answer: 1 = division, 2 = the level below."),
    )
    audience = models.ManyToManyField(
        Unit,
        verbose_name=_("audience"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to ask the whole organization."),
    )
    results_published = models.BooleanField(
        _("results published"),
        default=False,
        editable=False,
        help_text=_("The organization-level results are shown to everyone signed in."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="surveyround_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(breakdown_depth__gte=1, breakdown_depth__lte=6),
                name="surveyround_depth_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_answerable(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("agree or disagree (1–5)")
        YES_NO = "yes_no", _("yes or no")
        TEXT = "text", _("free text")

    round = models.ForeignKey(
        SurveyRound, on_delete=models.CASCADE, related_name="questions", verbose_name=_("round")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_("The same key in another round makes the question's trend."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text_fi = models.CharField(_("question (Finnish)"), max_length=300)
    text_sv = models.CharField(_("question (Swedish)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="question_key_once_per_round"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        language = (get_language() or "fi")[:2]
        value: str = getattr(self, f"text_{language}", "") or self.text_fi
        return value


class Respondent(models.Model):
    """That a person has answered a round (and nothing about what they answered)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="respondent_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.user_id}"


class Invitation(models.Model):
    """An invitation email sent to a person for a round (so that sending is idempotent)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="invitation_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.user_id}"


class Response(models.Model):
    """One person's answers, anonymous: no link to a person, no time of day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    breakdown_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team_uses_okrs = models.BooleanField(default=False)
    submitted_on = models.DateField()
    # False until `responses_mix` has rewritten the row among the round's others, which breaks
    # the database-level traces (transaction id, physical order) linking it to its Respondent.
    mixed = models.BooleanField(default=False, editable=False)

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    likert = models.PositiveSmallIntegerField(null=True, blank=True)  # null: "can't say"
    yes_no = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(likert__isnull=True) | Q(likert__gte=1, likert__lte=5),
                name="answer_likert_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)
