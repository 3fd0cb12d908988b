"""Every write view × persona: members of a team take part in its planning, its supervisor and
torchbearer (and org admins) lead it. A refusal answers 403 and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.cycles.models import TeamCycle
from soihtu.okrs.models import KeyResult, Objective
from soihtu.planning.models import Proposal, ProposalComment, ProposalSupport
from soihtu.planning.tests.conftest import Planning

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
LEADERS_A = {"admin", "supervisor", "torchbearer"}
TEAM_A = LEADERS_A | {"member"}
TEAM_B = {"admin", "member_b"}


@dataclass
class WriteCase:
    name: str
    url: Callable[[Planning], str]
    data: Callable[[Planning], dict[str, str]]
    allowed: set[str]


def _cycle_url(name: str, team: str = "team_a") -> Callable[[Planning], str]:
    return lambda p: reverse(
        f"planning:{name}",
        kwargs={"unit_id": getattr(p.world, team).pk, "cycle_id": p.world.cycle.pk},
    )


def _proposal_url(name: str, proposal: str = "proposal_a") -> Callable[[Planning], str]:
    return lambda p: reverse(f"planning:{name}", args=[getattr(p, proposal).pk])


def _new_proposal(p: Planning) -> dict[str, str]:
    return {"kind": "objective", "title": "Uusi ehdotus"}


CASES = [
    WriteCase("propose in team A", _cycle_url("propose"), _new_proposal, TEAM_A),
    WriteCase("propose in team B", _cycle_url("propose", "team_b"), _new_proposal, TEAM_B),
    WriteCase("comment in team A", _proposal_url("comment"), lambda p: {"text": "Hyvä"}, TEAM_A),
    WriteCase(
        "comment in team B",
        _proposal_url("comment", "proposal_b"),
        lambda p: {"text": "Hyvä"},
        TEAM_B,
    ),
    WriteCase("support in team A", _proposal_url("support"), lambda p: {}, TEAM_A),
    WriteCase("support in team B", _proposal_url("support", "proposal_b"), lambda p: {}, TEAM_B),
    WriteCase(
        "accept in team A", _proposal_url("accept"), lambda p: {"kind": "milestone"}, LEADERS_A
    ),
    WriteCase(
        "accept in team B",
        _proposal_url("accept", "proposal_b"),
        lambda p: {"kind": "milestone"},
        {"admin"},
    ),
    WriteCase(
        "decline in team A", _proposal_url("decline"), lambda p: {"reason": "Ei nyt"}, LEADERS_A
    ),
    WriteCase(
        "merge in team A",
        _proposal_url("merge"),
        lambda p: {"proposals": str(p.kr_proposal_a.pk)},
        LEADERS_A,
    ),
    WriteCase(
        "activate team A",
        _cycle_url("activate"),
        lambda p: {"confirm_low_participation": "yes"},
        LEADERS_A,
    ),
    WriteCase("activate team B", _cycle_url("activate", "team_b"), lambda p: {}, {"admin"}),
]


def state() -> tuple[object, ...]:
    return (
        sorted(Proposal.objects.values_list("id", "status")),
        ProposalComment.objects.count(),
        ProposalSupport.objects.count(),
        sorted(TeamCycle.objects.values_list("id", "state")),
        Objective.objects.count(),
        KeyResult.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_write_matrix(planning: Planning, case: WriteCase, persona: str) -> None:
    client = client_for(planning.world.persona(persona))
    before = state()
    response = client.post(case.url(planning), case.data(planning))
    if persona in case.allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert state() != before
    else:
        assert response.status_code == 403
        assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_leaders_open_planning(world: World, persona: str) -> None:
    url = reverse("planning:open", kwargs={"unit_id": world.team_a.pk, "cycle_id": world.cycle.pk})
    response = client_for(world.persona(persona)).post(url)
    if persona in LEADERS_A:
        assert response.status_code == 302
        assert TeamCycle.objects.filter(team=world.team_a).exists()
    else:
        assert response.status_code == 403
        assert not TeamCycle.objects.exists()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_writes_refuse_get(planning: Planning, case: WriteCase) -> None:
    before = state()
    response = client_for(planning.world.admin).get(case.url(planning))
    assert response.status_code == 405
    assert state() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_signed_out_people_are_sent_to_sign_in(planning: Planning, case: WriteCase) -> None:
    before = state()
    response = Client().post(case.url(planning), case.data(planning))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_reads_planning_and_record(planning: Planning, persona: str) -> None:
    world = planning.world
    client = client_for(world.persona(persona))
    page = client.get(_cycle_url("team")(planning))
    assert page.status_code == 200
    assert planning.proposal_a.title in page.content.decode()
    record = client.get(reverse("planning:record", args=[world.team_a.pk]))
    assert record.status_code == 200


def test_controls_follow_the_role(planning: Planning) -> None:
    url = _cycle_url("team")(planning)
    outsider = client_for(planning.world.outsider).get(url).content.decode()
    member = client_for(planning.world.member).get(url).content.decode()
    leader = client_for(planning.world.torchbearer).get(url).content.decode()
    assert "Send proposal" not in outsider
    assert "Accept proposal" not in outsider
    assert "Send proposal" in member
    assert "Accept proposal" not in member
    assert "Accept proposal" in leader
    assert "Activate the cycle" in leader


def test_unknown_ids_and_non_teams_answer_404(world: World) -> None:
    client = client_for(world.admin)
    urls = [
        reverse("planning:team", kwargs={"unit_id": 999999, "cycle_id": world.cycle.pk}),
        reverse("planning:team", kwargs={"unit_id": world.team_a.pk, "cycle_id": 999999}),
        reverse("planning:team", kwargs={"unit_id": world.unit_a.pk, "cycle_id": world.cycle.pk}),
        reverse("planning:record", args=[999999]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for name in ["support", "comment", "accept", "decline", "merge"]:
        assert client.post(reverse(f"planning:{name}", args=[999999])).status_code == 404
