"""A person's comments and the places they were mentioned are in their personal-data export;
anonymizing them keeps their comments (by "former employee") and takes their handles out of
the comments that mention them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.checkins.services import checkin_create
from soihtu.comments.access import Target
from soihtu.comments.models import Comment
from soihtu.comments.services import comment_create
from soihtu.conftest import World, client_for
from soihtu.privacy.services import _label, person_anonymize

pytestmark = pytest.mark.django_db


def _export(world: World, person: User) -> dict[str, Any]:
    response = client_for(world.admin).get(reverse("privacy:export", args=[person.pk]))
    assert response.status_code == 200
    records: dict[str, Any] = json.loads(response.content)["records"]
    return records


def test_export_holds_the_persons_comments_and_where_they_were_mentioned(world: World) -> None:
    checkin = checkin_create(
        author=world.torchbearer, key_result=world.kr_a1, value=Decimal(9), confidence=7
    )
    mine = comment_create(
        author=world.member,
        target=Target(world.objective_a, world.kr_a1, checkin),
        body="Oma kommenttini",
    )
    comment_create(
        author=world.torchbearer,
        target=Target(world.objective_a, world.kr_a2),
        body="Kysy @member.a, ei @supervisor.a",
    )
    records = _export(world, world.member)
    [row] = records["comments.comment"]["rows"]
    assert row["id"] == mine.pk
    assert row["body"] == "Oma kommenttini"
    assert row["target_title"] == world.kr_a1.title
    assert row["created_at"]
    assert row["edited_at"] is None
    assert row["deleted_at"] is None
    assert row["refers_to_person_as"] == ["author"]
    [mention] = records["comments.commentmention"]["rows"]
    assert mention["comment_target_title"] == world.kr_a2.title
    assert mention["comment_created_at"]
    assert "body" not in mention  # someone else's words
    comments = json.dumps(
        [records["comments.comment"], records["comments.commentmention"]], ensure_ascii=False
    )
    assert "supervisor" not in comments.lower()


def test_anonymizing_keeps_comments_and_replaces_the_persons_handles(world: World) -> None:
    target = Target(world.objective_a)
    own = comment_create(author=world.member, target=target, body="Minun ajatukseni")
    about = comment_create(
        author=world.torchbearer,
        target=target,
        body="Kiitos @member.a ja @MEMBER_A, terveisin @supervisor.a",
    )
    User.objects.filter(pk=world.member.pk).update(is_active=False)
    world.member.refresh_from_db()
    person_anonymize(actor=world.admin, person=world.member)
    own.refresh_from_db()
    about.refresh_from_db()
    assert own.body == "Minun ajatukseni"
    assert own.author_id == world.member.pk
    label = _label()  # in the organization's language, as in the audit trail
    assert about.body == f"Kiitos {label} ja {label}, terveisin @supervisor.a"
    page = client_for(world.outsider).get(reverse("okrs:objective", args=[world.objective_a.pk]))
    html = page.content.decode()
    assert "former employee" in html
    assert "member.a" not in html.lower()
    assert "Member A" not in html
    assert Comment.objects.count() == 2
