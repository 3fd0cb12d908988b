from __future__ import annotations

from decimal import Decimal

import pytest

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, make_user
from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.planning import selectors, services
from soihtu.planning.models import Proposal, ProposalAuthor, ProposalComment, ProposalSupport
from soihtu.planning.tests.conftest import Planning


def test_opening_planning_creates_the_team_cycle_and_audits(world: World) -> None:
    team_cycle = services.planning_open(
        actor=world.torchbearer, team=world.team_a, cycle=world.cycle
    )
    assert team_cycle.state == Cycle.State.PLANNING
    assert team_cycle.planning_opened_by == world.torchbearer
    assert team_cycle.planning_opened_at is not None
    assert AuditEvent.objects.filter(target_type="teamcycle", target_id=team_cycle.pk).exists()


def test_opening_planning_twice_changes_nothing(world: World) -> None:
    services.planning_open(actor=world.torchbearer, team=world.team_a, cycle=world.cycle)
    events = AuditEvent.objects.count()
    services.planning_open(actor=world.supervisor, team=world.team_a, cycle=world.cycle)
    assert AuditEvent.objects.count() == events
    assert TeamCycle.objects.get().planning_opened_by == world.torchbearer


def test_planning_does_not_open_for_a_closed_cycle(world: World) -> None:
    with pytest.raises(services.PlanningError):
        services.planning_open(actor=world.torchbearer, team=world.team_a, cycle=world.closed_cycle)
    assert not TeamCycle.objects.exists()


def test_planning_does_not_reopen_an_active_team_cycle(world: World) -> None:
    TeamCycle.objects.create(team=world.team_a, cycle=world.cycle, state=Cycle.State.ACTIVE)
    with pytest.raises(services.PlanningError):
        services.planning_open(actor=world.torchbearer, team=world.team_a, cycle=world.cycle)
    assert TeamCycle.objects.get().state == Cycle.State.ACTIVE


def test_proposal_credits_its_author(planning: Planning) -> None:
    authors = planning.proposal_a.authors.values_list("user_id", flat=True)
    assert list(authors) == [planning.world.member.pk]
    assert planning.proposal_a.status == Proposal.Status.OPEN


def test_no_proposals_before_planning_opens(world: World) -> None:
    with pytest.raises(services.PlanningError):
        services.proposal_create(
            actor=world.member, team=world.team_a, cycle=world.cycle, kind="objective", title="X"
        )
    assert not Proposal.objects.exists()


def test_key_result_proposal_target_must_be_the_teams(planning: Planning) -> None:
    world = planning.world
    with pytest.raises(services.PlanningError):
        services.proposal_create(
            actor=world.member,
            team=world.team_a,
            cycle=world.cycle,
            kind="key_result",
            title="X",
            target_objective=world.objective_b,
        )


def test_support_is_once_per_person(planning: Planning) -> None:
    world = planning.world
    assert services.proposal_support(actor=world.torchbearer, proposal=planning.proposal_a)
    assert not services.proposal_support(actor=world.torchbearer, proposal=planning.proposal_a)
    assert ProposalSupport.objects.count() == 1
    assert services.proposal_unsupport(actor=world.torchbearer, proposal=planning.proposal_a)
    assert not services.proposal_unsupport(actor=world.torchbearer, proposal=planning.proposal_a)
    assert not ProposalSupport.objects.exists()


def test_comment_is_saved(planning: Planning) -> None:
    services.proposal_comment(
        actor=planning.world.torchbearer, proposal=planning.proposal_a, text=" Hyvä! "
    )
    assert ProposalComment.objects.get().text == "Hyvä!"


def test_accepting_an_objective_proposal_makes_a_draft_objective(planning: Planning) -> None:
    world = planning.world
    proposal = services.proposal_accept(actor=world.torchbearer, proposal=planning.proposal_a)
    objective = proposal.accepted_objective
    assert objective is not None
    assert (objective.owner_unit, objective.cycle, objective.status) == (
        world.team_a,
        world.cycle,
        Objective.Status.DRAFT,
    )
    assert objective.title == planning.proposal_a.title
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.decided_by == world.torchbearer


def test_accepting_a_key_result_proposal_adds_it_to_the_objective(planning: Planning) -> None:
    world = planning.world
    proposal = services.proposal_accept(
        actor=world.supervisor,
        proposal=planning.kr_proposal_a,
        kind=KeyResult.Kind.INCREASE,
        start_value=Decimal(100),
        target_value=Decimal(500),
    )
    key_result = proposal.accepted_key_result
    assert key_result is not None
    assert key_result.objective == world.objective_a
    assert key_result.target_value == 500


def test_key_result_accept_needs_an_objective(planning: Planning) -> None:
    world = planning.world
    proposal = services.proposal_create(
        actor=world.member, team=world.team_a, cycle=world.cycle, kind="key_result", title="KR"
    )
    krs = KeyResult.objects.count()
    with pytest.raises(services.PlanningError):
        services.proposal_accept(actor=world.torchbearer, proposal=proposal)
    assert KeyResult.objects.count() == krs
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN


