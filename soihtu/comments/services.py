"""Writing comments: each write is one transaction, audited, and tells the people concerned.

The audit trail records who wrote, edited or deleted which comment and whom it mentioned, never
its text: a deleted comment's words are gone, also from the history. Comment events are not
tied to the objective's own audit trail (its page shows the conversation beside it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.comments import mentions
from soihtu.comments.access import Target, people_who_see, readers
from soihtu.comments.models import BODY_MAX, Comment, CommentMention
from soihtu.core.errors import EditConflictError
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification

COMMENT_FIELDS = [
    "objective",
    "key_result",
    "checkin",
    "parent",
    "author",
    "edited_at",
    "deleted_at",
]
DETAIL_WORDS = 30


class CommentGoneError(Exception):
    """The comment was deleted before this write; nothing was written."""


def clean_body(body: str) -> str:
    """The text as stored: trimmed, not empty, at most BODY_MAX characters (ValidationError)."""
    body = body.strip().replace("\x00", "")
    if not body:
        raise ValidationError(_("Write a comment first."))
    if len(body) > BODY_MAX:
        raise ValidationError(
            _("A comment can be at most %(limit)s characters.") % {"limit": BODY_MAX}
        )
    return body


def _audit(actor: User, action: str, comment: Comment, before: dict[str, object] | None) -> None:
    after = snapshot(comment, COMMENT_FIELDS)
    after["mentioned"] = sorted(comment.mentions.values_list("user_id", flat=True))
    audit_record(actor=actor, action=action, instance=comment, before=before, after=after)


def _mentioned_people(target: Target, body: str) -> list[User]:
    """The people the text mentions who may see the target (one query)."""
    handles = mentions.handles_in(body)
    if not handles:
        return []
    candidates = User.objects.filter(people_who_see(target.objective)).filter(
        mentions.handles_q(handles)
    )
    return mentions.matching(candidates, handles)


def _excerpt(body: str) -> str:
    words = body.split()
    return " ".join(words[:DETAIL_WORDS]) + (" …" if len(words) > DETAIL_WORDS else "")


def _notify(
    *,
    target: Target,
    comment: Comment,
    author: User,
    mentioned: Iterable[User],
    replied: Iterable[User],
) -> None:
    """Mentioned people are told they were mentioned; the others concerned that someone
    replied; nobody twice for one comment, nor the author (people_notify leaves them out)."""
    mentioned_ids = {person.pk for person in mentioned}
    replied_ids = {person.pk for person in replied} - mentioned_ids
    url = target.url(comment.pk)
    detail = _excerpt(comment.body)
    for event, ids in [
        (Notification.Event.MENTIONED, mentioned_ids),
        (Notification.Event.REPLIED, replied_ids),
    ]:
        if ids:
            people_notify(
                recipients=ids,
                event=event,
                actor=author,
                subject=target.title,
                url=url,
                detail=detail,
            )


def _answered(target: Target, parent: Comment | None) -> list[User]:
    """Who is answered by a new comment: the author of the comment replied to, or of the
    check-in commented on; only if they may still see the target."""
    person = None
    if parent is not None and not parent.is_deleted:
        person = parent.author
    elif parent is None and target.checkin is not None:
        person = target.checkin.author
    if person is None:
        return []
    return readers(target.objective, [person])


@transaction.atomic
def comment_create(
    *, author: User, target: Target, body: str, parent: Comment | None = None
) -> Comment:
    """Write a comment on the target, or a reply to one of its comments (a reply to a reply
    answers the top comment: replies are one level deep). Mentions the people it names who may
    see the target and tells them, and the person answered. ValidationError for an empty or
    too long text or a parent on another target; nothing is written then."""
    body = clean_body(body)
    if parent is not None:
        if not target.holds(parent):
            raise ValidationError(_("The comment you reply to is not in this conversation."))
        if parent.parent_id is not None:
            parent = Comment.objects.select_related("author").get(pk=parent.parent_id)
    comment = Comment.objects.create(
        **target.comment_fields(), parent=parent, author=author, body=body
    )
    mentioned = _mentioned_people(target, body)
    CommentMention.objects.bulk_create(
        [CommentMention(comment=comment, user=person) for person in mentioned]
    )
    _audit(author, AuditEvent.Action.CREATE, comment, None)
    _notify(
        target=target,
        comment=comment,
        author=author,
        mentioned=mentioned,
        replied=_answered(target, parent),
    )
    return comment


def _locked(comment: Comment) -> Comment:
    fresh = Comment.objects.select_for_update().get(pk=comment.pk)
    if fresh.is_deleted:
        raise CommentGoneError
    return fresh


@transaction.atomic
def comment_edit(
    *,
    actor: User,
    target: Target,
    comment: Comment,
    body: str,
    seen_edited_at: datetime.datetime | None,
) -> Comment:
    """Change the text of one's own comment, as it was when the editor opened it
    (`seen_edited_at`): EditConflictError when it has been edited since, CommentGoneError when
    deleted. People newly mentioned are told; those no longer mentioned lose the mention."""
    body = clean_body(body)
    fresh = _locked(comment)
    if fresh.edited_at != seen_edited_at:
        raise EditConflictError
    before = snapshot(fresh, COMMENT_FIELDS)
    before["mentioned"] = sorted(fresh.mentions.values_list("user_id", flat=True))
    fresh.body = body
    fresh.edited_at = timezone.now()
    fresh.save(update_fields=["body", "edited_at"])
    mentioned = _mentioned_people(target, body)
    already = set(before["mentioned"])
    fresh.mentions.exclude(user__in=[p.pk for p in mentioned]).delete()
    new = [p for p in mentioned if p.pk not in already]
    CommentMention.objects.bulk_create([CommentMention(comment=fresh, user=p) for p in new])
    _audit(actor, AuditEvent.Action.UPDATE, fresh, before)
    _notify(target=target, comment=fresh, author=actor, mentioned=new, replied=[])
    return fresh


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """Delete a comment: its text and mentions go, its row stays so that the thread shows
    "Comment deleted" with its replies in place. The author deletes their own; the OKR office
    any (moderation: the audit event says so). CommentGoneError when already deleted."""
    fresh = _locked(comment)
    before = snapshot(fresh, COMMENT_FIELDS)
    before["mentioned"] = sorted(fresh.mentions.values_list("user_id", flat=True))
    fresh.body = ""
    fresh.deleted_at = timezone.now()
    fresh.save(update_fields=["body", "deleted_at"])
    fresh.mentions.all().delete()
    after = snapshot(fresh, COMMENT_FIELDS)
    after["mentioned"] = []
    after["moderated"] = fresh.author_id != actor.pk
    audit_record(
        actor=actor, action=AuditEvent.Action.DELETE, instance=fresh, before=before, after=after
    )
    return fresh


def mentions_anonymize(*, person: User, label: str) -> int:
    """Replace the person's handles by `label` in the comments that mention them (called when
    anonymizing them, in that transaction, before their names go). Returns how many changed."""
    changed = []
    for comment in Comment.objects.filter(mentions__user=person).select_for_update(of=("self",)):
        body = mentions.anonymize_handles(comment.body, person, label)
        if body != comment.body:
            comment.body = body
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["body"])
    return len(changed)
