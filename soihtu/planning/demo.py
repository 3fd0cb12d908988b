"""Demo rows for choosing goals together.

In the active cycle every team with objectives has already chosen them: its objectives and a
key result come from accepted proposals, a few proposals were declined with a reason, and
members commented and supported; the team's cycle is active with its participation recorded.
For the torchbearer persona's team, planning of the next cycle is open with a few open
proposals, when the demo has a next cycle (a demo generated for late autumn has none).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from soihtu.cycles.models import Cycle, TeamCycle
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership, Unit
from soihtu.planning.models import Proposal, ProposalAuthor, ProposalComment, ProposalSupport

TORCHBEARER = "soihdunkantaja"
DECLINED = [
    (
        "Uusi intranet-sivusto tiimille",
        "Hyvä ajatus, mutta se ei mahdu tähän jaksoon. Palataan siihen seuraavassa valinnassa.",
    ),
    (
        "Kaikki asiakaskirjeet uusiksi",
        "Liian iso yhdelle jaksolle. Otetaan ensin yksi kirjepohja kokeiluun.",
    ),
    (
        "Viikoittainen asiakaskysely",
        "Kela tekee jo asiakaskyselyn; käytetään sen tuloksia eikä kuormiteta asiakkaita lisää.",
    ),
    (
        "Oma tiimipäivä joka kuukausi",
        "Tärkeä asia, mutta se ei ole tavoite. Sovitaan tiimipäivistä tiimipalaverissa.",
    ),
]
COMMENTS = [
    "Kannatan, tämä näkyy suoraan asiakkaalle.",
    "Miten mittaamme tätä? Saammeko luvut raportoinnista?",
    "Hyvä, mutta tavoitetaso voisi olla maltillisempi.",
    "Tämä tukee myös naapuritiimin tavoitetta.",
    "Voisin ottaa tämän avaintuloksen vastuulleni.",
    "Tärkeä, viime jaksossa tästä tuli paljon palautetta.",
]
NEXT_CYCLE = [
    (
        Proposal.Kind.OBJECTIVE,
        "Asiakas saa ratkaisun ensimmäisellä yhteydenotolla",
        "Moni asiakas joutuu nyt soittamaan uudelleen.",
    ),
    (
        Proposal.Kind.OBJECTIVE,
        "Opimme toisiltamme joka viikko",
        "Lyhyt oppimistuokio tiistaisin.",
    ),
    (
        Proposal.Kind.KEY_RESULT,
        "Uudelleen soittavien osuus alle 15 %",
        "Mitataan puhelinjärjestelmän raportista.",
    ),
]


@dataclass
class _Rows:
    proposals: list[Proposal] = field(default_factory=list)
    authors: list[list[int]] = field(default_factory=list)  # per proposal
    comments: list[list[tuple[int, str]]] = field(default_factory=list)
    supports: list[list[int]] = field(default_factory=list)
    team_cycles: list[TeamCycle] = field(default_factory=list)

    def add(
        self,
        proposal: Proposal,
        authors: list[int],
        comments: list[tuple[int, str]],
        supports: list[int],
    ) -> None:
        self.proposals.append(proposal)
        self.authors.append(authors)
        self.comments.append(comments)
        self.supports.append(supports)

    def save(self) -> None:
        Proposal.objects.bulk_create(self.proposals, batch_size=500)
        ProposalAuthor.objects.bulk_create(
            [
                ProposalAuthor(proposal=p, user_id=u)
                for p, users in zip(self.proposals, self.authors, strict=True)
                for u in users
            ],
            batch_size=500,
        )
        ProposalComment.objects.bulk_create(
            [
                ProposalComment(
                    proposal=p,
                    author_id=u,
                    text=text,
                    created_at=p.created_at + datetime.timedelta(hours=3 + i),
                )
                for p, rows in zip(self.proposals, self.comments, strict=True)
                for i, (u, text) in enumerate(rows)
            ],
            batch_size=500,
        )
        ProposalSupport.objects.bulk_create(
            [
                ProposalSupport(proposal=p, user_id=u, created_at=p.created_at)
                for p, users in zip(self.proposals, self.supports, strict=True)
                for u in users
            ],
            batch_size=500,
        )
        TeamCycle.objects.bulk_create(
            self.team_cycles,
            update_conflicts=True,
            unique_fields=["team", "cycle"],
            update_fields=[
                "state",
                "planning_opened_at",
                "planning_opened_by",
                "activated_at",
                "activated_by",
                "participation_percent",
                "activated_below_half",
            ],
        )


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


class _Team:
    def __init__(self, unit_id: int, members: list[tuple[int, str]]) -> None:
        self.unit_id = unit_id
        self.members = [user for user, _role in members]
        leaders = [user for user, role in members if role != Membership.Role.MEMBER]
        self.leaders = leaders or self.members[:1]


def _teams() -> dict[int, _Team]:
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        Membership.objects.filter(unit__kind=Unit.Kind.TEAM)
        .order_by("unit_id", "id")
        .values_list("unit_id", "user_id", "role")
    )
    for unit_id, user_id, role in rows:
        members[unit_id].append((user_id, role))
    return {unit_id: _Team(unit_id, people) for unit_id, people in members.items()}


def _took_part(rng: random.Random, team: _Team) -> list[int]:
    """Who took part: in most teams more than half, in a few fewer."""
    share = rng.choice([0.3, 0.4]) if rng.random() < 0.15 else rng.uniform(0.55, 1.0)
    count = max(1, min(len(team.members), round(share * len(team.members))))
    return rng.sample(team.members, count)


def _chosen_cycle(
    rng: random.Random,
    rows: _Rows,
    team: _Team,
    cycle: Cycle,
    objectives: list[tuple[int, str, tuple[int, str] | None]],
) -> None:
    """A finished planning: accepted and declined proposals, then the cycle activated."""
    people = _took_part(rng, team)
    opened = _moment(cycle.starts_on - datetime.timedelta(days=21), 9)
    start = len(rows.proposals)
    titles: list[tuple[str, str, int, int | None]] = [
        (Proposal.Kind.OBJECTIVE, title, oid, None) for oid, title, _kr in objectives
    ]
    oid, _title, key_result = objectives[0]
    if key_result is not None:
        titles.append((Proposal.Kind.KEY_RESULT, key_result[1], oid, key_result[0]))
    for i, (kind, title, objective_id, key_result_id) in enumerate(titles):
        rows.add(
            Proposal(
                team_id=team.unit_id,
                cycle=cycle,
                kind=kind,
                title=title,
                status=Proposal.Status.ACCEPTED,
                target_objective_id=objective_id if key_result_id else None,
                accepted_objective_id=objective_id,
                accepted_key_result_id=key_result_id,
                created_by_id=people[i % len(people)],
                decided_by_id=team.leaders[0],
                decided_at=_moment(cycle.starts_on - datetime.timedelta(days=3), 14),
                created_at=opened + datetime.timedelta(days=1 + i),
            ),
            [people[i % len(people)]],
            [],
            [],
        )
    for title, reason in rng.sample(DECLINED, rng.randint(1, 2)):
        author = rng.choice(people)
        rows.add(
            Proposal(
                team_id=team.unit_id,
                cycle=cycle,
                title=title,
                status=Proposal.Status.DECLINED,
                decline_reason=reason,
                created_by_id=author,
                decided_by_id=team.leaders[0],
                decided_at=_moment(cycle.starts_on - datetime.timedelta(days=3), 14),
                created_at=opened + datetime.timedelta(days=4),
            ),
            [author],
            [],
            [],
        )
    _discuss(rng, rows, start, people)
    rows.team_cycles.append(
        TeamCycle(
            team_id=team.unit_id,
            cycle=cycle,
            state=Cycle.State.ACTIVE,
            planning_opened_at=opened,
            planning_opened_by_id=team.leaders[-1],
            activated_at=_moment(cycle.starts_on, 10),
            activated_by_id=team.leaders[-1],
            participation_percent=round(100 * len(people) / len(team.members)),
            activated_below_half=len(people) * 2 < len(team.members),
        )
    )


def _discuss(rng: random.Random, rows: _Rows, start: int, people: list[int]) -> None:
    """Everyone who took part comments or supports; supports are once per person."""
    indexes = range(start, len(rows.proposals))
    for person in people:
        for index in rng.sample(list(indexes), min(len(indexes), rng.randint(1, 3))):
            if rng.random() < 0.3:
                rows.comments[index].append((person, rng.choice(COMMENTS)))
            elif person not in rows.supports[index]:
                rows.supports[index].append(person)


def _open_next_cycle(rng: random.Random, rows: _Rows, team: _Team, cycle: Cycle) -> None:
    opened = _moment(cycle.starts_on - datetime.timedelta(days=30), 9)
    start = len(rows.proposals)
    people = rng.sample(team.members, max(1, len(team.members) // 3))
    for i, (kind, title, description) in enumerate(NEXT_CYCLE):
        author = people[i % len(people)]
        rows.add(
            Proposal(
                team_id=team.unit_id,
                cycle=cycle,
                kind=kind,
                title=title,
                description=description,
                created_by_id=author,
                created_at=opened + datetime.timedelta(days=i + 1),
            ),
            [author],
            [],
            [],
        )
    _discuss(rng, rows, start, people)
    rows.team_cycles.append(
        TeamCycle(
            team_id=team.unit_id,
            cycle=cycle,
            state=Cycle.State.PLANNING,
            planning_opened_at=opened,
            planning_opened_by_id=team.leaders[-1],
        )
    )


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Add planning rows to a generated demo organization (deterministic for `rng`)."""
    active = Cycle.objects.current(today)
    if active is None:
        return
    teams = _teams()
    objectives: dict[int, list[tuple[int, str, tuple[int, str] | None]]] = defaultdict(list)
    first_kr = {
        objective_id: (kr_id, title)
        for objective_id, kr_id, title in KeyResult.objects.filter(objective__cycle=active)
        .order_by("-id")
        .values_list("objective_id", "id", "title")
    }
    for oid, unit_id, title in (
        Objective.objects.filter(cycle=active, owner_unit__kind=Unit.Kind.TEAM)
        .order_by("id")
        .values_list("id", "owner_unit_id", "title")
    ):
        objectives[unit_id].append((oid, title, first_kr.get(oid)))
    rows = _Rows()
    for unit_id, team in sorted(teams.items()):
        if objectives.get(unit_id):
            _chosen_cycle(rng, rows, team, active, objectives[unit_id])
    following = Cycle.objects.filter(starts_on__gt=active.ends_on).order_by("starts_on").first()
    persona_team = (
        Membership.objects.filter(user__username=TORCHBEARER, role=Membership.Role.TORCHBEARER)
        .values_list("unit_id", flat=True)
        .first()
    )
    if following is not None and persona_team in teams:
        _open_next_cycle(rng, rows, teams[persona_team], following)
    rows.save()
