"""Applying HR files: linking, moving, renaming, re-parenting, leaving and returning."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World, make_user
from soihtu.hrimport import services
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.parse import HrFileError
from soihtu.hrimport.services import (
    StalePreview,
    hr_import_apply,
    hr_import_check,
    hr_import_preview,
    hr_import_run,
    hr_import_stage,
)
from soihtu.hrimport.tests.files import (
    WORLD_PEOPLE,
    WORLD_UNITS,
    code_the_world,
    csv_bytes,
    person_row,
    unit_rows,
    world_file,
    world_rows,
)
from soihtu.hrimport.tests.helpers import assert_tree_consistent, db_state, import_as, roles_of
from soihtu.organization.models import Membership, Unit
from soihtu.organization.services import unit_create

Role = Membership.Role
Kind = Unit.Kind


@pytest.fixture
def coded(world: World) -> World:
    code_the_world(world)
    return world


def people_with(changes: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """WORLD_PEOPLE with some persons' (unit code, supervisor flag) changed."""
    return [
        (persona, eid, *changes.get(persona, (code, flag)))
        for persona, eid, code, flag in WORLD_PEOPLE
    ]


def test_the_world_as_exported_matches_the_coded_world(coded: World) -> None:
    assert hr_import_check(data=world_file(coded), actor=coded.admin).diff.is_empty


def test_same_file_twice_changes_nothing_the_second_time(world: World) -> None:
    data = world_file(world)
    counts = import_as(world.admin, data)
    # The world's people have no employee ids yet: HR's people are new to Soihtu.
    assert counts["people_created"] == 6
    assert Unit.objects.get(pk=world.root.pk).code == "ORG"
    before = db_state()

    staged, plan = hr_import_stage(actor=world.admin, file_name="again.csv", data=data)

    assert staged is None
    assert plan.diff.is_empty
    assert db_state() == before
    assert not HrImport.objects.filter(applied_at__isnull=True).exists()


def test_first_import_into_an_empty_organization_builds_the_tree(db: None) -> None:
    rows = unit_rows([("ORG", "Kela", ""), ("D1", "Asiakaspalvelut", "ORG")])
    rows += unit_rows([("U1", "Etuudet", "D1")])
    rows += [
        ["1", "Matti Virtanen", "matti@example.fi", "T1", "Tiimi 1", "U1", "kyllä"],
        ["2", "Korhonen, Anna Liisa", "anna@example.fi", "T1", "Tiimi 1", "U1", "ei"],
        ["3", "Pekka Mäki", "pekka@example.fi", "D1", "Asiakaspalvelut", "ORG", "yes"],
    ]

    result = hr_import_run(data=csv_bytes(rows), file_name="hr.csv", dry_run=False)

    assert result.applied
    kinds = dict(Unit.objects.values_list("code", "kind"))
    assert kinds == {
        "ORG": Kind.ORGANIZATION,
        "D1": Kind.DIVISION,
        "U1": Kind.UNIT,
        "T1": Kind.TEAM,
    }
    assert_tree_consistent()
    anna = User.objects.get(employee_id="2")
    assert (anna.first_name, anna.last_name) == ("Anna Liisa", "Korhonen")
    assert anna.username == "anna@example.fi"
    assert not anna.has_usable_password()
    assert roles_of(User.objects.get(employee_id="1")) == {"Tiimi 1": Role.SUPERVISOR}
    assert roles_of(anna) == {"Tiimi 1": Role.MEMBER}
    assert roles_of(User.objects.get(employee_id="3")) == {"Asiakaspalvelut": Role.SUPERVISOR}
    # 4 units, 3 people, 3 memberships, and the summary
    assert AuditEvent.objects.count() == 4 + 3 + 3 + 1
    summary = AuditEvent.objects.get(target_type="hrimport")
    assert summary.after is not None
    assert summary.after["people_created"] == 3


