"""May this person read, write, edit or delete comments? Views fetch through here only.

A comment follows the visibility of the objective it is on (directly, or through a key result
or a check-in of it): whoever may see the objective (okrs.access.can_see_objective, restricted
objectives included) reads its comments and may comment, except an anonymized person. A
check-in has no visibility of its own: it is seen with its key result's objective. Only the
author edits a comment; the author or the OKR office (moderation) deletes it. Hidden targets
answer 404; a refusal on a visible comment names its reason (`edit_refusal`, `delete_refusal`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.comments.models import Comment
from soihtu.okrs.access import can_see_objective
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.organization.roles import Actor


class Kind(StrEnum):
    """What a thread is on, as written in its addresses."""

    OBJECTIVE = "objective"
    KEY_RESULT = "key-result"
    CHECKIN = "check-in"


@dataclass(frozen=True)
class Target:
    """What a thread is on, with the objective whose visibility it follows (loaded)."""

    objective: Objective
    key_result: KeyResult | None = None
    checkin: CheckIn | None = None

    @property
    def kind(self) -> Kind:
        if self.checkin is not None:
            return Kind.CHECKIN
        return Kind.KEY_RESULT if self.key_result is not None else Kind.OBJECTIVE

    @property
    def pk(self) -> int:
        row = self.checkin or self.key_result or self.objective
        return int(row.pk)

    @property
    def dom_id(self) -> str:
        return f"thread-{self.kind}-{self.pk}"

    @property
    def title(self) -> str:
        """The name of what is commented on: the key result's for a check-in."""
        return self.key_result.title if self.key_result is not None else self.objective.title

    def comment_fields(self) -> dict[str, object]:
        """The comment's target columns."""
        if self.checkin is not None:
            return {"checkin": self.checkin}
        if self.key_result is not None:
            return {"key_result": self.key_result}
        return {"objective": self.objective}

    def holds(self, comment: Comment) -> bool:
        """Whether the comment is on this target."""
        if self.checkin is not None:
            return comment.checkin_id == self.checkin.pk
        if self.key_result is not None:
            return comment.key_result_id == self.key_result.pk
        return comment.objective_id == self.objective.pk

    def url(self, comment_id: int | None = None) -> str:
        """The objective page, at the comment (or at the thread)."""
        page = reverse("okrs:objective", kwargs={"objective_id": self.objective.pk})
        return f"{page}#comment-{comment_id}" if comment_id else f"{page}#{self.dom_id}"


def _objective_target(pk: int) -> Target | None:
    objective = Objective.objects.select_related("owner_unit").filter(pk=pk).first()
    return None if objective is None else Target(objective)


def _key_result_target(pk: int) -> Target | None:
    key_result = KeyResult.objects.select_related("objective__owner_unit").filter(pk=pk).first()
    return None if key_result is None else Target(key_result.objective, key_result)


def _checkin_target(pk: int) -> Target | None:
    checkin = (
        CheckIn.objects.select_related("author", "key_result__objective__owner_unit")
        .filter(pk=pk)
        .first()
    )
    if checkin is None:
        return None
    return Target(checkin.key_result.objective, checkin.key_result, checkin)


LOADERS = {
    Kind.OBJECTIVE: _objective_target,
    Kind.KEY_RESULT: _key_result_target,
    Kind.CHECKIN: _checkin_target,
}


def target_of(comment: Comment) -> Target:
    """The target of a comment loaded with `COMMENT_RELATED`."""
    if comment.checkin is not None:
        kr = comment.checkin.key_result
        return Target(kr.objective, kr, comment.checkin)
    if comment.key_result is not None:
        return Target(comment.key_result.objective, comment.key_result)
    assert comment.objective is not None
    return Target(comment.objective)


COMMENT_RELATED = (
    "author",
    "parent",
    "objective__owner_unit",
    "key_result__objective__owner_unit",
    "checkin__author",
    "checkin__key_result__objective__owner_unit",
)


def can_read(actor: Actor, target: Target) -> bool:
    return can_see_objective(actor, target.objective)


def can_comment(actor: Actor, target: Target) -> bool:
    """Reading is commenting, for anyone who has not been anonymized."""
    return can_read(actor, target) and actor.user.is_active and not actor.user.is_anonymized


def edit_refusal(actor: Actor, comment: Comment) -> str | None:
    """Why the person may not edit the comment (None when they may)."""
    if comment.is_deleted:
        return _("This comment has been deleted.")
    if comment.author_id is None or comment.author_id != actor.user.pk:
        return _("Only its author may edit a comment.")
    return None


def delete_refusal(actor: Actor, comment: Comment) -> str | None:
    """Why the person may not delete the comment (None when they may): its author may, and the
    OKR office, to moderate."""
    if comment.is_deleted:
        return _("This comment has been deleted.")
    if comment.author_id == actor.user.pk or actor.is_org_admin:
        return None
    return _("Only its author or the OKR office may delete a comment.")


def get_target_for_user(actor: Actor, kind: str, pk: int) -> Target:
    """The target if it exists and the person may see it, else 404."""
    loader = LOADERS.get(Kind(kind)) if kind in Kind._value2member_map_ else None
    target = loader(pk) if loader is not None else None
    if target is None or not can_read(actor, target):
        raise Http404
    return target


def get_comment_for_user(actor: Actor, comment_id: int) -> tuple[Comment, Target]:
    """The comment and its target if the person may see them, else 404."""
    comment = Comment.objects.select_related(*COMMENT_RELATED).filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    target = target_of(comment)
    if not can_read(actor, target):
        raise Http404
    return comment, target


def people_who_see(objective: Objective) -> Q:
    """People (User rows) who may see the objective, as a condition: everyone active for an
    open one; for a restricted one the OKR office and the members of its unit or of a unit
    below it (as `Actor.belongs_to` counts it)."""
    active = Q(is_active=True, anonymized_at__isnull=True)
    if not objective.is_restricted:
        return active
    member = Membership.objects.filter(
        user=OuterRef("pk"), unit__path__startswith=objective.owner_unit.path
    )
    return active & (Q(is_org_admin=True) | Q(Exists(member)))


def readers(objective: Objective, people: list[User]) -> list[User]:
    """Those of `people` who may see the objective (no query for an open one)."""
    if not objective.is_restricted:
        return [p for p in people if p.is_active and not p.is_anonymized]
    allowed = set(
        User.objects.filter(people_who_see(objective), pk__in=[p.pk for p in people]).values_list(
            "pk", flat=True
        )
    )
    return [p for p in people if p.pk in allowed]
