"""Reading conversations for pages: a fixed number of queries whatever their length.

The objective page reads every comment of the objective, of its key results and of their
check-ins at once, from the key results and check-ins it has already loaded: one query with the
authors and the names of the people they mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Concat

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.comments import access
from soihtu.comments.access import Target
from soihtu.comments.mentions import render_body, spellings
from soihtu.comments.models import Comment, CommentMention
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.roles import Actor


@dataclass
class Thread:
    """The comments on one target, oldest first, each with its replies (`reply_list`)."""

    target: Target
    comments: list[Comment] = field(default_factory=list)
    can_comment: bool = False

    @property
    def count(self) -> int:
        replies: list[list[Comment]] = [c.reply_list for c in self.comments]  # type: ignore[attr-defined]
        return sum(1 + len(r) for r in replies)


@dataclass
class KeyResultConversation:
    key_result: KeyResult
    thread: Thread
    checkins: list[Thread]  # newest check-in first


@dataclass
class Conversation:
    """An objective's conversation: on it, on each key result, on each check-in."""

    thread: Thread
    key_results: list[KeyResultConversation]

    @property
    def count(self) -> int:
        threads = [self.thread] + [t for kr in self.key_results for t in [kr.thread, *kr.checkins]]
        return sum(t.count for t in threads)


SEPARATOR = "\x1f"  # between the names of one mentioned person (never in a name)


def _comments(condition: Q) -> QuerySet[Comment]:
    """The comments with their authors, and each comment's mentioned people (username, first
    and last name) as one text column: one query."""
    between = Value(SEPARATOR)
    fields = [F("user__username"), between, F("user__first_name"), between, F("user__last_name")]
    mentioned = (
        CommentMention.objects.filter(comment=OuterRef("pk"))
        .order_by()
        .values("comment")
        .annotate(people=StringAgg(Concat(*fields), delimiter=Value("\n")))
        .values("people")
    )
    return (
        Comment.objects.filter(condition)
        .select_related("author")
        .annotate(mentioned_people=Subquery(mentioned))
        .order_by("created_at", "id")
    )


def _mentioned(comment: Comment) -> list[User]:
    """The people the comment mentions, as unsaved rows holding their names."""
    text: str = getattr(comment, "mentioned_people", None) or ""
    people = []
    for line in text.split("\n"):
        username, _sep, rest = line.partition(SEPARATOR)
        first, _sep, last = rest.partition(SEPARATOR)
        if username:
            people.append(User(username=username, first_name=first, last_name=last))
    return people


def _decorate(actor: Actor, comment: Comment) -> None:
    """What the template shows of one comment, for this person."""
    people = _mentioned(comment)
    comment.html = render_body(comment.body, people)  # type: ignore[attr-defined]
    comment.can_edit = access.edit_refusal(actor, comment) is None  # type: ignore[attr-defined]
    comment.can_delete = access.delete_refusal(actor, comment) is None  # type: ignore[attr-defined]
    comment.reply_list = []  # type: ignore[attr-defined]


def _fill(
    actor: Actor, threads: dict[tuple[str, int], Thread], comments: Iterable[Comment]
) -> None:
    """Put each comment in its thread, replies under their top comment."""
    tops: dict[int, Comment] = {}
    replies: list[Comment] = []
    for comment in comments:
        _decorate(actor, comment)
        if comment.parent_id is None:
            tops[comment.pk] = comment
            thread = threads.get(_key_of(comment))
            if thread is not None:
                thread.comments.append(comment)
        else:
            replies.append(comment)
    for reply in replies:
        top = tops.get(reply.parent_id or 0)
        if top is not None:
            top.reply_list.append(reply)  # type: ignore[attr-defined]


def _key_of(comment: Comment) -> tuple[str, int]:
    if comment.checkin_id is not None:
        return (access.Kind.CHECKIN, comment.checkin_id)
    if comment.key_result_id is not None:
        return (access.Kind.KEY_RESULT, comment.key_result_id)
    return (access.Kind.OBJECTIVE, comment.objective_id or 0)


def objective_conversation(
    actor: Actor, objective: Objective, key_results: list[KeyResult], checkins: list[CheckIn]
) -> Conversation:
    """The conversation of an objective page (the objective fetched through access), from the
    key results and check-ins it shows: one query."""
    can = access.can_comment(actor, Target(objective))
    thread = Thread(Target(objective), can_comment=can)
    threads: dict[tuple[str, int], Thread] = {(access.Kind.OBJECTIVE, objective.pk): thread}
    by_kr: dict[int, KeyResultConversation] = {}
    for kr in key_results:
        kr_thread = Thread(Target(objective, kr), can_comment=can)
        threads[(access.Kind.KEY_RESULT, kr.pk)] = kr_thread
        by_kr[kr.pk] = KeyResultConversation(kr, kr_thread, [])
    for checkin in sorted(
        checkins, key=lambda c: (c.measured_on, c.created_at, c.pk), reverse=True
    ):
        conversation = by_kr.get(checkin.key_result_id)
        if conversation is None:
            continue
        checkin_thread = Thread(
            Target(objective, conversation.key_result, checkin), can_comment=can
        )
        threads[(access.Kind.CHECKIN, checkin.pk)] = checkin_thread
        conversation.checkins.append(checkin_thread)
    condition = (
        Q(objective=objective)
        | Q(key_result_id__in=list(by_kr))
        | Q(checkin_id__in=[c.pk for c in checkins])
    )
    _fill(actor, threads, _comments(condition))
    for conversation in by_kr.values():
        conversation.checkins = _worth_showing(conversation.checkins)
    return Conversation(thread, list(by_kr.values()))


def _worth_showing(threads: list[Thread]) -> list[Thread]:
    """A key result's check-in threads worth a place on the objective page (newest first): the
    newest check-in's, to comment on the latest news, and those that carry a note or comments.
    A check-in with neither is in the history already; a form for each of them would double an
    objective page of long history in size and time (docs/comments.md)."""
    return [
        t
        for n, t in enumerate(threads)
        if n == 0 or t.comments or (t.target.checkin is not None and t.target.checkin.note)
    ]


def thread_for(actor: Actor, target: Target) -> Thread:
    """One target's thread (target fetched through access): one query."""
    thread = Thread(target, can_comment=access.can_comment(actor, target))
    key = (target.kind, target.pk)
    _fill(actor, {key: thread}, _comments(Q(**target.comment_fields())))
    return thread


def _starts(field_name: str, typed: str) -> Q:
    """The field begins with the typed text, a hyphen standing for a hyphen or a space."""
    condition = Q(pk__in=[])
    for spelling in spellings(typed):
        condition |= Q(**{f"{field_name}__istartswith": spelling})
    return condition


def mention_candidates(target: Target, typed: str, limit: int) -> list[User]:
    """People who may see the target whose first name, last name or username begins with what
    is typed ("ann", "ann.sm" for first and last name): at most `limit`, by name, one query."""
    condition = Q(username__istartswith=typed)
    first, dot, last = typed.partition(".")
    if dot and first:
        condition |= _starts("first_name", first) & _starts("last_name", last)
    else:
        condition |= _starts("first_name", typed) | _starts("last_name", typed)
    people = User.objects.filter(access.people_who_see(target.objective)).filter(condition)
    return list(people.order_by("last_name", "first_name", "username")[:limit])
