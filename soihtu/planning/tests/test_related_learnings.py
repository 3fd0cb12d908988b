"""A team planning its goals sees the learnings of teams that worked on the same organization
objectives."""

from __future__ import annotations

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.learning.models import Learning


def test_planning_shows_learnings_of_teams_on_the_same_organization_objectives(
    world: World,
) -> None:
    world.objective_b.contributes_to.add(world.org_objective)
    shared = Learning.objects.create(
        text="Asiakkaan soittopyyntö kannattaa hoitaa samana päivänä",
        objective=world.objective_b,
        team=world.team_b,
        cycle=world.cycle,
    )
    Learning.objects.create(
        text="Sisäinen oppi, vain tiimille B",
        objective=world.objective_b,
        team=world.team_b,
        cycle=world.cycle,
        internal=True,
    )
    Learning.objects.create(
        text="Oppi, joka ei liity samoihin tavoitteisiin",
        objective=None,
        team=world.team_c,
        cycle=world.cycle,
    )
    url = reverse("planning:team", args=[world.team_a.pk, world.cycle.pk])
    page = client_for(world.member).get(url).content.decode()
    assert shared.text in page
    assert "Sisäinen oppi" not in page
    assert "ei liity samoihin" not in page


def test_the_objective_credits_the_people_who_proposed_it(world: World) -> None:
    from soihtu.cycles.models import Cycle, TeamCycle
    from soihtu.planning import services
    from soihtu.planning.models import Proposal

    TeamCycle.objects.create(team=world.team_a, cycle=world.cycle, state=Cycle.State.PLANNING)
    proposal = Proposal.objects.create(
        team=world.team_a, cycle=world.cycle, title="Ehdotettu tavoite", created_by=world.member
    )
    proposal.authors.create(user=world.member)
    accepted = services.proposal_accept(actor=world.torchbearer, proposal=proposal)
    assert accepted.accepted_objective is not None
    url = reverse("okrs:objective", args=[accepted.accepted_objective.pk])
    page = client_for(world.member_b).get(url).content.decode()
    assert "Proposed by" in page
    assert world.member.display_name in page
    other = client_for(world.member_b).get(reverse("okrs:objective", args=[world.objective_a.pk]))
    assert "Proposed by" not in other.content.decode()


def test_the_objective_credits_the_people_who_proposed_its_key_results(world: World) -> None:
    from soihtu.cycles.models import Cycle, TeamCycle
    from soihtu.planning import services
    from soihtu.planning.models import Proposal

    TeamCycle.objects.create(team=world.team_a, cycle=world.cycle, state=Cycle.State.PLANNING)
    proposal = Proposal.objects.create(
        team=world.team_a,
        cycle=world.cycle,
        kind=Proposal.Kind.KEY_RESULT,
        target_objective=world.objective_a,
        title="Ehdotettu avaintulos",
        created_by=world.member,
    )
    proposal.authors.create(user=world.member)
    services.proposal_accept(actor=world.torchbearer, proposal=proposal)
    url = reverse("okrs:objective", args=[world.objective_a.pk])
    page = client_for(world.member_b).get(url).content.decode()
    assert "Proposed by" in page
    assert world.member.display_name in page
