"""Planning opened for teams A and B in the active cycle, with one open proposal in each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from soihtu.conftest import World
from soihtu.planning import services
from soihtu.planning.models import Proposal


@dataclass
class Planning:
    world: World
    proposal_a: Proposal
    kr_proposal_a: Proposal
    proposal_b: Proposal


def open_planning(world: World) -> Planning:
    for team, leader in [(world.team_a, world.torchbearer), (world.team_b, world.admin)]:
        services.planning_open(actor=leader, team=team, cycle=world.cycle)
    proposal_a = services.proposal_create(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        kind=Proposal.Kind.OBJECTIVE,
        title="Asiakkaat saavat vastauksen päivässä",
        description="Nopeus näkyy asiakkaalle.",
    )
    kr_proposal_a = services.proposal_create(
        actor=world.supervisor,
        team=world.team_a,
        cycle=world.cycle,
        kind=Proposal.Kind.KEY_RESULT,
        title="Takaisinsoittoja 500 kuukaudessa",
        target_objective=world.objective_a,
        measure="Puhelinjärjestelmän raportti",
    )
    proposal_b = services.proposal_create(
        actor=world.member_b,
        team=world.team_b,
        cycle=world.cycle,
        kind=Proposal.Kind.OBJECTIVE,
        title="Tiimin B ehdotus",
    )
    return Planning(world, proposal_a, kr_proposal_a, proposal_b)


@pytest.fixture
def planning(world: World) -> Planning:
    return open_planning(world)