def test_changed_file_moves_renames_and_reparents_with_the_whole_subtree(coded: World) -> None:
    project = unit_create(name="Project X", kind=Kind.TEAM, parent=coded.team_a)  # made in Soihtu
    Membership.objects.create(user=coded.member, unit=project, role=Role.MEMBER)
    units = [
        ("ORG", "Org", ""),
        ("D1", "Division 1", "ORG"),
        ("UA", "Unit A", "D2"),  # moves to division 2
        ("TA", "Team A", "UA"),
        ("TB", "Team Beta", "UA"),  # renamed
        ("D2", "Division 2", "ORG"),
        ("TC", "Team C", "D2"),
    ]
    people = people_with(
        {"member": ("TB", "0"), "member_b": ("TB", "1"), "supervisor": ("TA", "0")}
    )

    counts = import_as(coded.admin, world_file(coded, units=units, people=people))

    assert counts["units_renamed"] == 1
    assert counts["units_moved"] == 1
    assert counts["people_moved"] == 1
    assert counts["roles_changed"] == 2
    assert_tree_consistent()
    unit_a = Unit.objects.get(pk=coded.unit_a.pk)
    division_2 = Unit.objects.get(pk=coded.division_2.pk)
    assert unit_a.parent_id == division_2.pk
    for unit in Unit.objects.filter(pk__in=[coded.team_a.pk, coded.team_b.pk, project.pk]):
        assert unit.path.startswith(unit_a.path)
    assert Unit.objects.get(pk=project.pk).depth == 4
    assert Unit.objects.get(pk=coded.team_b.pk).name == "Team Beta"
    # The division without units below keeps its kind: kinds follow the file's tree.
    assert Unit.objects.get(pk=coded.division.pk).kind == Kind.DIVISION
    # Moved from team A to team B; the membership in the Soihtu-made project stays.
    assert roles_of(coded.member) == {"Team Beta": Role.MEMBER, "Project X": Role.MEMBER}
    assert roles_of(coded.member_b) == {"Team Beta": Role.SUPERVISOR}
    assert roles_of(coded.supervisor) == {"Team A": Role.MEMBER}
    # HR does not know torchbearers: the team's choice stays while the person stays.
    assert roles_of(coded.torchbearer) == {"Team A": Role.TORCHBEARER}


def test_torchbearer_who_moves_is_a_member_of_the_new_team(coded: World) -> None:
    people = people_with({"torchbearer": ("TB", "0")})

    import_as(coded.admin, world_file(coded, people=people))

    assert roles_of(coded.torchbearer) == {"Team B": Role.MEMBER}


def test_hand_made_memberships_in_hr_units_are_removed(coded: World) -> None:
    Membership.objects.create(user=coded.member, unit=coded.team_c, role=Role.MEMBER)
    plan = hr_import_check(data=world_file(coded), actor=coded.admin)
    [moved] = plan.diff.people_moved
    assert (moved.from_units, moved.to_unit) == (("Team A", "Team C"), "Team A")

    import_as(coded.admin, world_file(coded))

    assert roles_of(coded.member) == {"Team A": Role.MEMBER}


def test_leavers_are_deactivated_and_their_history_stays(coded: World) -> None:
    CheckIn.objects.create(
        key_result=coded.kr_b1,
        value=Decimal(10),
        confidence=7,
        author=coded.member_b,
        measured_on=datetime.date(2026, 11, 20),
    )
    people = [p for p in WORLD_PEOPLE if p[0] != "member_b"]

    counts = import_as(coded.admin, world_file(coded, people=people))

    assert counts["people_deactivated"] == 1
    member_b = User.objects.get(pk=coded.member_b.pk)
    assert not member_b.is_active
    assert not Membership.objects.filter(user=member_b).exists()
    assert CheckIn.objects.filter(author=member_b).count() == 1
    coded.kr_b1.refresh_from_db()
    assert coded.kr_b1.owner_id == member_b.pk
    deleted = AuditEvent.objects.filter(target_type="membership", action=AuditEvent.Action.DELETE)
    assert deleted.count() == 1


def test_returners_are_reactivated_in_their_unit(coded: World) -> None:
    import_as(coded.admin, world_file(coded, people=[p for p in WORLD_PEOPLE if p[0] != "member"]))
    assert not User.objects.get(pk=coded.member.pk).is_active

    plan = hr_import_check(data=world_file(coded), actor=coded.admin)
    assert [p.employee_id for p in plan.diff.people_reactivated] == ["E3"]
    import_as(coded.admin, world_file(coded))

    assert User.objects.get(pk=coded.member.pk).is_active
    assert roles_of(coded.member) == {"Team A": Role.MEMBER}


def test_people_without_employee_id_are_never_touched(coded: World) -> None:
    local = make_user("local_admin")
    Membership.objects.create(user=local, unit=coded.team_c, role=Role.MEMBER)

    import_as(coded.admin, world_file(coded, people=[]))

    assert User.objects.get(pk=local.pk).is_active
    assert roles_of(local) == {"Team C": Role.MEMBER}
    assert User.objects.get(pk=coded.admin.pk).is_active


