from __future__ import annotations

import datetime
import random

import pytest

from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.demo.generate import generate_demo
from soihtu.planning import demo, selectors
from soihtu.planning.models import Proposal, ProposalSupport

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_demo_planning_happened_in_the_active_cycle() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    active = Cycle.objects.current(TODAY)
    assert active is not None
    team_cycles = TeamCycle.objects.filter(cycle=active)
    assert team_cycles.exists()
    assert all(tc.state == Cycle.State.ACTIVE for tc in team_cycles)
    assert all(tc.participation_percent is not None for tc in team_cycles)
    proposals = Proposal.objects.filter(cycle=active)
    assert proposals.filter(status=Proposal.Status.ACCEPTED).exists()
    declined = proposals.filter(status=Proposal.Status.DECLINED)
    assert declined.exists()
    assert all(p.decline_reason for p in declined)
    assert ProposalSupport.objects.exists()
    # The recorded share matches what the record computes from the rows.
    tc = team_cycles.first()
    assert tc is not None
    share = selectors.participation(tc.team, active)
    assert share.percent == tc.participation_percent
    # In late autumn the next cycle exists: the persona team's planning for it is open.
    following = Cycle.objects.get(year__number=2027, name="T1")
    assert set(Proposal.objects.exclude(cycle=active).values_list("cycle", flat=True)) == {
        following.pk
    }
    own = TeamCycle.objects.get(cycle=following)
    assert own.state == Cycle.State.PLANNING
    assert own.team.memberships.filter(user__username="soihdunkantaja").exists()


@pytest.mark.django_db
def test_demo_is_deterministic() -> None:
    generate_demo(people=40, today=TODAY, rituals=False)
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    first = list(Proposal.objects.order_by("id").values_list("title", "status", "created_by_id"))
    Proposal.objects.all().delete()
    TeamCycle.objects.all().delete()
    demo.generate(rng=random.Random(1), today=TODAY)  # noqa: S311 - demo data, not secrets
    second = list(Proposal.objects.order_by("id").values_list("title", "status", "created_by_id"))
    assert first == second


@pytest.mark.django_db
def test_demo_opens_the_next_cycle_for_the_torchbearers_team() -> None:
    day = datetime.date(2026, 6, 15)  # T2 active, T3 still ahead
    generate_demo(people=40, today=day, rituals=False)
    demo.generate(rng=random.Random(1), today=day)  # noqa: S311 - demo data, not secrets
    team_cycle = TeamCycle.objects.get(state=Cycle.State.PLANNING)
    assert team_cycle.team.memberships.filter(user__username="soihdunkantaja").exists()
    assert Proposal.objects.filter(cycle=team_cycle.cycle, status=Proposal.Status.OPEN).count() == 3
