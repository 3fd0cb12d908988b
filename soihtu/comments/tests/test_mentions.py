"""Mentions: how handles are read and shown, and who is told what (in the same transaction)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from soihtu.accounts.models import User
from soihtu.checkins.services import checkin_create
from soihtu.comments.access import Target
from soihtu.comments.mentions import handles_in, name_handle, render_body
from soihtu.comments.services import comment_create, comment_edit
from soihtu.conftest import World
from soihtu.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db
Event = Notification.Event


def _told(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("event", flat=True))


def test_handles_are_read_from_plain_text() -> None:
    text = "Hei @Anna-Liisa.Mäki, katso @matti_v. Ei: matti@example.org, @@x, (@ville.k)"
    assert handles_in(text) == ["anna-liisa.mäki", "matti_v", "ville.k"]


def test_a_persons_name_handle() -> None:
    person = User(username="u1", first_name="Mari Anne", last_name="von Wright")
    assert name_handle(person) == "mari-anne.von-wright"
    assert name_handle(User(username="u2", first_name="Ann", last_name="")) == ""


def test_mentions_are_shown_as_names_and_the_rest_is_escaped() -> None:
    person = User(username="ann_s", first_name="Ann", last_name="Smith")
    html = render_body("<b>Hi</b> @ann.smith and @ANN_S\n@nobody", [person])
    assert html == (
        '&lt;b&gt;Hi&lt;/b&gt; <strong class="mention">@Ann Smith</strong> and '
        '<strong class="mention">@Ann Smith</strong><br>@nobody'
    )


def test_a_mention_tells_the_person_once_with_where_to_read(world: World) -> None:
    comment = comment_create(
        author=world.member,
        target=Target(world.objective_a, world.kr_a1),
        body="@torchbearer.a katso, @TORCHBEARER_A myös",
    )
    [row] = Notification.objects.filter(recipient=world.torchbearer)
    assert row.event == Event.MENTIONED
    assert row.actor == world.member
    assert row.subject == world.kr_a1.title
    assert row.url.endswith(f"/objectives/{world.objective_a.pk}/#comment-{comment.pk}")
    assert row.detail.startswith("@torchbearer.a katso")
    assert list(comment.mentions.values_list("user", flat=True)) == [world.torchbearer.pk]


def test_a_reply_tells_the_author_of_the_top_comment(world: World) -> None:
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="Kysymys")
    reply = comment_create(author=world.torchbearer, target=target, body="Vastaus", parent=top)
    comment_create(author=world.supervisor, target=target, body="Lisäys", parent=reply)
    assert _told(world.member) == [Event.REPLIED, Event.REPLIED]
    assert _told(world.torchbearer) == []  # replies answer the top comment, not each other


def test_mentioned_and_replied_to_is_told_once_as_mentioned(world: World) -> None:
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="Kysymys")
    comment_create(author=world.torchbearer, target=target, body="@member.a vastaus", parent=top)
    assert _told(world.member) == [Event.MENTIONED]


def test_the_author_is_never_told_about_their_own_comment(world: World) -> None:
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="@member_a muistiin")
    comment_create(author=world.member, target=target, body="Jatkan", parent=top)
    assert _told(world.member) == []


def test_someone_who_cannot_see_the_target_is_not_mentioned(world: World) -> None:
    comment = comment_create(
        author=world.member, target=Target(world.restricted_a), body="@outsider.c @member.b"
    )
    assert _told(world.outsider) == []
    assert not comment.mentions.exists()
    # The text stays as written; nothing tells the author who exists.
    assert comment.body == "@outsider.c @member.b"


def test_a_parent_unit_member_who_sees_a_restricted_objective_is_mentioned(world: World) -> None:
    # Restricted objectives of Unit A are seen by its teams' members too.
    objective = world.restricted_a
    objective.owner_unit = world.unit_a
    objective.save()
    comment_create(author=world.member, target=Target(objective), body="@member.b ja @admin.okr")
    assert _told(world.member_b) == [Event.MENTIONED]
    assert _told(world.admin) == [Event.MENTIONED]


def test_a_checkin_author_is_told_of_comments_on_their_checkin(world: World) -> None:
    checkin = checkin_create(
        author=world.member, key_result=world.kr_a1, value=Decimal(9), confidence=7
    )
    target = Target(world.objective_a, world.kr_a1, checkin)
    comment_create(author=world.torchbearer, target=target, body="Hyvää työtä")
    [row] = Notification.objects.filter(recipient=world.member)
    assert (row.event, row.subject) == (Event.REPLIED, world.kr_a1.title)


def test_people_who_turned_mentions_off_are_not_told(world: World) -> None:
    NotificationPreference.objects.create(
        user=world.torchbearer,
        kind=Notification.Kind.MENTION,
        channel=NotificationPreference.Channel.OFF,
    )
    comment_create(author=world.member, target=Target(world.objective_a), body="@torchbearer.a")
    assert _told(world.torchbearer) == []


def test_an_edit_tells_only_people_newly_mentioned(world: World) -> None:
    target = Target(world.objective_a)
    comment = comment_create(author=world.member, target=target, body="@torchbearer.a")
    comment_edit(
        actor=world.member,
        target=target,
        comment=comment,
        body="@torchbearer.a ja @supervisor.a",
        seen_edited_at=None,
    )
    assert _told(world.torchbearer) == [Event.MENTIONED]
    assert _told(world.supervisor) == [Event.MENTIONED]
    comment.refresh_from_db()
    comment_edit(
        actor=world.member,
        target=target,
        comment=comment,
        body="vain @supervisor.a",
        seen_edited_at=comment.edited_at,
    )
    assert list(comment.mentions.values_list("user", flat=True)) == [world.supervisor.pk]
    assert _told(world.supervisor) == [Event.MENTIONED]