def test_the_person_importing_is_never_deactivated(coded: World) -> None:
    User.objects.filter(pk=coded.admin.pk).update(employee_id="ADMIN")
    coded.admin.refresh_from_db()

    plan = hr_import_check(data=world_file(coded), actor=coded.admin)
    assert plan.diff.actor_kept
    assert plan.diff.people_deactivated == []
    import_as(coded.admin, world_file(coded))

    assert User.objects.get(pk=coded.admin.pk).is_active


def test_name_and_email_changes_update_the_person(coded: World) -> None:
    rows = world_rows(coded)
    member_row = next(row for row in rows if row[0] == "E3")
    member_row[1], member_row[2] = "Virtanen, Maija", "maija.virtanen@example.org"

    counts = import_as(coded.admin, csv_bytes(rows))

    assert counts["people_updated"] == 1
    member = User.objects.get(pk=coded.member.pk)
    assert (member.first_name, member.last_name) == ("Maija", "Virtanen")
    assert member.email == "maija.virtanen@example.org"
    assert member.username == "member_a"


def test_a_team_that_gets_teams_below_becomes_a_unit(coded: World) -> None:
    units = [*WORLD_UNITS, ("TA1", "Team A1", "TA")]
    rows = world_rows(coded, units=units)
    rows.append(person_row(make_user("new_person"), "E9", units[-1], "0"))

    counts = import_as(coded.admin, csv_bytes(rows))

    assert counts["units_created"] == 1
    assert counts["units_retyped"] == 1
    assert Unit.objects.get(pk=coded.team_a.pk).kind == Kind.UNIT
    assert Unit.objects.get(code="TA1").parent_id == coded.team_a.pk
    assert_tree_consistent()


def test_new_people_get_unique_usernames(coded: World) -> None:
    make_user("taken@example.fi")
    rows = world_rows(coded)
    unit = ("TC", "Team C", "D2")
    rows.append(["N1", "Uusi Henkilö", "taken@example.fi", *unit, "0"])
    rows.append(["N 2", "Toinen Uusi", "TOINEN@example.fi", *unit, "0"])

    import_as(coded.admin, csv_bytes(rows))

    assert User.objects.get(employee_id="N1").username == "hr-N1"
    assert User.objects.get(employee_id="N 2").username == "toinen@example.fi"


def test_the_organization_gets_its_code_on_the_first_import(world: World) -> None:
    plan = hr_import_check(data=world_file(world), actor=world.admin)

    assert plan.diff.root_code == "ORG"
    assert len(plan.diff.units_created) == 6  # the others were made in Soihtu, without codes


def test_file_of_another_organization_is_refused(coded: World) -> None:
    units = [("OTHER", "Toinen", ""), *WORLD_UNITS[1:]]
    units = [(c, n, "OTHER" if p == "ORG" else p) for c, n, p in units]
    before = db_state()

    with pytest.raises(HrFileError) as error:
        hr_import_run(data=world_file(coded, units=units), file_name="x.csv", dry_run=False)

    assert [p.line for p in error.value.problems] == [2]
    assert "ORG" in str(error.value.problems[0])
    assert db_state() == before


def test_anonymized_former_employee_ids_are_refused(coded: World) -> None:
    User.objects.filter(pk=coded.member_b.pk).update(
        anonymized_at=datetime.datetime.now(datetime.UTC)
    )
    before = db_state()

    with pytest.raises(HrFileError) as error:
        hr_import_run(data=world_file(coded), file_name="x.csv", dry_run=False)

    [problem] = error.value.problems
    assert problem.line == 12
    assert "E4" in problem.message
    assert db_state() == before


def test_apply_refuses_a_preview_the_organization_changed_since(coded: World) -> None:
    people = [p for p in WORLD_PEOPLE if p[0] != "member_b"]
    staged, plan = hr_import_stage(
        actor=coded.admin, file_name="hr.csv", data=world_file(coded, people=people)
    )
    assert staged is not None
    User.objects.filter(pk=coded.member_b.pk).update(is_active=False)  # someone did it by hand
    before = db_state()

    with pytest.raises(StalePreview) as stale:
        hr_import_apply(actor=coded.admin, hr_import=staged, fingerprint=plan.diff.fingerprint)

    assert db_state() == before
    assert stale.value.plan.diff.people_deactivated == []
    assert stale.value.plan.diff.fingerprint != plan.diff.fingerprint
    assert hr_import_preview(hr_import=staged, actor=coded.admin).diff == stale.value.plan.diff


