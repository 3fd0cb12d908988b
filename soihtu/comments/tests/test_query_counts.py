"""The objective page with its conversation, a thread and the mention suggestions do the same
number of queries with a few comments as with many (mentions, replies, check-ins, people)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from soihtu.checkins.models import CheckIn
from soihtu.comments.access import Target
from soihtu.comments.services import comment_create
from soihtu.conftest import World, client_for, make_user
from soihtu.core.tests.queries import assert_pinned, page_query_counts
from soihtu.organization.models import Membership

pytestmark = pytest.mark.django_db

PINNED = {"objective": 16, "thread": 6, "checkin_thread": 6, "suggestions": 6}


def _grow(world: World, size: int) -> CheckIn:
    """`size` more people in team A, and for each a check-in on each key result, a comment on
    the objective mentioning someone, a reply, a comment on a key result and on a check-in."""
    checkin = None
    for n in range(size):
        person = make_user(f"p{world.objective_a.pk}{n}_{size}")
        Membership.objects.create(user=person, unit=world.team_a)
        for kr in (world.kr_a1, world.kr_a2):
            checkin = CheckIn.objects.create(
                key_result=kr, value=Decimal(n % 2), confidence=5, author=person, note=f"n{n}"
            )
            kr_target = Target(world.objective_a, kr)
            comment_create(author=person, target=kr_target, body=f"@member_a {n}")
            comment_create(
                author=world.member,
                target=Target(world.objective_a, kr, checkin),
                body=f"@{person.username}",
            )
        top = comment_create(
            author=person, target=Target(world.objective_a), body=f"@torchbearer.a {n}"
        )
        comment_create(
            author=world.torchbearer, target=Target(world.objective_a), body="ok", parent=top
        )
    assert checkin is not None
    return checkin


def _counts(world: World, checkin: CheckIn) -> dict[str, int]:
    urls = {
        "objective": reverse("okrs:objective", args=[world.objective_a.pk]),
        "thread": reverse("comments:thread", args=["objective", world.objective_a.pk]),
        "checkin_thread": reverse("comments:thread", args=["check-in", checkin.pk]),
        "suggestions": reverse(
            "comments:mention_suggestions", args=["objective", world.objective_a.pk]
        )
        + "?q=p",
    }
    return page_query_counts(client_for(world.member), urls)


def test_conversation_pages_do_a_constant_number_of_queries(world: World) -> None:
    small = _counts(world, _grow(world, 2))
    large = _counts(world, _grow(world, 12))
    assert_pinned(PINNED, small, large)
