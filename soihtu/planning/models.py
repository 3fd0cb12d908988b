"""Choosing goals together: proposals, the people credited for them, comments and supports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit

MEASURE_MAX = 200


class Proposal(models.Model):
    """An objective or key result that a team member proposes for the team's next cycle."""

    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("objective")
        KEY_RESULT = "key_result", _("key result")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        MERGED = "merged", _("merged")
        DECLINED = "declined", _("declined")

    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="proposals"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OBJECTIVE)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    # For a key-result proposal: the team's objective in the cycle that it would measure.
    target_objective = models.ForeignKey(
        Objective,
        verbose_name=_("for objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    measure = models.CharField(_("how to measure"), max_length=MEASURE_MAX, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    decline_reason = models.TextField(_("reason"), blank=True, max_length=TEXT_MAX)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    accepted_objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["team", "cycle", "status"], name="proposal_team_cycle_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="proposal_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_key_result(self) -> bool:
        return self.kind == self.Kind.KEY_RESULT


class ProposalAuthor(models.Model):
    """Credit for a proposal: its author, and the authors of proposals merged into it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_credits"
    )

    class Meta:
        verbose_name = _("proposal author")
        verbose_name_plural = _("proposal authors")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="proposal_author_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.proposal}"


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposal_comments",
    )
    text = models.TextField(_("comment"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ProposalSupport(models.Model):
    """One person's support for one proposal: at most one each."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="proposal_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.proposal}"
