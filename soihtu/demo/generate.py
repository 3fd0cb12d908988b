"""A Kela-like demo organization: units, people, cycles, objectives, key results and check-ins.

Everything is written with bulk_create (no services, no audit events: generating a demo is not a
user action), so that an organization of 8,000 people is ready in seconds. The output depends
only on `seed`, `people` and `today`.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle, Year
from soihtu.dashboard.models import PracticeFigures
from soihtu.dashboard.services import practice_figures_refresh
from soihtu.demo.content import (
    ABOVE,
    BELOW,
    DEC,
    DIVISION_OBJECTIVES,
    DIVISIONS,
    FIRST_NAMES,
    INC,
    IT_TEAM_NAMES,
    KR,
    LAST_NAMES,
    MILESTONE,
    NOTES,
    ORG_2021,
    ORG_2022,
    ORG_CURRENT,
    PERSONA_NAMES,
    SCALE,
    TEAM_OBJECTIVES,
    TERTIALS,
    THEMES,
    VALUE_DECIMALS,
    VALUE_RANGE,
    DivisionSpec,
    OrgObjective,
)
from soihtu.okrs.models import KeyResult, Objective, UnitProgressRefresh
from soihtu.okrs.services import unit_progress_refresh
from soihtu.organization.models import (
    PATH_STEP,
    Membership,
    OrganizationSettings,
    StrategyTheme,
    Unit,
)
from soihtu.organization.services import _base36

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

BATCH_SIZE = 2000
MIN_PEOPLE = 30
MIN_TEAM, MAX_TEAM = 4, 15
HELSINKI = ZoneInfo("Europe/Helsinki")
DEMO_PASSWORD = "demo"  # noqa: S105 - the demo personas' published password
PILOT_YEAR = 2022

Role = Membership.Role

PERSONAS: list[tuple[str, StrPromise]] = [
    ("okr.toimisto", _("OKR office (org admin)")),
    ("esihenkilo", _("supervisor")),
    ("soihdunkantaja", _("torchbearer")),
    ("jasen", _("member")),
    ("toisen.tiimin.jasen", _("member of another team")),
]
# username -> (first name, last name); the names say the role, as the sign-in page does.


@dataclass
class DemoSummary:
    people: int = 0
    units: int = 0
    teams: int = 0
    objectives: int = 0
    key_results: int = 0
    checkins: int = 0
    seconds: float = 0.0


def generate_demo(
    *,
    people: int = 300,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
    seed: int = 2022,
    rituals: bool = True,
) -> DemoSummary:
    """Write a Kela-like demo organization of about `people` persons into an empty database.

    With `rituals`, the teams' practice is added on top: planning with proposals, follow-up
    cadences and meetings, retrospectives and learnings, successes and ideas.

    At least MIN_PEOPLE people are generated, so that the personas' teams exist. Team sizes are
    random, so the count lands within a few percent of `people`. `today` decides which cycles are
    closed, active or planned and how far the check-ins go.
    """
    started = time.monotonic()
    generator = _Generator(
        people=max(people, MIN_PEOPLE),
        today=today or timezone.localdate(),
        progress=progress or (lambda message: None),
        seed=seed,
    )
    with transaction.atomic():
        summary = generator.run()
        if rituals:
            _rituals(seed=seed, today=generator.today, say=generator.say)
        unit_progress_refresh()
        practice_figures_refresh()
        generator.say("Progress roll-ups and dashboard figures… refreshed")
    summary.seconds = time.monotonic() - started
    return summary


def _rituals(*, seed: int, today: datetime.date, say: Callable[[str], None]) -> None:
    """Each ritual app adds its part of the demo (imported here: they build on the core)."""
    from soihtu.comments import demo as comments
    from soihtu.followup import demo as followup
    from soihtu.ideas import demo as ideas
    from soihtu.planning import demo as planning
    from soihtu.retrospectives import demo as retrospectives
    from soihtu.successes import demo as successes
    from soihtu.surveys import demo as surveys
    from soihtu.transparency import demo as transparency

    steps = [
        ("Planning with the staff", planning.generate),
        ("Follow-up cadences and meetings", followup.generate),
        ("Retrospectives and learnings", retrospectives.generate),
        ("Successes", successes.generate),
        ("Ideas", ideas.generate),
        ("Survey rounds", surveys.generate),
        ("Public transparency page", transparency.generate),
        # Last, so that adding it left the random choices of the steps above as they were.
        ("Conversation on goals", comments.generate),
    ]
    for offset, (label, generate) in enumerate(steps):
        generate(rng=random.Random(seed + offset), today=today)  # noqa: S311 - demo data
        say(f"{label}… done")


def reset_demo() -> None:
    """Delete the demo data: everything except superusers and the organization settings."""
    with transaction.atomic():
        CheckIn.objects.all().delete()
        KeyResult.objects.all().delete()
        Objective.objects.all().delete()
        Membership.objects.all().delete()
        depths = set(Unit.objects.values_list("depth", flat=True))
        for depth in sorted(depths, reverse=True):  # parents are protected from deletion
            Unit.objects.filter(depth=depth).delete()
        Cycle.objects.all().delete()
        Year.objects.all().delete()
        StrategyTheme.objects.all().delete()
        AuditEvent.objects.all().delete()
        User.objects.filter(is_superuser=False).delete()
        # Precomputed figures of the old demo (roll-ups go with their units and cycles).
        PracticeFigures.objects.all().delete()
        UnitProgressRefresh.objects.all().delete()


def number(value: int) -> str:
    """14 532: thousands separated by a space, as in Finnish."""
    return f"{value:,}".replace(",", " ")


# --- Planning ------------------------------------------------------------------------------------


@dataclass
class _Team:
    name: str
    content: str
    size: int
    members: list[User] = field(default_factory=list)  # supervisor, torchbearer, then members
    unit: Unit | None = None


@dataclass
class _Unit:
    name: str
    teams: list[_Team]
    unit: Unit | None = None


@dataclass
class _Division:
    spec: DivisionSpec
    units: list[_Unit]
    unit: Unit | None = None
    supervisor: User | None = None

    @property
    def teams(self) -> list[_Team]:
        return [team for unit in self.units for team in unit.teams]


@dataclass(eq=False)
class _Goal:
    """An objective being generated, with what the generator must remember about it."""

    objective: Objective
    themes: list[StrategyTheme]
    targets: list[_Goal] = field(default_factory=list)
    key_results: list[KeyResult] = field(default_factory=list)


@dataclass
class _Track:
    """How one key result's check-ins go: the period, the final progress and the pattern."""

    key_result: KeyResult
    starts_on: datetime.date
    ends_on: datetime.date
    monthly: bool  # year-long objectives are followed up monthly, cycles every two weeks
    last_day: datetime.date
    final: float  # progress reached by the end of the period, 0.0-1.05
    shape: float  # progress grows as share ** shape: < 1 a fast start


