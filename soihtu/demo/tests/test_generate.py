import datetime
from collections import defaultdict
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Q
from pytest_django.fixtures import Settings

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle
from soihtu.demo.generate import HELSINKI, PERSONAS, generate_demo, reset_demo
from soihtu.okrs.models import KeyResult, Objective, score_band
from soihtu.organization.models import PATH_STEP, Membership, StrategyTheme, Unit
from soihtu.organization.services import unit_create

TODAY = datetime.date(2026, 11, 27)
Role = Membership.Role


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    """The personas' password is hashed once per run; PBKDF2 would dominate the test time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def only_membership(username: str) -> Membership:
    return Membership.objects.select_related("unit__parent", "user").get(user__username=username)


@pytest.mark.django_db
def test_personas_have_their_roles_in_the_same_and_a_sibling_team() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    supervisor = only_membership("esihenkilo")
    torchbearer = only_membership("soihdunkantaja")
    member = only_membership("jasen")
    other = only_membership("toisen.tiimin.jasen")
    team = supervisor.unit
    assert team.kind == Unit.Kind.TEAM
    assert team.parent is not None
    assert team.parent.parent is not None
    assert team.parent.parent.name == "Asiakkuudet"
    assert (supervisor.role, torchbearer.role, member.role) == (
        Role.SUPERVISOR,
        Role.TORCHBEARER,
        Role.MEMBER,
    )
    assert torchbearer.unit == team
    assert member.unit == team
    assert other.role == Role.MEMBER
    assert other.unit != team
    assert other.unit.kind == Unit.Kind.TEAM
    assert other.unit.parent == team.parent


@pytest.mark.django_db
def test_personas_sign_in_with_the_demo_password_and_others_cannot() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    personas = User.objects.filter(username__in=[username for username, _role in PERSONAS])
    assert personas.count() == len(PERSONAS)
    assert all(user.check_password("demo") for user in personas)
    office = User.objects.get(username="okr.toimisto")
    assert office.is_org_admin
    assert office.is_staff
    assert (office.first_name, office.last_name) == ("Olli", "OKR-toimisto")
    others = User.objects.exclude(username__in=[username for username, _role in PERSONAS])
    assert not any(user.has_usable_password() for user in others)
    assert not others.filter(Q(is_org_admin=True) | Q(is_staff=True)).exists()


@pytest.mark.django_db
def test_every_team_has_one_supervisor_and_one_torchbearer_and_everyone_a_team() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    units = Unit.objects.values("pk", "kind").annotate(
        supervisors=Count("memberships", filter=Q(memberships__role=Role.SUPERVISOR)),
        torchbearers=Count("memberships", filter=Q(memberships__role=Role.TORCHBEARER)),
        size=Count("memberships"),
    )
    teams = [unit for unit in units if unit["kind"] == Unit.Kind.TEAM]
    assert teams
    assert all(team["supervisors"] == 1 and team["torchbearers"] == 1 for team in teams)
    assert all(4 <= team["size"] <= 16 for team in teams)  # 4-15, maybe a second-team member
    middle = [unit for unit in units if unit["kind"] in {Unit.Kind.DIVISION, Unit.Kind.UNIT}]
    assert all(unit["supervisors"] == 1 for unit in middle)
    in_teams = User.objects.filter(memberships__unit__kind=Unit.Kind.TEAM).distinct()
    assert in_teams.count() == User.objects.count()
    assert Unit.objects.filter(name="Data-analytiikan tiimi", kind=Unit.Kind.TEAM).exists()


@pytest.mark.django_db
def test_unit_paths_are_the_ones_organization_services_would_give() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    for unit in Unit.objects.select_related("parent"):
        assert unit.depth == len(unit.path) // PATH_STEP - 1
        if unit.parent:
            assert unit.path.startswith(unit.parent.path)
    division = Unit.objects.get(name="Asiakkuudet")
    assert division.path == "000001000001"
    children = list(division.children.order_by("path").values_list("path", flat=True))
    assert children[0] == "000001000001000001"
    added = unit_create(name="Uusi yksikkö", kind=Unit.Kind.UNIT, parent=division)
    assert int(added.path[-PATH_STEP:], 36) == int(children[-1][-PATH_STEP:], 36) + 1


@pytest.mark.django_db
def test_team_objectives_of_the_active_cycle_contribute_to_the_same_year() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    active = Cycle.objects.get(state=Cycle.State.ACTIVE)
    assert (active.year.number, active.name) == (2026, "T3")
    objectives = Objective.objects.filter(cycle=active, owner_unit__kind=Unit.Kind.TEAM)
    assert objectives.count() >= 2 * Unit.objects.filter(kind=Unit.Kind.TEAM).count()
    for objective in objectives.prefetch_related("contributes_to", "themes"):
        targets = list(objective.contributes_to.all())
        assert targets
        assert all(target.year_id == objective.year_id for target in targets)
        assert objective.themes.exists()


@pytest.mark.django_db
def test_the_calendar_follows_the_pilot_and_today() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    cycles = [(c.year.number, c.name, c.state) for c in Cycle.objects.select_related("year")]
    assert cycles == [
        (2022, "T1", "closed"),
        (2022, "T2", "closed"),
        (2022, "T3", "closed"),
        (2026, "T1", "closed"),
        (2026, "T2", "closed"),
        (2026, "T3", "active"),
        # Late in the year, the next year's cycles exist so that planning can open.
        (2027, "T1", "planning"),
        (2027, "T2", "planning"),
        (2027, "T3", "planning"),
    ]
    org = Objective.objects.filter(owner_unit__kind=Unit.Kind.ORGANIZATION, cycle=None)
    assert [org.filter(year__number=y).count() for y in (2021, 2022, 2026, 2027)] == [4, 5, 6, 0]
    pilot_teams = Objective.objects.filter(cycle__year__number=2022).values("owner_unit")
    all_teams = Unit.objects.filter(kind=Unit.Kind.TEAM).count()
    assert 0 < pilot_teams.distinct().count() < all_teams


@pytest.mark.django_db
def test_the_three_themes_exist_in_order() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    themes = StrategyTheme.objects.values_list("order", "name_fi", "name_sv", "name_en")
    assert list(themes) == [
        (1, "Luottamus", "Förtroende", "Trust"),
        (2, "Tieto", "Kunskap", "Knowledge"),
        (3, "Turva", "Trygghet", "Security"),
    ]


def snapshot() -> tuple[list[str], list[tuple[str, str]], list[str]]:
    units = list(Unit.objects.order_by("path").values_list("name", flat=True))
    objectives = list(Objective.objects.order_by("id").values_list("owner_unit__path", "title"))
    people = list(User.objects.order_by("id").values_list("username", flat=True))
    return units, objectives, people


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_demo() -> None:
    generate_demo(people=60, today=TODAY, seed=7, rituals=False)
    first = snapshot()
    reset_demo()
    assert not Unit.objects.exists()
    generate_demo(people=60, today=TODAY, seed=7, rituals=False)
    assert snapshot() == first
    reset_demo()
    generate_demo(people=60, today=TODAY, seed=8, rituals=False)
    assert snapshot() != first


@pytest.mark.django_db
@pytest.mark.parametrize("people", [60, 200])
def test_the_number_of_people_is_close_to_the_request(people: int) -> None:
    summary = generate_demo(people=people, today=TODAY, rituals=False)

    assert abs(User.objects.count() - people) <= people * 0.1
    assert summary.people == User.objects.count()
    assert summary.units == Unit.objects.count()
    assert summary.key_results == KeyResult.objects.count()
    assert summary.checkins == CheckIn.objects.count()


@pytest.mark.django_db
def test_key_results_show_their_latest_checkin() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    latest: dict[int, CheckIn] = {}
    by_key_result: defaultdict[int, list[CheckIn]] = defaultdict(list)
    for checkin in CheckIn.objects.all():
        by_key_result[checkin.key_result_id].append(checkin)
    for key_result_id, checkins in by_key_result.items():
        latest[key_result_id] = max(checkins, key=lambda c: (c.measured_on, c.created_at, c.pk))
    key_results = list(KeyResult.objects.all())
    for key_result in key_results:
        newest = latest.get(key_result.pk)
        if newest is None:
            assert key_result.current_value is None
            assert key_result.last_checkin_at is None
        else:
            assert key_result.current_value == newest.value
            assert key_result.confidence == newest.confidence
            assert key_result.last_checkin_at == newest.created_at
    waiting = [kr for kr in key_results if kr.pk not in latest]
    assert 0 < len(waiting) < len(key_results) * 0.25


@pytest.mark.django_db
def test_checkins_are_plausible() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)

    checkins = list(CheckIn.objects.select_related("key_result__objective__cycle"))
    assert checkins
    assert all(c.measured_on < TODAY and c.measured_on.weekday() < 5 for c in checkins)
    assert all(c.author_id == c.key_result.owner_id for c in checkins)
    assert all(c.created_at.astimezone(HELSINKI).date() == c.measured_on for c in checkins)
    assert all(8 <= c.created_at.astimezone(HELSINKI).hour < 17 for c in checkins)
    assert 0.3 < sum(bool(c.note) for c in checkins) / len(checkins) < 0.7
    closed = KeyResult.objects.filter(objective__cycle__state=Cycle.State.CLOSED)
    assert {score_band(kr.score) for kr in closed} == {"red", "yellow", "green"}


def table_sizes() -> list[int]:
    return [
        model.objects.count()
        for model in (User, Unit, Membership, Objective, KeyResult, CheckIn, Cycle)
    ]


@pytest.mark.django_db
def test_command_leaves_an_existing_demo_alone() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)
    before = table_sizes()
    out = StringIO()

    call_command("demo_generate", "--people", "100", stdout=out)

    assert "already exists" in out.getvalue()
    assert table_sizes() == before


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=HELSINKI), tick=False)
def test_command_with_reset_generates_the_demo_again() -> None:
    generate_demo(people=60, today=TODAY, rituals=False)
    admin = User.objects.create_superuser("admin", "admin@kela.example", "secret-password")
    old_units = set(Unit.objects.values_list("pk", flat=True))
    out = StringIO()

    call_command("demo_generate", "--people", "120", "--reset", stdout=out)

    output = out.getvalue()
    assert "Units… " in output
    assert "Check-ins… " in output
    assert "Demo ready in" in output
    assert User.objects.filter(pk=admin.pk).exists()
    assert abs(User.objects.filter(is_superuser=False).count() - 120) <= 12
    assert not old_units & set(Unit.objects.values_list("pk", flat=True))
    assert Unit.objects.filter(parent=None).count() == 1
    assert StrategyTheme.objects.count() == 3


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=HELSINKI), tick=False)
def test_command_generates_into_an_empty_database() -> None:
    out = StringIO()

    call_command("demo_generate", "--people", "40", stdout=out)

    assert Unit.objects.exists()
    assert Cycle.objects.get(state=Cycle.State.ACTIVE).name == "T3"
    assert "okr.toimisto" in out.getvalue()
