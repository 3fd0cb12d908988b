"""comment_create, comment_edit and comment_delete: one level of replies, conflicts, deletion
that keeps the thread, moderation by the OKR office; each write audited, without the text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from soihtu.audit.models import AuditEvent
from soihtu.checkins.services import checkin_create
from soihtu.comments.access import Target
from soihtu.comments.models import Comment
from soihtu.comments.services import (
    CommentGoneError,
    comment_create,
    comment_delete,
    comment_edit,
)
from soihtu.conftest import World
from soihtu.core.errors import EditConflictError

pytestmark = pytest.mark.django_db


def _events(comment: Comment) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="comment", target_id=comment.pk).order_by("pk")
    )


def test_create_writes_on_exactly_one_target_and_is_audited(world: World) -> None:
    comment = comment_create(
        author=world.member, target=Target(world.objective_a, world.kr_a1), body="  Hyvä!  "
    )
    assert (comment.key_result, comment.objective, comment.checkin) == (world.kr_a1, None, None)
    assert comment.body == "Hyvä!"
    [event] = _events(comment)
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, world.member)
    assert event.after is not None
    assert event.after["key_result"] == world.kr_a1.pk
    assert "Hyvä" not in str(event.after)  # the words are never in the audit trail


def test_a_comment_on_a_checkin(world: World) -> None:
    checkin = checkin_create(
        author=world.member, key_result=world.kr_a1, value=Decimal(10), confidence=6
    )
    target = Target(world.objective_a, world.kr_a1, checkin)
    comment = comment_create(author=world.torchbearer, target=target, body="Hienoa")
    assert comment.checkin == checkin


def test_a_reply_to_a_reply_answers_the_top_comment(world: World) -> None:
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="1")
    reply = comment_create(author=world.torchbearer, target=target, body="2", parent=top)
    deeper = comment_create(author=world.supervisor, target=target, body="3", parent=reply)
    assert reply.parent == top
    assert deeper.parent == top


def test_a_reply_must_be_in_the_same_thread(world: World) -> None:
    other = comment_create(author=world.member, target=Target(world.objective_b), body="B")
    with pytest.raises(ValidationError):
        comment_create(
            author=world.member, target=Target(world.objective_a), body="A", parent=other
        )
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_empty_or_too_long_text_is_refused(world: World, body: str) -> None:
    with pytest.raises(ValidationError):
        comment_create(author=world.member, target=Target(world.objective_a), body=body)
    assert not Comment.objects.exists()
    assert not AuditEvent.objects.filter(target_type="comment").exists()


def test_edit_changes_the_text_and_is_audited(world: World) -> None:
    target = Target(world.objective_a)
    comment = comment_create(author=world.member, target=target, body="Vanha")
    edited = comment_edit(
        actor=world.member, target=target, comment=comment, body="Uusi", seen_edited_at=None
    )
    assert edited.body == "Uusi"
    assert edited.edited_at is not None
    events = _events(comment)
    assert [e.action for e in events] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert "Uusi" not in str(events[1].after)


def test_edit_with_an_old_version_is_a_conflict_and_changes_nothing(world: World) -> None:
    target = Target(world.objective_a)
    comment = comment_create(author=world.member, target=target, body="Vanha")
    first = comment_edit(
        actor=world.member, target=target, comment=comment, body="Eka", seen_edited_at=None
    )
    with pytest.raises(EditConflictError):
        comment_edit(
            actor=world.member, target=target, comment=comment, body="Toka", seen_edited_at=None
        )
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Eka", first.edited_at)
    again = comment_edit(
        actor=world.member,
        target=target,
        comment=comment,
        body="Toka",
        seen_edited_at=first.edited_at,
    )
    assert again.body == "Toka"


def test_delete_clears_the_text_keeps_the_row_and_the_replies(world: World) -> None:
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="Pois @torchbearer_a")
    reply = comment_create(author=world.torchbearer, target=target, body="Jää", parent=top)
    comment_delete(actor=world.member, comment=top)
    top.refresh_from_db()
    assert top.body == ""
    assert top.is_deleted
    assert not top.mentions.exists()
    assert Comment.objects.get(pk=reply.pk).body == "Jää"
    event = _events(top)[-1]
    assert event.action == AuditEvent.Action.DELETE
    assert event.after is not None
    assert event.after["moderated"] is False
    with pytest.raises(CommentGoneError):
        comment_delete(actor=world.member, comment=top)
    with pytest.raises(CommentGoneError):
        comment_edit(actor=world.member, target=target, comment=top, body="x", seen_edited_at=None)


def test_the_okr_office_deleting_someones_comment_is_recorded_as_moderation(world: World) -> None:
    comment = comment_create(author=world.member, target=Target(world.objective_a), body="Asiaton")
    comment_delete(actor=world.admin, comment=comment)
    event = _events(comment)[-1]
    assert (event.actor, event.action) == (world.admin, AuditEvent.Action.DELETE)
    assert event.after is not None
    assert event.after["moderated"] is True


def test_deleting_the_objective_deletes_its_conversation(world: World) -> None:
    comment_create(author=world.member, target=Target(world.objective_a, world.kr_a1), body="x")
    comment_create(author=world.member, target=Target(world.objective_a), body="y")
    world.objective_a.delete()
    assert not Comment.objects.exists()
