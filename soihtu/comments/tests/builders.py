"""Comments written straight into the database, for tests of other apps (the exchange's round
trip) that need every field of a comment to carry a value."""

from __future__ import annotations

from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.comments.models import Comment, CommentMention
from soihtu.okrs.models import KeyResult


def add_comments(key_result: KeyResult, checkin: CheckIn | None) -> list[Comment]:
    """A thread on the key result's objective (an edited comment mentioning someone, and a
    deleted reply), a comment on the key result and one on the check-in."""
    assert checkin is not None
    author = User.objects.filter(anonymized_at__isnull=True).order_by("pk").first()
    assert author is not None
    top = Comment.objects.create(
        objective=key_result.objective,
        author=author,
        body=f"Hyvä alku, @{author.username}!\nJatketaan.",
        edited_at=timezone.now(),
    )
    CommentMention.objects.create(comment=top, user=author)
    reply = Comment.objects.create(
        objective=key_result.objective, parent=top, author=None, deleted_at=timezone.now()
    )
    on_key_result = Comment.objects.create(key_result=key_result, author=author, body="Mittari?")
    on_checkin = Comment.objects.create(checkin=checkin, author=author, body="Hienoa.")
    return [top, reply, on_key_result, on_checkin]
