"""Bad input and writes the rules refuse: a clear message, status 400, nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.planning import services
from soihtu.planning.models import Proposal
from soihtu.planning.tests.conftest import Planning
from soihtu.planning.tests.test_permissions import state


def _propose_url(world: World) -> str:
    return reverse(
        "planning:propose", kwargs={"unit_id": world.team_a.pk, "cycle_id": world.cycle.pk}
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "objective", "title": ""},
        {"kind": "objective", "title": "   "},
        {"kind": "objective", "title": "x" * 201},
        {"kind": "objective", "title": "Hyvä", "description": "x" * 2001},
        {"kind": "nonsense", "title": "Hyvä"},
        {"kind": "key_result", "title": "Hyvä", "target_objective": "999999"},
    ],
    ids=["empty", "blank", "long title", "long description", "bad kind", "foreign objective"],
)
def test_bad_proposal_changes_nothing(planning: Planning, data: dict[str, str]) -> None:
    before = state()
    response = client_for(planning.world.member).post(_propose_url(planning.world), data)
    assert response.status_code == 400
    assert state() == before


def test_proposals_are_refused_when_planning_is_not_open(world: World) -> None:
    before = state()
    response = client_for(world.member).post(
        _propose_url(world), {"kind": "objective", "title": "Hyvä"}
    )
    assert response.status_code == 400
    assert "Planning is not open" in response.content.decode()
    assert state() == before


def test_supporting_twice_adds_one_support(planning: Planning) -> None:
    client = client_for(planning.world.torchbearer)
    url = reverse("planning:support", args=[planning.proposal_a.pk])
    client.post(url)
    before = state()
    assert client.post(url).status_code == 302
    assert state() == before


def test_htmx_support_swaps_the_toggle(planning: Planning) -> None:
    client = client_for(planning.world.torchbearer)
    url = reverse("planning:support", args=[planning.proposal_a.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Withdraw support" in html
    assert "1 support" in html
    assert "<html" not in html


@pytest.mark.parametrize("settle", ["merged", "declined", "accepted"])
def test_settled_proposal_cannot_be_accepted_again(planning: Planning, settle: str) -> None:
    world = planning.world
    if settle == "merged":
        services.proposal_merge(
            actor=world.admin, proposals=[planning.proposal_a], into=planning.kr_proposal_a
        )
    elif settle == "declined":
        services.proposal_decline(actor=world.admin, proposal=planning.proposal_a, reason="Ei")
    else:
        services.proposal_accept(actor=world.admin, proposal=planning.proposal_a)
    before = state()
    client = client_for(world.torchbearer)
    response = client.post(
        reverse("planning:accept", args=[planning.proposal_a.pk]), {"kind": "milestone"}
    )
    assert response.status_code == 400
    assert "already been settled" in response.content.decode()
    assert state() == before


def test_key_result_accept_without_objective_changes_nothing(planning: Planning) -> None:
    world = planning.world
    proposal = services.proposal_create(
        actor=world.member, team=world.team_a, cycle=world.cycle, kind="key_result", title="KR"
    )
    before = state()
    response = client_for(world.torchbearer).post(
        reverse("planning:accept", args=[proposal.pk]), {"kind": "milestone", "objective": ""}
    )
    assert response.status_code == 400
    assert state() == before
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_decline_without_a_good_reason_changes_nothing(planning: Planning, reason: str) -> None:
    before = state()
    response = client_for(planning.world.torchbearer).post(
        reverse("planning:decline", args=[planning.proposal_a.pk]), {"reason": reason}
    )
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("text", ["", "x" * 2001])
def test_bad_comment_changes_nothing(planning: Planning, text: str) -> None:
    before = state()
    response = client_for(planning.world.member).post(
        reverse("planning:comment", args=[planning.proposal_a.pk]), {"text": text}
    )
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("chosen", ["", "999999", "self", "other team"])
def test_bad_merge_changes_nothing(planning: Planning, chosen: str) -> None:
    values = {
        "self": str(planning.proposal_a.pk),
        "other team": str(planning.proposal_b.pk),
    }
    before = state()
    response = client_for(planning.world.admin).post(
        reverse("planning:merge", args=[planning.proposal_a.pk]),
        {"proposals": values.get(chosen, chosen)},
    )
    assert response.status_code == 400
    assert state() == before


def test_activation_below_half_asks_for_confirmation(planning: Planning) -> None:
    world = planning.world
    from soihtu.planning.tests.test_services import _add_members

    _add_members(world, 3)
    before = state()
    url = reverse(
        "planning:activate", kwargs={"unit_id": world.team_a.pk, "cycle_id": world.cycle.pk}
    )
    response = client_for(world.torchbearer).post(url)
    assert response.status_code == 200
    assert "Activate anyway" in response.content.decode()
    assert state() == before


def test_planning_in_a_closed_cycle_does_not_open(world: World) -> None:
    before = state()
    url = reverse(
        "planning:open", kwargs={"unit_id": world.team_a.pk, "cycle_id": world.closed_cycle.pk}
    )
    response = client_for(world.torchbearer).post(url)
    assert response.status_code == 400
    assert state() == before
