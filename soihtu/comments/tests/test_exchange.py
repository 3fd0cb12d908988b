"""Comments in the open export format: out and back in unchanged, refused when they break the
rules, and a document from before comments still imports."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from soihtu.checkins.services import checkin_create
from soihtu.comments.access import Target
from soihtu.comments.models import Comment, CommentMention
from soihtu.comments.services import comment_create, comment_delete, comment_edit
from soihtu.conftest import World
from soihtu.exchange.export import export_document
from soihtu.exchange.importer import document_import
from soihtu.exchange.tests.helpers import wipe, without_time
from soihtu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _conversation(world: World) -> None:
    checkin = checkin_create(
        author=world.member, key_result=world.kr_a1, value=Decimal(9), confidence=7
    )
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="Alku @torchbearer.a")
    comment_edit(
        actor=world.member,
        target=target,
        comment=top,
        body="Alku, @torchbearer.a!",
        seen_edited_at=None,
    )
    reply = comment_create(author=world.torchbearer, target=target, body="Vastaus", parent=top)
    comment_delete(actor=world.torchbearer, comment=reply)
    comment_create(author=world.member, target=Target(world.objective_a, world.kr_a1), body="KR")
    comment_create(
        author=world.torchbearer,
        target=Target(world.objective_a, world.kr_a1, checkin),
        body="Hyvä päivitys",
    )


def test_comments_go_out_and_come_back_unchanged(world: World) -> None:
    _conversation(world)
    first = export_document()
    comments = first["comments"]
    assert [c["id"] for c in comments] == [1, 2, 3, 4]
    top, reply = comments[0], comments[1]
    assert top["mentioned"] == [
        next(p["id"] for p in first["people"] if p.get("username") == "torchbearer_a")
    ]
    assert top["edited_at"]
    assert reply["deleted_at"]
    assert reply["body"] == ""
    assert reply["parent"] == top["id"]
    kr_a1 = next(k["id"] for k in first["key_results"] if k["title"] == world.kr_a1.title)
    assert (comments[2]["key_result"], comments[3]["checkin"]) == (kr_a1, 1)
    wipe()
    Notification.objects.all().delete()
    result = document_import(actor=None, document=json.loads(json.dumps(first)))
    assert result.errors == []
    assert result.counts["comments"] == 4
    assert without_time(export_document()) == without_time(first)
    assert CommentMention.objects.count() == 1
    assert not Notification.objects.exists()  # an import tells no one


def test_a_document_without_comments_still_imports(world: World) -> None:
    document = export_document()
    del document["comments"]
    wipe()
    result = document_import(actor=None, document=document)
    assert result.errors == []
    assert not Comment.objects.exists()


def _with(document: dict[str, Any], *comments: dict[str, Any]) -> dict[str, Any]:
    return {**document, "comments": list(comments)}


def test_comments_breaking_the_rules_are_refused(world: World) -> None:
    _conversation(world)
    document = export_document()
    objective = document["objectives"][0]["id"]
    key_result = document["key_results"][0]["id"]
    wipe()
    bad = _with(
        document,
        {"id": 1, "objective": objective, "key_result": key_result, "body": "kaksi"},
        {"id": 2, "body": "ei mitään"},
        {"id": 3, "objective": objective, "body": ""},
        {"id": 4, "key_result": key_result, "parent": 1, "body": "väärä ketju"},
        {"id": 5, "objective": objective, "parent": 6, "body": "vastaus vastaukseen"},
        {"id": 6, "objective": objective, "parent": 7, "body": "vastaus"},
        {"id": 7, "objective": objective, "body": "alku", "mentioned": [999]},
    )
    result = document_import(actor=None, document=bad)
    assert result.errors == [
        "comments[6].mentioned: unknown id 999 in people",
        "comments[0]: a comment is on exactly one of objective, key_result and checkin",
        "comments[1]: a comment is on exactly one of objective, key_result and checkin",
        "comments[2].body: only a deleted comment is without a body",
        "comments[3].parent: a reply answers a comment on the same target that is not a reply "
        "itself",
        "comments[4].parent: a reply answers a comment on the same target that is not a reply "
        "itself",
    ]
    assert not Comment.objects.exists()
