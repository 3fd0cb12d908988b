"""people_notify: who is told, how (their channel), and who never is."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from soihtu.accounts.models import User
from soihtu.conftest import World
from soihtu.notifications.inbox import people_notify, unread_count
from soihtu.notifications.models import Notification
from soihtu.notifications.tests.inbox_helpers import Channel, Event, Kind, notify, prefer

State = Notification.EmailState


def test_actor_is_not_told_and_nobody_twice(world: World) -> None:
    rows = people_notify(
        recipients=[world.member, world.member.pk, world.torchbearer],
        event=Event.RETROSPECTIVE_OPENED,
        actor=world.torchbearer,
        subject="Team A",
        url="/teams/1/retrospective/1/",
    )
    assert [r.recipient_id for r in rows] == [world.member.pk]


def test_off_is_not_written_and_the_channel_decides_the_email(world: World) -> None:
    prefer(world.member, Kind.PROPOSAL, Channel.OFF)
    prefer(world.member_b, Kind.PROPOSAL, Channel.EMAIL)
    prefer(world.outsider, Kind.PROPOSAL, Channel.DIGEST)
    rows = people_notify(
        recipients=[world.member, world.member_b, world.outsider, world.supervisor],
        event=Event.PROPOSAL_ACCEPTED,
        actor=None,
        subject="Idea",
        url="/x/",
    )
    states = {r.recipient_id: r.email_state for r in rows}
    assert states == {
        world.member_b.pk: State.PENDING,
        world.outsider.pk: State.DIGEST,
        world.supervisor.pk: State.NONE,  # the default of proposals: in Soihtu only
    }


def test_mentions_go_to_the_digest_by_default(world: World) -> None:
    row = notify(world.member, actor=world.supervisor, event=Event.MENTIONED)
    assert row.email_state == State.DIGEST


def test_key_result_default_follows_the_email_reminders(world: World) -> None:
    User.objects.filter(pk=world.member_b.pk).update(reminders_enabled=False)
    rows = people_notify(
        recipients=[world.member, world.member_b],
        event=Event.KEY_RESULT_DUE,
        actor=None,
        subject="KR",
        url="/kr/",
    )
    states = {r.recipient_id: r.email_state for r in rows}
    assert states == {world.member.pk: State.PENDING, world.member_b.pk: State.NONE}


def test_emailed_by_the_caller_is_written_as_sent(world: World) -> None:
    rows = people_notify(
        recipients=[world.member],
        event=Event.KEY_RESULT_DUE,
        actor=None,
        subject="KR",
        url="/kr/",
        emailed=True,
    )
    assert rows[0].email_state == State.SENT


def test_anonymized_and_inactive_people_are_skipped(world: World) -> None:
    User.objects.filter(pk=world.member.pk).update(anonymized_at=timezone.now())
    User.objects.filter(pk=world.member_b.pk).update(is_active=False)
    rows = people_notify(
        recipients=User.objects.filter(pk__in=[world.member.pk, world.member_b.pk]),
        event=Event.SURVEY_OPENED,
        actor=None,
        subject="Kysely",
        url="/surveys/1/answer/",
    )
    assert rows == []


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:x", ""])
def test_only_local_paths_are_accepted(world: World, url: str) -> None:
    with pytest.raises(ValueError, match="path on this site"):
        notify(world.member, url=url)
    assert not Notification.objects.exists()


def test_unread_count_counts_only_ones_own_unread(world: World) -> None:
    notify(world.member)
    read = notify(world.member)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    notify(world.member_b)
    assert unread_count(world.member) == 1


def test_sentences_are_in_the_readers_language_and_idea_states_too(world: World) -> None:
    moved = notify(world.member, actor=world.supervisor, event=Event.IDEA_MOVED, detail="tried")
    assert moved.sentence == "The idea “Parempi palvelu” was marked tried"
    with translation.override("fi"):
        assert "kokeilussa" in moved.sentence.lower() or "tried" not in moved.sentence
    assert moved.excerpt == ""
    declined = notify(world.member, event=Event.PROPOSAL_DECLINED, detail="Ei nyt")
    assert declined.sentence == "Your proposal “Parempi palvelu” was declined"
    assert declined.excerpt == "Ei nyt"
    mention = notify(world.member, actor=world.supervisor, event=Event.MENTIONED)
    assert mention.sentence.startswith(world.supervisor.display_name)