def _path(parent: str, index: int) -> str:
    """The path of the `index`-th child (1-based), as organization.services.next_child_path."""
    return parent + _base36(index).rjust(PATH_STEP, "0")


def _ascii(name: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", " ": "-"})
    return name.lower().translate(table)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


class _Generator:
    def __init__(
        self, *, people: int, today: datetime.date, progress: Callable[[str], None], seed: int
    ) -> None:
        self.people = people
        self.today = today
        self.say = progress
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.summary = DemoSummary()
        self.divisions: list[_Division] = []
        self.personas: dict[str, User] = {}
        self.themes: list[StrategyTheme] = []
        self.cycles: list[Cycle] = []
        self.years: dict[int, Year] = {}
        self.root: Unit | None = None
        self.goals: list[_Goal] = []
        self.tracks: list[_Track] = []
        self.unit_codes = 0

    def run(self) -> DemoSummary:
        self._organization()
        self._plan()
        self._units()
        self._people()
        self._memberships()
        self._calendar()
        self._objectives()
        self._checkins()
        return self.summary

    # Organization and tree

    def _organization(self) -> None:
        organization = OrganizationSettings.objects.first() or OrganizationSettings()
        organization.name = "Kela"
        organization.languages = "fi,sv,en"
        organization.default_cycle_months = 4
        organization.year_start_month = 1
        organization.save()
        self.themes = StrategyTheme.objects.bulk_create(
            StrategyTheme(
                order=order,
                name_fi=names[0],
                name_sv=names[1],
                name_en=names[2],
                description_fi=descriptions[0],
                description_sv=descriptions[1],
                description_en=descriptions[2],
                colour=colour,
            )
            for order, (names, descriptions, colour) in enumerate(THEMES, start=1)
        )
        self.say(f"Organization settings and {len(self.themes)} strategy themes… done")

    def _plan(self) -> None:
        counts = [round(self.people * spec.share) for spec in DIVISIONS]
        counts[1] += self.people - sum(counts)
        for index, spec in enumerate(DIVISIONS):  # small divisions of a small organization
            least = spec.min_teams * MIN_TEAM + (spec.first_team[2] if spec.first_team else 0)
            if counts[index] < least:
                counts[1] -= least - counts[index]  # from benefits processing, the largest
                counts[index] = least
        for spec, count in zip(DIVISIONS, counts, strict=True):
            teams = self._plan_teams(spec, count)
            self.divisions.append(_Division(spec, self._group(spec, teams)))

    def _plan_teams(self, spec: DivisionSpec, count: int) -> list[_Team]:
        """Teams of the division with their sizes; names are given when grouped into units."""
        teams: list[_Team] = []
        rest = count
        if spec.first_team:
            name, content, low, high = spec.first_team
            size = max(low, min(self.rng.randint(low, high), count))
            teams.append(_Team(name, content, size))
            rest -= teams[0].size
        for size in self._split(rest, spec.min_teams, spec.team_sizes):
            teams.append(_Team("", spec.content, size))
        if spec.first_team and 0 < rest < MIN_TEAM and len(teams) == 1:
            teams[0].size += rest  # too few left for a team of their own
        return teams

    def _split(self, total: int, minimum: int, sizes: tuple[int, int]) -> list[int]:
        """Team sizes (4-15, mostly within `sizes`) adding up to `total` (or more if too few)."""
        low, high = sizes
        count = max(round(total / ((low + high) / 2)), math.ceil(total / MAX_TEAM), minimum)
        count = min(count, max(minimum, total // MIN_TEAM))
        if count <= 0:
            return []
        result = [self.rng.randint(low, high) for _ in range(count)]
        target = max(total, count * MIN_TEAM)
        while (diff := target - sum(result)) != 0:
            index = self.rng.randrange(count)
            if diff > 0 and result[index] < MAX_TEAM:
                result[index] += 1
            elif diff < 0 and result[index] > MIN_TEAM:
                result[index] -= 1
        return result

    def _group(self, spec: DivisionSpec, teams: list[_Team]) -> list[_Unit]:
        """Teams into units of 4-9 teams, naming both."""
        chunks: list[list[_Team]] = []
        position = 0
        while position < len(teams):
            size = self.rng.randint(4, 9)
            chunks.append(teams[position : position + size])
            position += size
        if len(chunks) > 1 and len(chunks[-1]) < 2:
            chunks[-2].extend(chunks.pop())
        units = []
        counters: dict[str, int] = {}
        for index, chunk in enumerate(chunks):
            name, bases = spec.units[index % len(spec.units)]
            rounds = index // len(spec.units)
            units.append(_Unit(f"{name} {rounds + 1}" if rounds else name, chunk))
            unnamed = [team for team in chunk if not team.name]
            for position, team in enumerate(unnamed):
                team.name = self._team_name(spec, bases, position, counters)
        return units

    def _team_name(
        self, spec: DivisionSpec, bases: tuple[str, ...], position: int, counters: dict[str, int]
    ) -> str:
        if not bases:  # a division-wide list of names (the solution teams)
            base = IT_TEAM_NAMES[counters.get("", 0) % len(IT_TEAM_NAMES)]
            counters[""] = counters.get("", 0) + 1
        else:
            base = bases[position % len(bases)]
        counters[base] = counters.get(base, 0) + 1
        if spec.numbered:
            return f"{base} {counters[base]}"
        return base if counters[base] == 1 else f"{base} {counters[base]}"

    def _units(self) -> None:
        self.root = Unit(
            name="Kela", code="KELA", kind=Unit.Kind.ORGANIZATION, path=_path("", 1), depth=0
        )
        Unit.objects.bulk_create([self.root])
        for index, division in enumerate(self.divisions, start=1):
            division.unit = self._child(self.root, index, division.spec.name, Unit.Kind.DIVISION)
        Unit.objects.bulk_create([d.unit for d in self.divisions if d.unit])
        middle = []
        for division in self.divisions:
            assert division.unit
            for index, unit in enumerate(division.units, start=1):
                unit.unit = self._child(division.unit, index, unit.name, Unit.Kind.UNIT)
                middle.append(unit)
        Unit.objects.bulk_create([u.unit for u in middle if u.unit], batch_size=BATCH_SIZE)
        teams = []
        for unit in middle:
            assert unit.unit
            for index, team in enumerate(unit.teams, start=1):
                team.unit = self._child(unit.unit, index, team.name, Unit.Kind.TEAM)
                teams.append(team.unit)
        Unit.objects.bulk_create(teams, batch_size=BATCH_SIZE)
        self.summary.units = 1 + len(self.divisions) + len(middle) + len(teams)
        self.summary.teams = len(teams)
        self.say(f"Units… {number(self.summary.units)} created ({number(len(teams))} teams)")

    def _child(self, parent: Unit, index: int, name: str, kind: str) -> Unit:
        path = _path(parent.path, index)
        self.unit_codes += 1  # as an HR system numbers its units (see docs/hr-import.md)
        return Unit(
            name=name,
            code=f"K{self.unit_codes:04d}",
            kind=kind,
            parent=parent,
            path=path,
            depth=len(path) // PATH_STEP - 1,
        )

    # People and memberships

    def _persona_slots(self) -> dict[tuple[int, int], str]:
        """(id of a team plan, position in the team) -> persona username."""
        customer_unit = self.divisions[0].units[0]
        first, sibling = customer_unit.teams[0], customer_unit.teams[1]
        okr_office = self.divisions[-1].units[0].teams[0]
        return {
            (id(first), 0): "esihenkilo",
            (id(first), 1): "soihdunkantaja",
            (id(first), 2): "jasen",
            (id(sibling), 2): "toisen.tiimin.jasen",
            (id(okr_office), 2): "okr.toimisto",
        }

    def _people(self) -> None:
        slots = self._persona_slots()
        taken = set(PERSONA_NAMES)
        unusable = make_password(None)
        persona_password = make_password(DEMO_PASSWORD)
        users: list[User] = []
        for division in self.divisions:
            for team in division.teams:
                for position in range(team.size):
                    username = slots.get((id(team), position))
                    if username:
                        user = self._persona(username, persona_password)
                    else:
                        user = self._person(taken, unusable)
                    user.employee_id = f"{100001 + len(users)}"
                    team.members.append(user)
                    users.append(user)
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        self.summary.people = len(users)
        self.say(f"People… {number(len(users))} created")

    def _persona(self, username: str, password: str) -> User:
        first, last = PERSONA_NAMES[username]
        admin = username == "okr.toimisto"
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@kela.example",
            password=password,
            is_staff=admin,
            is_org_admin=admin,
        )
        self.personas[username] = user
        return user

    def _person(self, taken: set[str], unusable: str) -> User:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        base = f"{_ascii(first)}.{_ascii(last)}"
        username, suffix = base, 1
        while username in taken:
            suffix += 1
            username = f"{base}{suffix}"
        taken.add(username)
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@kela.example",
            password=unusable,
        )

    def _memberships(self) -> None:
        rows: list[Membership] = []
        seen: set[tuple[int, int]] = set()

        def add(user: User, unit: Unit | None, role: str) -> None:
            assert unit is not None
            assert user.pk
            assert unit.pk
            if (user.pk, unit.pk) not in seen:
                seen.add((user.pk, unit.pk))
                rows.append(Membership(user=user, unit=unit, role=role))

        teams = [team for division in self.divisions for team in division.teams]
        for team in teams:
            for position, user in enumerate(team.members):
                role = (
                    [Role.SUPERVISOR, Role.TORCHBEARER][position] if position < 2 else Role.MEMBER
                )
                add(user, team.unit, role)
        for division in self.divisions:
            division.supervisor = self._pick_lead(division.teams)
            add(division.supervisor, division.unit, Role.SUPERVISOR)
            for unit in division.units:
                add(self._pick_lead(unit.teams), unit.unit, Role.SUPERVISOR)
        for _extra in range(max(1, round(len(rows) * 0.02))):  # a few people in a second team
            team, other = self.rng.sample(teams, 2) if len(teams) > 1 else (teams[0], teams[0])
            user = self._pick_lead([team])
            if team is not other:
                add(user, other.unit, Role.MEMBER)
        Membership.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.say(f"Memberships… {number(len(rows))} created")

    def _pick_lead(self, teams: list[_Team]) -> User:
        """Someone from these teams who is not a persona, preferring plain members."""
        personas = set(self.personas.values())
        candidates = [u for t in teams for u in t.members[2:] if u not in personas]
        candidates = candidates or [u for t in teams for u in t.members if u not in personas]
        return self.rng.choice(candidates)

    # Years and cycles

    def _calendar(self) -> None:
        current = self.today.year
        numbers = sorted({2021, PILOT_YEAR, current})
        if self.today >= datetime.date(current, 9, 1):
            numbers.append(current + 1)
        self.years = {
            n: Year(number=n, starts_on=datetime.date(n, 1, 1), ends_on=datetime.date(n, 12, 31))
            for n in numbers
        }
        Year.objects.bulk_create(self.years.values())
        # The next year's cycles exist (in planning) once its first cycle is near.
        for year_number in sorted({PILOT_YEAR, current} | ({current + 1} & set(self.years))):
            for name, start, end in TERTIALS:
                starts_on = datetime.date(year_number, *start)
                ends_on = datetime.date(year_number, *end)
                self.cycles.append(
                    Cycle(
                        year=self.years[year_number],
                        name=name,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        state=self._state(starts_on, ends_on),
                    )
                )
        Cycle.objects.bulk_create(self.cycles)
        self.say(f"Years and cycles… {len(self.years)} years, {len(self.cycles)} cycles created")

    def _state(self, starts_on: datetime.date, ends_on: datetime.date) -> str:
        if ends_on < self.today:
            return Cycle.State.CLOSED
        if starts_on <= self.today:
            return Cycle.State.ACTIVE
        return Cycle.State.PLANNING

    # Objectives and key results

    def _objectives(self) -> None:
        templates = {2021: ORG_2021, PILOT_YEAR: ORG_2022, self.today.year: ORG_CURRENT}
        org = {year: self._org_goals(year, objectives) for year, objectives in templates.items()}
        by_division = {id(d): self._division_goals(d, org[self.today.year]) for d in self.divisions}
        for cycle, pilot in self._team_cycles():
            for division in self.divisions:
                teams = division.teams
                if pilot:  # about a third of the teams piloted OKRs in the autumn of 2022
                    teams = [team for team in teams if self.rng.random() < 0.34]
                current = cycle.year.number == self.today.year
                targets = by_division[id(division)] if current else []
                for team in teams:
                    self._team_goals(team, cycle, targets, org[cycle.year.number])
        self._save_goals()

    def _team_cycles(self) -> list[tuple[Cycle, bool]]:
        """The cycles with team objectives, and whether only the pilot teams have them."""
        current = [c for c in self.cycles if c.year.number == self.today.year]
        active = next(i for i, c in enumerate(current) if c.state == Cycle.State.ACTIVE)
        chosen = [(c, False) for c in current[max(active - 1, 0) : active + 1]]
        pilot = next(c for c in self.cycles if c.year.number == PILOT_YEAR and c.name == "T3")
        if pilot.starts_on <= self.today and all(c is not pilot for c, _pilot in chosen):
            chosen.insert(0, (pilot, True))
        return chosen

    def _org_goals(self, year_number: int, templates: list[OrgObjective]) -> list[_Goal]:
        year = self.years[year_number]
        owners = [d.supervisor for d in self.divisions if d.supervisor]
        goals = []
        for title, theme_orders, aspirational, krs in templates:
            objective = Objective(
                title=title,
                owner_unit=self.root,
                year=year,
                cycle=None,
                kind=Objective.Kind.ASPIRATIONAL if aspirational else Objective.Kind.COMMITTED,
                status=Objective.Status.ACTIVE,
                created_by=self.personas["okr.toimisto"],
                created_at=self._moment(year.starts_on - datetime.timedelta(days=20)),
            )
            objective.updated_at = objective.created_at
            goal = _Goal(objective, [self.themes[order - 1] for order in theme_orders])
            for template in krs:
                self._key_result(
                    goal, template, self.rng.choice(owners), year.starts_on, year.ends_on
                )
            goals.append(goal)
        self.goals.extend(goals)
        return goals

    def _division_goals(self, division: _Division, org: list[_Goal]) -> list[_Goal]:
        templates = DIVISION_OBJECTIVES[division.spec.content]
        year = self.years[self.today.year]
        goals = []
        for title, serves, krs in templates[: self.rng.choice((1, 2, 2))]:
            targets = [org[index] for index in serves]
            objective = Objective(
                title=title,
                owner_unit=division.unit,
                year=year,
                cycle=None,
                created_by=division.supervisor,
                created_at=self._moment(year.starts_on + datetime.timedelta(days=10)),
            )
            objective.updated_at = objective.created_at
            goal = _Goal(objective, self._union_themes(targets), targets)
            assert division.supervisor
            for template in krs:
                self._key_result(goal, template, division.supervisor, year.starts_on, year.ends_on)
            goals.append(goal)
        self.goals.extend(goals)
        return goals

    def _team_goals(
        self, team: _Team, cycle: Cycle, division_goals: list[_Goal], org: list[_Goal]
    ) -> None:
        templates = TEAM_OBJECTIVES[team.content]
        count = self.rng.choices((2, 3, 4), weights=(3, 5, 2))[0]
        for title, krs in self.rng.sample(templates, min(count, len(templates))):
            targets = self._team_targets(division_goals, org)
            objective = Objective(
                title=title,
                owner_unit=team.unit,
                year=cycle.year,
                cycle=cycle,
                kind=Objective.Kind.ASPIRATIONAL
                if self.rng.random() < 0.25
                else Objective.Kind.COMMITTED,
                visibility=Objective.Visibility.RESTRICTED
                if self.rng.random() < 0.03
                else Objective.Visibility.OPEN,
                created_by=self.rng.choice(team.members[:2]),
                created_at=self._moment(
                    cycle.starts_on - datetime.timedelta(days=self.rng.randint(3, 12))
                ),
            )
            objective.updated_at = objective.created_at
            goal = _Goal(objective, self._union_themes(targets), targets)
            chosen = self.rng.sample(krs, min(self.rng.choices((2, 3, 4), (3, 5, 2))[0], len(krs)))
            for template in chosen:
                owner = self.rng.choice(team.members)
                self._key_result(goal, template, owner, cycle.starts_on, cycle.ends_on, cycle)
            self.goals.append(goal)
        self._persona_ownership(team, cycle)

    def _persona_ownership(self, team: _Team, cycle: Cycle) -> None:
        """The member and torchbearer personas own key results of their team's active cycle."""
        if cycle.state != Cycle.State.ACTIVE or self.personas.get("jasen") not in team.members:
            return
        goals = [
            g
            for g in self.goals
            if g.objective.owner_unit is team.unit and g.objective.cycle is cycle
        ]
        owners = [self.personas["jasen"], self.personas["soihdunkantaja"]]
        for goal, owner in zip(goals, owners, strict=False):
            goal.key_results[0].owner = owner

    def _team_targets(self, division_goals: list[_Goal], org: list[_Goal]) -> list[_Goal]:
        """What a team objective contributes to: its division's objective and/or the org's."""
        targets: list[_Goal] = []
        if division_goals and self.rng.random() < 0.7:
            targets.append(self.rng.choice(division_goals))
        if not targets or self.rng.random() < 0.4:
            targets.append(self.rng.choice(targets[0].targets if targets else org))
        return targets

    def _union_themes(self, goals: list[_Goal]) -> list[StrategyTheme]:
        themes = {theme.order: theme for goal in goals for theme in goal.themes}
        return [themes[order] for order in sorted(themes)]

    def _key_result(
        self,
        goal: _Goal,
        template: KR,
        owner: User,
        starts_on: datetime.date,
        ends_on: datetime.date,
        cycle: Cycle | None = None,
    ) -> None:
        title, kind, start, target, unit = template
        if kind in (INC, DEC):
            start, target = self._vary(start, target, unit)
        key_result = KeyResult(
            objective=goal.objective,
            title=title,
            kind=kind,
            start_value=Decimal(str(start)),
            target_value=Decimal(str(target)),
            unit_of_measure=unit,
            owner=owner,
            weight=2 if self.rng.random() < 0.15 else 1,
            created_at=goal.objective.created_at,
        )
        goal.key_results.append(key_result)
        self._plan_track(goal, key_result, starts_on, ends_on, cycle)

    def _vary(self, start: float, target: float, unit: str) -> tuple[float, float]:
        """The template's start and target moved a little, so teams' numbers differ."""
        gap = target - start
        step = _step(unit, abs(gap))
        low, high = VALUE_RANGE.get(unit, (0.0, math.inf))
        new_start = _clamp(_round(start + gap * self.rng.uniform(-0.15, 0.15), step), low, high)
        new_target = _clamp(_round(target + gap * self.rng.uniform(-0.15, 0.15), step), low, high)
        if (new_target - new_start) * gap <= 0:
            return start, target
        return new_start, new_target

    # Check-ins

    def _plan_track(
        self,
        goal: _Goal,
        key_result: KeyResult,
        starts_on: datetime.date,
        ends_on: datetime.date,
        cycle: Cycle | None,
    ) -> None:
        if starts_on > self.today:
            return
        last_day = min(ends_on, self.today - datetime.timedelta(days=1))
        if cycle is not None and cycle.state == Cycle.State.ACTIVE:
            chance = self.rng.random()
            if chance < 0.1:
                return  # waits for its first check-in
            if chance < 0.2:  # stopped checking in a month ago
                last_day = self.today - datetime.timedelta(days=30)
        band = self.rng.choices(((0.05, 0.35), (0.4, 0.65), (0.7, 1.05)), (20, 35, 45))[0]
        final = self.rng.uniform(*band)
        if goal.objective.kind == Objective.Kind.ASPIRATIONAL:
            final *= 0.8
        self.tracks.append(
            _Track(
                key_result=key_result,
                starts_on=starts_on,
                ends_on=ends_on,
                monthly=cycle is None,
                last_day=last_day,
                final=final,
                shape=self.rng.uniform(0.6, 1.2),
            )
        )

    def _save_goals(self) -> None:
        objectives = [goal.objective for goal in self.goals]
        Objective.objects.bulk_create(objectives, batch_size=BATCH_SIZE)
        themes = Objective.themes.through
        theme_rows = [
            themes(objective_id=goal.objective.pk, strategytheme_id=theme.pk)
            for goal in self.goals
            for theme in goal.themes
        ]
        themes._default_manager.bulk_create(theme_rows, batch_size=BATCH_SIZE)
        links = Objective.contributes_to.through
        link_rows = [
            links(from_objective_id=goal.objective.pk, to_objective_id=target.objective.pk)
            for goal in self.goals
            for target in goal.targets
        ]
        links._default_manager.bulk_create(link_rows, batch_size=BATCH_SIZE)
        key_results = [kr for goal in self.goals for kr in goal.key_results]
        KeyResult.objects.bulk_create(key_results, batch_size=BATCH_SIZE)
        self.summary.objectives = len(objectives)
        self.summary.key_results = len(key_results)
        self.say(f"Objectives… {number(len(objectives))} created")
        self.say(f"Key results… {number(len(key_results))} created")

    def _checkins(self) -> None:
        pending: list[CheckIn] = []
        total = 0
        for track in self.tracks:
            pending.extend(self._series(track))
            if len(pending) >= 5 * BATCH_SIZE:
                CheckIn.objects.bulk_create(pending, batch_size=BATCH_SIZE)
                total += len(pending)
                pending = []
        CheckIn.objects.bulk_create(pending, batch_size=BATCH_SIZE)
        total += len(pending)
        self.summary.checkins = total
        self.say(f"Check-ins… {number(total)} created")
        latest = CheckIn.objects.filter(key_result=OuterRef("pk")).order_by(
            "-measured_on", "-created_at", "-id"
        )
        KeyResult.objects.update(
            current_value=Subquery(latest.values("value")[:1]),
            confidence=Subquery(latest.values("confidence")[:1]),
            last_checkin_at=Subquery(latest.values("created_at")[:1]),
        )
        self.say("Key results' current values… updated")

    def _dates(self, track: _Track) -> list[datetime.date]:
        """Every two weeks (monthly for a year) from the start, on working days."""
        days: list[datetime.date] = []
        if track.monthly:
            year = track.starts_on.year
            candidates = [datetime.date(year, m, self.rng.randint(22, 28)) for m in range(1, 13)]
        else:
            candidates = []
            day = track.starts_on + datetime.timedelta(days=self.rng.randint(6, 12))
            while day <= track.ends_on:
                candidates.append(day)
                day += datetime.timedelta(days=14 + self.rng.randint(-2, 2))
        for candidate in candidates:
            day = self._weekday(candidate)
            if track.starts_on <= day <= track.last_day and (not days or day > days[-1]):
                days.append(day)
        return days

    def _weekday(self, day: datetime.date) -> datetime.date:
        """A weekend day moves to a working day nearby: people check in at work."""
        if day.weekday() == 5:
            return day - datetime.timedelta(days=self.rng.randint(1, 3))
        if day.weekday() == 6:
            return day + datetime.timedelta(days=self.rng.randint(1, 3))
        return day

    def _series(self, track: _Track) -> list[CheckIn]:
        key_result = track.key_result
        length = (track.ends_on - track.starts_on).days
        confidence = self.rng.randint(5, 8)
        done_at = self.rng.uniform(0.4, 1.0) if track.final >= 0.7 else 2.0
        checkins = []
        for day in self._dates(track):
            share = (day - track.starts_on).days / length
            progress = track.final * share**track.shape + self.rng.gauss(0, 0.04)
            value = self._value(
                key_result, progress, share >= done_at, track.final < 0.4 and share > 0.5
            )
            confidence = self._confidence(confidence, track.final)
            checkins.append(
                CheckIn(
                    key_result_id=key_result.pk,
                    value=value,
                    confidence=confidence,
                    note=self.rng.choice(NOTES) if self.rng.random() < 0.5 else "",
                    author_id=key_result.owner_id,
                    measured_on=day,
                    created_at=self._moment(day),
                )
            )
        return checkins

    def _value(self, key_result: KeyResult, progress: float, done: bool, breach: bool) -> Decimal:
        start, target = float(key_result.start_value), float(key_result.target_value)
        unit = key_result.unit_of_measure
        if key_result.kind == MILESTONE:
            return Decimal(1 if done else 0)
        if key_result.kind in (ABOVE, BELOW):
            margin = abs(start - target) or 1.0
            if breach:  # the guardrail gives way on the wrong side of the threshold
                value = target + (start - target) * -self.rng.uniform(0.1, 0.6)
            else:
                value = start + self.rng.gauss(0, margin * 0.3)
        else:
            value = start + progress * (target - start)
        low, high = VALUE_RANGE.get(unit, (0.0, math.inf))
        decimals = VALUE_DECIMALS.get(unit, 1)
        return Decimal(str(round(_clamp(value, low, high), decimals)))

    def _confidence(self, confidence: int, final: float) -> int:
        """Confidence drifts toward what the team will reach in the end, which it senses."""
        sensed = round(1 + 9 * min(final, 1.0))
        drift = self.rng.choice((-1, 0, 0, 1))
        if sensed != confidence and self.rng.random() < 0.5:
            drift += 1 if sensed > confidence else -1
        return int(_clamp(confidence + drift, 0, 10))

    def _moment(self, day: datetime.date) -> datetime.datetime:
        """A time on `day` during working hours in Helsinki."""
        return datetime.datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(8, 15),
            self.rng.randint(0, 59),
            tzinfo=HELSINKI,
        )


def _step(unit: str, gap: float) -> float:
    """The rounding step that makes a start or target value look like one a person chose."""
    if unit in (SCALE, "s") or (gap < 3 and unit != "kpl"):
        return 0.1
    if gap < 30:
        return 1
    if gap < 300:
        return 10
    return 100 if gap < 3000 else 1000


def _round(value: float, step: float) -> float:
    return round(round(value / step) * step, 1)