def test_increase_with_target_below_start_is_refused(planning: Planning) -> None:
    with pytest.raises(services.PlanningError):
        services.proposal_accept(
            actor=planning.world.torchbearer,
            proposal=planning.kr_proposal_a,
            kind=KeyResult.Kind.INCREASE,
            start_value=Decimal(5),
            target_value=Decimal(1),
        )


def test_settled_proposals_cannot_be_settled_again(planning: Planning) -> None:
    world = planning.world
    services.proposal_decline(
        actor=world.torchbearer, proposal=planning.proposal_a, reason="Ei nyt"
    )
    with pytest.raises(services.PlanningError):
        services.proposal_accept(actor=world.torchbearer, proposal=planning.proposal_a)
    with pytest.raises(services.PlanningError):
        services.proposal_support(actor=world.member, proposal=planning.proposal_a)
    assert not Objective.objects.filter(title=planning.proposal_a.title).exists()


def test_decline_needs_a_reason(planning: Planning) -> None:
    with pytest.raises(services.PlanningError):
        services.proposal_decline(
            actor=planning.world.torchbearer, proposal=planning.proposal_a, reason="  "
        )
    planning.proposal_a.refresh_from_db()
    assert planning.proposal_a.status == Proposal.Status.OPEN


def test_merge_credits_authors_and_carries_supports_once(planning: Planning) -> None:
    world = planning.world
    other = services.proposal_create(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        kind="objective",
        title="Sama",
    )
    for user in [world.supervisor, world.torchbearer]:
        services.proposal_support(actor=user, proposal=other)
    services.proposal_support(actor=world.supervisor, proposal=planning.proposal_a)
    services.proposal_merge(actor=world.supervisor, proposals=[other], into=planning.proposal_a)
    other.refresh_from_db()
    assert other.status == Proposal.Status.MERGED
    assert other.merged_into == planning.proposal_a
    authors = set(
        ProposalAuthor.objects.filter(proposal=planning.proposal_a).values_list(
            "user_id", flat=True
        )
    )
    assert authors == {world.member.pk, world.torchbearer.pk}
    supporters = ProposalSupport.objects.filter(proposal=planning.proposal_a)
    assert sorted(supporters.values_list("user_id", flat=True)) == sorted(
        [world.supervisor.pk, world.torchbearer.pk]
    )


def test_merge_refuses_other_teams_proposals(planning: Planning) -> None:
    with pytest.raises(services.PlanningError):
        services.proposal_merge(
            actor=planning.world.admin,
            proposals=[planning.proposal_b],
            into=planning.proposal_a,
        )
    planning.proposal_b.refresh_from_db()
    assert planning.proposal_b.status == Proposal.Status.OPEN


def test_participation_counts_members_who_took_part(planning: Planning) -> None:
    world = planning.world
    share = selectors.participation(world.team_a, world.cycle)
    # member and supervisor proposed; the torchbearer has not taken part yet.
    assert (share.members, share.proposed, share.took_part, share.percent) == (3, 2, 2, 67)
    assert not share.below_half


def _add_members(world: World, count: int) -> None:
    for i in range(count):
        Membership.objects.create(user=make_user(f"extra_{i}"), unit=world.team_a)


def test_activation_below_half_needs_confirmation(planning: Planning) -> None:
    world = planning.world
    _add_members(world, 3)  # 2 of 6 took part
    with pytest.raises(services.NeedsConfirmationError):
        services.cycle_activate(actor=world.torchbearer, team=world.team_a, cycle=world.cycle)
    assert TeamCycle.objects.get(team=world.team_a).state == Cycle.State.PLANNING
    team_cycle = services.cycle_activate(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        confirm_low_participation=True,
    )
    assert team_cycle.state == Cycle.State.ACTIVE
    assert team_cycle.activated_below_half
    assert team_cycle.participation_percent == 33
    record = selectors.planning_record(world.team_a)
    assert record.rows[0].activated_below_half


def test_activation_turns_draft_objectives_active_and_closes_planning(planning: Planning) -> None:
    world = planning.world
    proposal = services.proposal_accept(actor=world.torchbearer, proposal=planning.proposal_a)
    team_cycle = services.cycle_activate(
        actor=world.torchbearer, team=world.team_a, cycle=world.cycle
    )
    assert not team_cycle.activated_below_half
    assert proposal.accepted_objective is not None
    proposal.accepted_objective.refresh_from_db()
    assert proposal.accepted_objective.status == Objective.Status.ACTIVE
    assert proposal.accepted_objective.version == 2
    with pytest.raises(services.PlanningError):
        services.proposal_create(
            actor=world.member,
            team=world.team_a,
            cycle=world.cycle,
            kind="objective",
            title="Myöhä",
        )


def test_waiting_proposals_for_the_torchbearers_desk(planning: Planning) -> None:
    world = planning.world
    waiting = selectors.waiting_proposals([world.team_a.pk, world.team_b.pk, world.team_c.pk])
    assert waiting == {world.team_a.pk: 2, world.team_b.pk: 1}
    assert selectors.open_proposals_count(world.team_a, world.cycle) == 2
