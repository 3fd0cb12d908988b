"""The conversation on goals: comments on an objective, a key result or a check-in.

A comment is on exactly one of the three; whoever may see the objective may read and write the
comments on it, on its key results and on their check-ins (comments/access.py). Replies are one
level deep. A deleted comment keeps its row (without its text) so that its replies stay in
place under "Comment deleted".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.checkins.models import CheckIn
from soihtu.okrs.models import KeyResult, Objective

BODY_MAX = 4000

# Exactly one target is set.
ONE_TARGET = (
    Q(objective__isnull=False, key_result__isnull=True, checkin__isnull=True)
    | Q(objective__isnull=True, key_result__isnull=False, checkin__isnull=True)
    | Q(objective__isnull=True, key_result__isnull=True, checkin__isnull=False)
)


class Comment(models.Model):
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    key_result = models.ForeignKey(
        KeyResult,
        verbose_name=_("key result"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    checkin = models.ForeignKey(
        CheckIn,
        verbose_name=_("check-in"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    # A reply: always to a top-level comment of the same target (comment_create flattens).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(_("comment"), blank=True, max_length=BODY_MAX)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            # A thread, by its target, oldest first; partial, since each row has one target.
            models.Index(
                fields=["objective", "created_at"],
                condition=Q(objective__isnull=False),
                name="comment_on_objective",
            ),
            models.Index(
                fields=["key_result", "created_at"],
                condition=Q(key_result__isnull=False),
                name="comment_on_key_result",
            ),
            models.Index(
                fields=["checkin", "created_at"],
                condition=Q(checkin__isnull=False),
                name="comment_on_checkin",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="comment_one_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def target_title(self) -> str:
        """The title of what the comment is on (a check-in's key result); its relations must be
        loaded to avoid queries."""
        if self.objective_id is not None:
            assert self.objective is not None
            return self.objective.title
        if self.key_result_id is not None:
            assert self.key_result is not None
            return self.key_result.title
        assert self.checkin is not None
        return self.checkin.key_result.title


class CommentMention(models.Model):
    """A person mentioned in a comment (who could see its target when it was written): for
    their notification and their personal-data export."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="comment_mentions",
    )

    class Meta:
        verbose_name = _("mention in a comment")
        verbose_name_plural = _("mentions in comments")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_mention_once")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.user_id}"