def test_applied_import_keeps_counts_and_forgets_the_file(coded: World) -> None:
    people = [p for p in WORLD_PEOPLE if p[0] != "member_b"]
    staged, plan = hr_import_stage(
        actor=coded.admin, file_name="hr.csv", data=world_file(coded, people=people)
    )
    assert staged is not None

    hr_import_apply(actor=coded.admin, hr_import=staged, fingerprint=plan.diff.fingerprint)

    staged.refresh_from_db()
    assert staged.is_applied
    assert staged.applied_by == coded.admin
    assert staged.content == ""
    assert staged.summary["people_deactivated"] == 1
    summary = AuditEvent.objects.get(target_type="hrimport")
    assert summary.actor == coded.admin


def test_unit_codes_follow_the_tree_when_units_swap_places(coded: World) -> None:
    units = [
        ("ORG", "Org", ""),
        ("D1", "Division 1", "ORG"),
        ("UA", "Unit A", "ORG"),  # becomes a division
        ("TA", "Team A", "UA"),
        ("TB", "Team B", "D2"),
        ("D2", "Division 2", "UA"),  # goes below what was below it
        ("TC", "Team C", "D2"),
    ]

    import_as(coded.admin, world_file(coded, units=units))

    assert_tree_consistent()
    kinds = dict(Unit.objects.values_list("code", "kind"))
    assert kinds["UA"] == Kind.DIVISION
    assert kinds["D2"] == Kind.UNIT
    assert kinds["D1"] == Kind.DIVISION
    assert hr_import_check(data=world_file(coded, units=units), actor=coded.admin).diff.is_empty


def test_units_made_in_soihtu_are_left_alone(world: World) -> None:
    before = dict(Unit.objects.exclude(pk=world.root.pk).values_list("pk", "name"))

    import_as(world.admin, world_file(world))

    after = dict(Unit.objects.filter(pk__in=before).values_list("pk", "name"))
    assert after == before
    assert set(Unit.objects.filter(pk__in=before).values_list("code", flat=True)) == {""}
    assert Unit.objects.filter(code="TA").exclude(pk=world.team_a.pk).exists()  # HR's own Team A
    assert_tree_consistent()


def test_reparenting_is_audited_with_the_parents_before_and_after(coded: World) -> None:
    units = [("UA", "Unit A", "D2") if u[0] == "UA" else u for u in WORLD_UNITS]

    import_as(coded.admin, world_file(coded, units=units))

    event = AuditEvent.objects.get(target_type="unit", target_id=coded.unit_a.pk)
    assert event.actor == coded.admin
    assert event.before is not None
    assert event.after is not None
    assert (event.before["parent"], event.after["parent"]) == (
        coded.division.pk,
        coded.division_2.pk,
    )
    # The teams below only change their paths: no event of their own.
    assert AuditEvent.objects.filter(target_type="unit").count() == 1


def test_staged_files_nobody_confirmed_are_removed_after_a_day(coded: World) -> None:
    people = [p for p in WORLD_PEOPLE if p[0] != "member_b"]
    old, _plan = hr_import_stage(
        actor=coded.admin, file_name="old.csv", data=world_file(coded, people=people)
    )
    assert old is not None
    HrImport.objects.filter(pk=old.pk).update(
        created_at=old.created_at - datetime.timedelta(days=1, minutes=1)
    )

    hr_import_stage(actor=coded.admin, file_name="new.csv", data=world_file(coded, people=people))

    assert list(HrImport.objects.values_list("file_name", flat=True)) == ["new.csv"]


def test_a_conflicting_write_meanwhile_rolls_back_and_shows_the_preview_again(
    coded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [p for p in WORLD_PEOPLE if p[0] != "member_b"]
    staged, plan = hr_import_stage(
        actor=coded.admin, file_name="hr.csv", data=world_file(coded, people=people)
    )
    assert staged is not None
    before = db_state()

    def conflict(*args: object, **kwargs: object) -> None:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_write_memberships", conflict)
    with pytest.raises(StalePreview):
        hr_import_apply(actor=coded.admin, hr_import=staged, fingerprint=plan.diff.fingerprint)

    assert db_state() == before  # the users deactivated before the conflict are active again
    assert not HrImport.objects.get(pk=staged.pk).is_applied
