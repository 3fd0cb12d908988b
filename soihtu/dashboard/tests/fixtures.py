"""A small practice history on the shared world, with numbers counted by hand in the tests.

Adds a supervisor of Division 1 (`division_head`), closed-cycle (T2) objectives in teams A, B
and C, planning, check-ins, a retrospective, learnings, a success and ideas.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from soihtu.accounts.models import User
from soihtu.conftest import HELSINKI, NOW, World, make_kr, make_objective, make_user
from soihtu.cycles.models import TeamCycle
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.learning.models import Learning
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.planning.models import Proposal, ProposalAuthor, ProposalComment, ProposalSupport
from soihtu.retrospectives.models import Retrospective
from soihtu.successes.models import Success


@dataclass
class Practice:
    world: World
    division_head: User


def _at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, 0, tzinfo=HELSINKI)


@pytest.fixture
def practice(world: World) -> Practice:
    w = world
    head = make_user("division_head")
    Membership.objects.create(user=head, unit=w.division, role=Membership.Role.SUPERVISOR)

    # T2 (closed): team A committed 1.0, team B aspirational 0.5, team C committed 0.0, and a
    # cancelled objective in team A that nothing counts.
    done = make_objective(w.team_a, year=w.year, cycle=w.closed_cycle, title="Valmis")
    done.themes.set([w.themes[1]])
    make_kr(done, "Sata", current_value=Decimal(100))
    half = make_objective(
        w.team_b, year=w.year, cycle=w.closed_cycle, title="Puoliksi", kind="aspirational"
    )
    make_kr(half, "Puolet", current_value=Decimal(50))
    make_objective(w.team_c, year=w.year, cycle=w.closed_cycle, title="Ei mittareita")
    cancelled = make_objective(
        w.team_a,
        year=w.year,
        cycle=w.closed_cycle,
        title="Peruttu",
        status=Objective.Status.CANCELLED,
    )
    cancelled.themes.set([w.themes[1]])

    # T3 planning: team A's member proposed, its torchbearer commented, team C's member (not in
    # team A) supported; team B activated below half.
    TeamCycle.objects.create(team=w.team_a, cycle=w.cycle, state="active")
    TeamCycle.objects.create(
        team=w.team_b, cycle=w.cycle, state="active", activated_below_half=True
    )
    proposal = Proposal.objects.create(team=w.team_a, cycle=w.cycle, title="Ehdotus")
    ProposalAuthor.objects.create(proposal=proposal, user=w.member)
    ProposalComment.objects.create(proposal=proposal, author=w.torchbearer, text="Hyvä")
    ProposalSupport.objects.create(proposal=proposal, user=w.outsider)

    # T3 check-ins: kr_a1 three days ago (within team A's two weeks), kr_a2 twenty days ago.
    KeyResult.objects.filter(pk=w.kr_a1.pk).update(last_checkin_at=NOW - datetime.timedelta(days=3))
    KeyResult.objects.filter(pk=w.kr_a2.pk).update(
        last_checkin_at=NOW - datetime.timedelta(days=20)
    )

    # Rituals.
    Retrospective.objects.create(team=w.team_a, cycle=w.closed_cycle, completed_at=_at(9, 1))
    Retrospective.objects.create(team=w.team_b, cycle=w.closed_cycle)
    for text, internal in [("Opittu 1", False), ("Opittu 2", False), ("Sisäinen", True)]:
        Learning.objects.create(text=text, team=w.team_a, cycle=w.closed_cycle, internal=internal)
    Learning.objects.create(text="Opittu C", team=w.team_c, cycle=w.cycle)
    Success.objects.create(team=w.team_b, cycle=w.cycle, title="Onnistuimme", story="Tarina")
    idea_a = Idea.objects.create(team=w.team_a, title="Idea A", state=Idea.State.ADOPTED)
    IdeaStep.objects.create(idea=idea_a, from_state="", to_state="new", at=_at(6, 1))
    IdeaStep.objects.create(idea=idea_a, from_state="new", to_state="tried", at=_at(6, 10))
    IdeaStep.objects.create(idea=idea_a, from_state="tried", to_state="adopted", at=_at(10, 1))
    idea_c = Idea.objects.create(team=w.team_c, title="Idea C", state=Idea.State.TRIED)
    IdeaStep.objects.create(idea=idea_c, from_state="new", to_state="tried", at=_at(10, 5))
    return Practice(world=w, division_head=head)
