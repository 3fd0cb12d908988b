"""Test personas on a small organization tree, shared by every app's tests.

    Org (root)
    ├── Division 1
    │   └── Unit A  (parent_supervisor is its supervisor)
    │       ├── Team A  (supervisor, torchbearer, member)
    │       └── Team B  (member_b)
    └── Division 2
        └── Team C  (outsider)

Time stands still at 2026-11-27 10:00 in Helsinki (ticking), inside the active cycle T3.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from soihtu.accounts.models import User
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership, OrganizationSettings, StrategyTheme, Unit
from soihtu.organization.services import unit_create

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@dataclass
class World:
    root: Unit
    division: Unit
    unit_a: Unit
    team_a: Unit
    team_b: Unit
    division_2: Unit
    team_c: Unit
    admin: User
    supervisor: User
    torchbearer: User
    member: User
    member_b: User
    outsider: User
    parent_supervisor: User
    year: Year
    closed_cycle: Cycle
    cycle: Cycle
    themes: list[StrategyTheme]
    org_objective: Objective
    objective_a: Objective
    restricted_a: Objective
    objective_b: Objective
    kr_a1: KeyResult
    kr_a2: KeyResult
    kr_b1: KeyResult

    def persona(self, name: str) -> User:
        user: User = getattr(self, name)
        return user


def make_user(username: str, *, org_admin: bool = False) -> User:
    first, _dot, last = username.partition("_")
    return User.objects.create_user(
        username=username,
        password="test-password-1",
        first_name=first.capitalize(),
        last_name=(last or "Testinen").capitalize(),
        email=f"{username}@example.org",
        is_org_admin=org_admin,
    )


def make_objective(
    unit: Unit, *, year: Year, cycle: Cycle | None, title: str, **extra: object
) -> Objective:
    return Objective.objects.create(owner_unit=unit, year=year, cycle=cycle, title=title, **extra)


def make_kr(objective: Objective, title: str, **extra: object) -> KeyResult:
    values: dict[str, object] = {
        "kind": KeyResult.Kind.INCREASE,
        "start_value": Decimal(0),
        "target_value": Decimal(100),
    }
    values.update(extra)
    return KeyResult.objects.create(objective=objective, title=title, **values)


@pytest.fixture
def world(db: None) -> World:
    OrganizationSettings.objects.create(name="Testiorganisaatio")
    root = unit_create(name="Org", kind=Unit.Kind.ORGANIZATION, parent=None)
    division = unit_create(name="Division 1", kind=Unit.Kind.DIVISION, parent=root)
    unit_a = unit_create(name="Unit A", kind=Unit.Kind.UNIT, parent=division)
    team_a = unit_create(name="Team A", kind=Unit.Kind.TEAM, parent=unit_a)
    team_b = unit_create(name="Team B", kind=Unit.Kind.TEAM, parent=unit_a)
    division_2 = unit_create(name="Division 2", kind=Unit.Kind.DIVISION, parent=root)
    team_c = unit_create(name="Team C", kind=Unit.Kind.TEAM, parent=division_2)
    admin = make_user("admin_okr", org_admin=True)
    supervisor = make_user("supervisor_a")
    torchbearer = make_user("torchbearer_a")
    member = make_user("member_a")
    member_b = make_user("member_b")
    outsider = make_user("outsider_c")
    parent_supervisor = make_user("parent_supervisor")
    role = Membership.Role
    for user, unit, r in [
        (supervisor, team_a, role.SUPERVISOR),
        (torchbearer, team_a, role.TORCHBEARER),
        (member, team_a, role.MEMBER),
        (member_b, team_b, role.MEMBER),
        (outsider, team_c, role.MEMBER),
        (parent_supervisor, unit_a, role.SUPERVISOR),
    ]:
        Membership.objects.create(user=user, unit=unit, role=r)
    year = Year.objects.create(
        number=2026, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    closed_cycle = Cycle.objects.create(
        year=year,
        name="T2",
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 8, 31),
        state=Cycle.State.CLOSED,
    )
    cycle = Cycle.objects.create(
        year=year,
        name="T3",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 31),
        state=Cycle.State.ACTIVE,
    )
    themes = [
        StrategyTheme.objects.create(order=i, name_fi=fi, name_sv=sv, name_en=en, colour="#1f5f8b")
        for i, (fi, sv, en) in enumerate(
            [
                ("Luottamus", "Förtroende", "Trust"),
                ("Tieto", "Kunskap", "Knowledge"),
                ("Turva", "Trygghet", "Security"),
            ]
        )
    ]
    org_objective = make_objective(root, year=year, cycle=None, title="Asiakkaat luottavat meihin")
    org_objective.themes.set([themes[0]])
    make_kr(
        org_objective,
        "Asiakastyytyväisyys",
        start_value=Decimal("3.9"),
        target_value=Decimal("4.3"),
    )
    objective_a = make_objective(team_a, year=year, cycle=cycle, title="Nopeampi palvelu")
    objective_a.contributes_to.set([org_objective])
    objective_a.themes.set([themes[0]])
    kr_a1 = make_kr(
        objective_a,
        "Jonotusaika alle 5 min",
        kind=KeyResult.Kind.DECREASE,
        start_value=Decimal(12),
        target_value=Decimal(5),
        owner=member,
    )
    kr_a2 = make_kr(
        objective_a,
        "Chat käytössä",
        kind=KeyResult.Kind.MILESTONE,
        start_value=Decimal(0),
        target_value=Decimal(1),
        owner=torchbearer,
    )
    restricted_a = make_objective(
        team_a,
        year=year,
        cycle=cycle,
        title="Sisäinen kehitys",
        visibility=Objective.Visibility.RESTRICTED,
    )
    make_kr(
        restricted_a,
        "Perehdytys valmis",
        kind=KeyResult.Kind.MILESTONE,
        start_value=Decimal(0),
        target_value=Decimal(1),
    )
    objective_b = make_objective(team_b, year=year, cycle=cycle, title="Tiimin B tavoite")
    kr_b1 = make_kr(objective_b, "Ratkaisut ajallaan", owner=member_b)
    # Set when cycle T3 began: missed check-ins count from a key result's creation.
    KeyResult.objects.update(created_at=datetime.datetime(2026, 9, 1, tzinfo=HELSINKI))
    for kr in (kr_a1, kr_a2, kr_b1):
        kr.refresh_from_db(fields=["created_at"])
    return World(
        root=root,
        division=division,
        unit_a=unit_a,
        team_a=team_a,
        team_b=team_b,
        division_2=division_2,
        team_c=team_c,
        admin=admin,
        supervisor=supervisor,
        torchbearer=torchbearer,
        member=member,
        member_b=member_b,
        outsider=outsider,
        parent_supervisor=parent_supervisor,
        year=year,
        closed_cycle=closed_cycle,
        cycle=cycle,
        themes=themes,
        org_objective=org_objective,
        objective_a=objective_a,
        restricted_a=restricted_a,
        objective_b=objective_b,
        kr_a1=kr_a1,
        kr_a2=kr_a2,
        kr_b1=kr_b1,
    )


def client_for(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Code run outside a request (services, commands) speaks English in tests, so messages
    can be asserted whatever the translations say; requests choose their own language."""
    with translation.override("en"):
        yield
