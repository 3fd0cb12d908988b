"""The permission matrix: every persona × (open objective of team A, restricted objective of
team A, open objective of team B) × (read, comment, edit own, edit someone's, delete someone's).
Whoever may see the objective reads and comments; only the author edits; the author or the
OKR office deletes. Hidden targets answer 404, other refusals 403 with the reason, and a
refusal changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.comments.access import Target
from soihtu.comments.models import Comment
from soihtu.comments.services import comment_create
from soihtu.conftest import World, client_for
from soihtu.notifications.models import Notification

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
EVERYONE = set(PERSONAS)
TEAM_A = {"admin", "supervisor", "torchbearer", "member"}
OBJECTIVES = {"objective_a": EVERYONE, "restricted_a": TEAM_A, "objective_b": EVERYONE}


def _state() -> tuple[object, ...]:
    return (
        list(Comment.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _written(world: World, name: str) -> Comment:
    """A comment of team A's member (the author of the comments under test)."""
    objective = getattr(world, name)
    return comment_create(author=world.member, target=Target(objective), body="Alkuperäinen")


@pytest.mark.parametrize("objective", list(OBJECTIVES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_read_and_comment(world: World, persona: str, objective: str) -> None:
    target = getattr(world, objective)
    comment = _written(world, objective)
    client = client_for(world.persona(persona))
    thread = client.get(reverse("comments:thread", args=["objective", target.pk]))
    before = _state()
    posted = client.post(reverse("comments:new", args=["objective", target.pk]), {"body": "Minä"})
    if persona in OBJECTIVES[objective]:
        assert thread.status_code == 200
        assert "Alkuperäinen" in thread.content.decode()
        assert posted.status_code == 302
        assert Comment.objects.filter(body="Minä", author=world.persona(persona)).exists()
    else:
        assert (thread.status_code, posted.status_code) == (404, 404)
        assert _state() == before
    page = client.get(reverse("okrs:objective", args=[target.pk]))
    assert (f'id="comment-{comment.pk}"' in page.content.decode()) is (page.status_code == 200)


@pytest.mark.parametrize("objective", list(OBJECTIVES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_edit(world: World, persona: str, objective: str) -> None:
    comment = _written(world, objective)
    url = reverse("comments:edit", args=[comment.pk])
    before = _state()
    response = client_for(world.persona(persona)).post(url, {"body": "Muutettu", "seen": ""})
    if persona == "member":
        assert response.status_code == 302
        comment.refresh_from_db()
        assert comment.body == "Muutettu"
        return
    expected = 403 if persona in OBJECTIVES[objective] else 404
    assert response.status_code == expected
    if expected == 403:
        assert "Only its author may edit a comment." in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("objective", list(OBJECTIVES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_delete(world: World, persona: str, objective: str) -> None:
    comment = _written(world, objective)
    url = reverse("comments:delete", args=[comment.pk])
    before = _state()
    response = client_for(world.persona(persona)).post(url)
    if persona in {"member", "admin"}:
        assert response.status_code == 302
        comment.refresh_from_db()
        assert comment.is_deleted
        return
    expected = 403 if persona in OBJECTIVES[objective] else 404
    assert response.status_code == expected
    if expected == 403:
        assert "Only its author or the OKR office may delete a comment." in (
            response.content.decode()
        )
    assert _state() == before


def test_comments_on_a_restricted_objectives_key_results_and_checkins_stay_hidden(
    world: World,
) -> None:
    key_result = world.restricted_a.key_results.get()
    comment = comment_create(
        author=world.member, target=Target(world.restricted_a, key_result), body="Salainen"
    )
    client = client_for(world.outsider)
    assert (
        client.get(reverse("comments:thread", args=["key-result", key_result.pk])).status_code
        == 404
    )
    assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 404
    suggestions = reverse("comments:mention_suggestions", args=["key-result", key_result.pk])
    assert client.get(suggestions, {"q": "mem"}).status_code == 404


def test_an_anonymized_person_cannot_comment(world: World) -> None:
    from django.utils import timezone

    from soihtu.comments.access import can_comment
    from soihtu.organization.roles import build_actor

    world.member.anonymized_at = timezone.now()
    assert not can_comment(build_actor(world.member), Target(world.objective_a))
