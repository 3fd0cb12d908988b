"""What the preview says an upload would create, and every row it cannot import, by row number."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from soihtu.conftest import World, make_user
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import KeyResult, Objective
from soihtu.vivagoals.plan import build_plan
from soihtu.vivagoals.planned import Issue, Plan, PlannedObjective
from soihtu.vivagoals.tests.uploads import Field, an_upload, csv_text

pytestmark = pytest.mark.django_db


def objective(plan: Plan, title: str) -> PlannedObjective:
    return next(o for o in plan.objectives if o.title == title)


def rows_with(issues: list[Issue], text: str) -> list[int | None]:
    return [i.row for i in issues if text in i.message]


# -- the three sample files -----------------------------------------------------------------


def test_minimal_file(world: World) -> None:
    plan = build_plan(an_upload(world, "minimal.csv", unit=world.team_a))
    assert [(o.row, o.title) for o in plan.objectives] == [
        (2, "Faster service"),
        (5, "Better data"),
    ]
    assert all(o.unit == world.team_a and o.cycle == world.cycle for o in plan.objectives)
    faster = objective(plan, "Faster service")
    assert [(k.row, k.kind, k.start_value, k.target_value) for k in faster.key_results] == [
        (3, KeyResult.Kind.INCREASE, Decimal(0), Decimal(5)),
        (4, KeyResult.Kind.MILESTONE, Decimal(0), Decimal(1)),
    ]
    assert (plan.key_result_count, plan.link_count, plan.checkin_count) == (3, 0, 0)
    problems = {p.row: p.message for p in plan.problems}
    assert problems == {
        7: "A key result needs a parent objective; this row has none.",
        8: "Parent “No such objective” is not in the file.",
        9: "Target value “lots” is not a number.",
        10: "Initiatives and projects are not imported: Soihtu has objectives and key results "
        "only.",
        11: "Type “Epic” is neither an objective nor a key result.",
    }
    assert plan.ignored_columns == []
    assert plan.notes == []


def test_full_export(world: World) -> None:
    plan = build_plan(an_upload(world, "full_export.csv"))
    summary = [(o.row, o.unit, o.year, o.cycle, o.status) for o in plan.objectives]
    assert summary == [
        (2, world.root, world.year, None, Objective.Status.ACTIVE),
        (3, world.team_a, world.year, world.cycle, Objective.Status.ACTIVE),
        (7, world.team_b, world.year, world.cycle, Objective.Status.ACTIVE),
        (9, world.team_a, world.year, world.closed_cycle, Objective.Status.COMPLETED),
    ]
    assert objective(plan, "Faster service").parent_row == 2
    assert objective(plan, "Team B goal").parent_row == 2
    assert objective(plan, "Customers trust us").description.startswith("The organization's")
    counts = (len(plan.objectives), plan.key_result_count, plan.link_count, plan.checkin_count)
    assert counts == (4, 6, 2, 6)
    assert [(p.row, p.message[:30]) for p in plan.problems] == [
        (11, "Initiatives and projects are n")
    ]
    assert [c.header for c in plan.ignored_columns] == ["Last Updated"]
    assert [n.row for n in plan.notes] == [None, 5, 6, 12]


def test_full_export_key_result_values_owners_and_checkins(world: World) -> None:
    plan = build_plan(an_upload(world, "full_export.csv"))
    today = datetime.date(2026, 11, 27)
    krs = {k.row: k for o in plan.objectives for k in o.key_results}
    queue = krs[4]
    assert (queue.kind, queue.start_value, queue.target_value, queue.owner) == (
        KeyResult.Kind.DECREASE,
        Decimal(12),
        Decimal(5),
        world.member,
    )
    assert queue.checkin is not None
    assert (queue.checkin.value, queue.checkin.confidence, queue.checkin.measured_on) == (
        Decimal(8),
        5,
        today,
    )
    chat = krs[5]
    assert chat.kind == KeyResult.Kind.MILESTONE
    assert chat.owner == world.torchbearer
    assert chat.checkin is not None
    assert (chat.checkin.value, chat.checkin.confidence) == (Decimal(1), 10)
    assert krs[6].owner is None
    resolved = krs[8]
    assert (resolved.unit_of_measure, resolved.owner) == ("%", world.member_b)
    assert resolved.checkin is not None
    assert (resolved.checkin.value, resolved.checkin.from_progress) == (Decimal(75), True)
    assert resolved.checkin.confidence == 2
    old = krs[10]
    assert old.checkin is not None
    assert old.checkin.measured_on == world.closed_cycle.ends_on
    assert krs[12] in objective(plan, "Faster service").key_results
    notes = {n.row: n.message for n in plan.notes}
    assert notes[5] == (
        "A key result has one owner: member_a@example.org is not imported as its owner."
    )
    assert (
        notes[6] == "No one in Soihtu has the e-mail address nobody@example.org: no owner is set."
    )
    assert notes[12] == (
        "Under “Queue time under 5 min” in Viva Goals: added to its objective “Faster service”."
    )
    assert "owners and values of objective rows are not imported" in notes[None]


def test_semicolon_file_with_other_headers(world: World) -> None:
    plan = build_plan(an_upload(world, "semicolon_bom.csv"))
    assert [(o.row, o.title, o.unit, o.cycle) for o in plan.objectives] == [
        (2, "Parempi palvelu", world.team_a, world.cycle),
        (6, "Data", world.unit_a, world.cycle),
    ]
    krs = {k.row: k for o in plan.objectives for k in o.key_results}
    assert (krs[3].kind, krs[3].start_value, krs[3].unit_of_measure) == (
        KeyResult.Kind.DECREASE,
        Decimal("12.5"),
        "min",
    )
    assert krs[4].owner == world.member  # the e-mail in capitals
    assert krs[5].owner is None
    assert (plan.key_result_count, plan.checkin_count) == (4, 0)
    assert [c.header for c in plan.ignored_columns] == ["Latest value", "Strategic pillar"]
    assert plan.problems == []
    assert [(n.row, n.message) for n in plan.notes] == [
        (5, "No one in Soihtu has the e-mail address ghost@example.org: no owner is set."),
        (6, "Team “Unknown team” is not a unit in Soihtu: the objective goes to Unit A."),
        (6, "Time period “Q7 2026” is not a Soihtu cycle or year: 2026 T3 is used."),
    ]


def test_mapping_an_unmapped_column_to_current_value_adds_checkins(world: World) -> None:
    upload = an_upload(world, "semicolon_bom.csv", remap={"Latest value": Field.CURRENT})
    plan = build_plan(upload)
    values = [k.checkin.value for o in plan.objectives for k in o.key_results if k.checkin]
    assert values == [Decimal("7.5"), Decimal("4.1"), Decimal(45)]
    assert [c.header for c in plan.ignored_columns] == ["Strategic pillar"]


def test_unmapping_the_parent_column_leaves_every_key_result_without_objective(
    world: World,
) -> None:
    plan = build_plan(an_upload(world, "minimal.csv", remap={"Parent": Field.IGNORE}))
    assert plan.key_result_count == 0
    assert rows_with(plan.problems, "needs a parent objective") == [3, 4, 6, 7, 8, 9]


# -- periods and units ----------------------------------------------------------------------


def test_team_objective_for_a_whole_year_goes_to_the_chosen_cycle(world: World) -> None:
    text = csv_text("1,Vuositavoite,Objective,,Team A,FY26,,")
    plan = build_plan(an_upload(world, content=text))
    assert objective(plan, "Vuositavoite").cycle == world.cycle
    assert rows_with(plan.notes, "A team's objective belongs to a cycle") == [2]


def test_team_objective_without_a_cycle_is_not_imported_when_a_year_is_chosen(
    world: World,
) -> None:
    text = csv_text("1,Tiimin tavoite,Objective,,Team A,,,", "2,Mittari,KR,1,,,0,5")
    plan = build_plan(an_upload(world, content=text, year_only=True))
    assert plan.objectives == []
    assert rows_with(plan.problems, "choose a cycle, not a year") == [2]
    assert plan.problems[1].message == "Its objective (row 2) is not imported."


def test_unit_objective_may_have_a_year(world: World) -> None:
    text = csv_text("1,Yksikön tavoite,Objective,,Unit A,2026,,")
    plan = build_plan(an_upload(world, content=text))
    assert (plan.objectives[0].unit, plan.objectives[0].cycle) == (world.unit_a, None)


def test_period_named_like_a_cycle_or_by_dates(world: World) -> None:
    text = csv_text(
        "1,A,Objective,,Team A,T2 2026,,",
        "2,B,Objective,,Team A,2026 t2,,",
        "3,C,Objective,,Team A,1.9.2026 - 31.12.2026,,",
        "4,D,Objective,,Team A,Jan 2025 - Mar 2025,,",
    )
    plan = build_plan(an_upload(world, content=text))
    assert [o.cycle for o in plan.objectives] == [
        world.closed_cycle,
        world.closed_cycle,
        world.cycle,
        world.cycle,
    ]
    assert rows_with(plan.notes, "is not a Soihtu cycle or year") == [5]


def test_several_units_with_the_team_name_go_to_the_chosen_unit(world: World) -> None:
    from soihtu.organization.models import Unit
    from soihtu.organization.services import unit_create

    unit_create(name="Team A", kind=Unit.Kind.TEAM, parent=world.division_2)
    plan = build_plan(an_upload(world, content=csv_text("1,A,Objective,,team a,,,")))
    assert plan.objectives[0].unit == world.unit_a
    assert rows_with(plan.notes, "Several units are called “team a”") == [2]


def test_future_period_has_no_checkin(world: World) -> None:
    year = Year.objects.create(
        number=2027, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    Cycle.objects.create(
        year=year, name="T1", starts_on=year.starts_on, ends_on=datetime.date(2027, 4, 30)
    )
    text = csv_text(
        "1,Ensi vuonna,Objective,,Team A,Q1 2027,,",
        "2,Mittari,KR,1,,,0,10,3",
        header="ID,Title,Type,Parent,Team,Time period,Start,Target,Current",
    )
    plan = build_plan(an_upload(world, content=text))
    assert plan.objectives[0].year == year
    assert plan.checkin_count == 0
    assert rows_with(plan.notes, "The period has not begun") == [3]


# -- parents --------------------------------------------------------------------------------


def test_parent_by_title_prefers_the_objective(world: World) -> None:
    text = csv_text(
        "1,Sama nimi,Objective,,,,,",
        "2,Sama nimi,KR,1,,,0,5",
        "3,Toinen,KR,Sama nimi,,,0,5",
    )
    plan = build_plan(an_upload(world, content=text))
    assert [k.row for k in plan.objectives[0].key_results] == [3, 4]


def test_ambiguous_parent_title_is_a_problem_for_a_key_result(world: World) -> None:
    text = csv_text(
        "1,Kaksi,Objective,,,,,",
        "2,Kaksi,Objective,,,,,",
        "3,Mittari,KR,Kaksi,,,0,5",
    )
    plan = build_plan(an_upload(world, content=text))
    assert rows_with(plan.problems, "Parent “Kaksi” matches several rows.") == [4]


def test_objective_whose_parent_is_missing_is_imported_without_link(world: World) -> None:
    plan = build_plan(an_upload(world, content=csv_text("1,Orpo,Objective,99,,,,")))
    assert not plan.objectives[0].contributes
    assert rows_with(plan.notes, "Imported without a contribution link.") == [2]


def test_objective_may_contribute_to_an_objective_already_in_soihtu(world: World) -> None:
    text = csv_text("1,Tukeva,Objective,asiakkaat luottavat meihin,Team B,,,")
    plan = build_plan(an_upload(world, content=text))
    assert plan.objectives[0].parent_existing == world.org_objective
    assert plan.link_count == 1


def test_objective_in_another_year_than_its_parent_is_not_linked(world: World) -> None:
    text = csv_text("1,Vanha,Objective,,Org,2025,,", "2,Uusi,Objective,1,Team A,,,")
    Year.objects.create(
        number=2025, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    plan = build_plan(an_upload(world, content=text))
    assert plan.link_count == 0
    assert rows_with(plan.notes, "Its parent (row 2) is in another year.") == [3]


def test_parents_forming_a_loop_lose_one_link(world: World) -> None:
    text = csv_text(
        "1,A,Objective,2,,,,", "2,B,Objective,1,,,,", "3,C,KR,4,,,0,1", "4,D,KR,3,,,0,1"
    )
    plan = build_plan(an_upload(world, content=text))
    assert plan.link_count == 1
    assert rows_with(plan.notes, "form a loop") == [3]
    assert rows_with(plan.problems, "form a loop") == [4, 5]


def test_duplicate_ids_are_skipped(world: World) -> None:
    text = csv_text("1,A,Objective,,,,,", "1,A again,Objective,,,,,")
    plan = build_plan(an_upload(world, content=text))
    assert [o.title for o in plan.objectives] == ["A"]
    assert rows_with(plan.problems, "The same ID as row 2") == [3]


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "problem"),
    [
        ("5", "5", "The start and target values are the same"),
        ("5", "", "No target value."),
        ("x", "5", "Start value “x” is not a number."),
        ("0", "10000000000000", "Target value “10000000000000” is too large."),
    ],
)
def test_unusable_values_are_problems(world: World, start: str, target: str, problem: str) -> None:
    text = csv_text("1,A,Objective,,,,,", f"2,B,KR,1,,,{start},{target}")
    plan = build_plan(an_upload(world, content=text))
    assert plan.key_result_count == 0
    assert rows_with(plan.problems, problem) == [3]


def test_unreadable_current_value_and_status_are_notes(world: World) -> None:
    text = csv_text(
        "1,A,Objective,,,,,,,Sideways",
        "2,B,KR,1,,,0,10,about five,Sideways",
        header="ID,Title,Type,Parent,Team,Time period,Start,Target,Current,Status",
    )
    plan = build_plan(an_upload(world, content=text))
    assert plan.key_result_count == 1
    assert plan.checkin_count == 0
    assert rows_with(plan.notes, "“about five” is not a number") == [3]
    assert rows_with(plan.notes, "Status “Sideways” is not known") == [2, 3]


def test_long_titles_and_descriptions_are_shortened(world: World) -> None:
    text = csv_text(f"1,{'x' * 250},Objective,{'y' * 2100}", header="ID,Title,Type,Description")
    plan = build_plan(an_upload(world, content=text))
    assert len(plan.objectives[0].title) == 200
    assert len(plan.objectives[0].description) == 2000
    assert len(plan.notes) == 2


def test_owner_shared_by_two_people_is_not_set(world: World) -> None:
    twin = make_user("twin_member")
    twin.email = world.member.email
    twin.save()
    text = csv_text(
        "1,A,Objective,,,,,,", f"2,B,KR,1,,,0,5,{world.member.email}",
        header="ID,Title,Type,Parent,Team,Time period,Start,Target,Owner",
    )  # fmt: skip
    plan = build_plan(an_upload(world, content=text))
    assert plan.objectives[0].key_results[0].owner is None
    assert rows_with(plan.notes, "Several people have the e-mail address") == [3]


# -- objectives already in Soihtu -----------------------------------------------------------


def test_objective_already_in_the_unit_and_cycle_is_skipped_with_its_key_results(
    world: World,
) -> None:
    text = csv_text(
        "1,NOPEAMPI PALVELU,Objective,,Team A,,,",
        "2,Uusi mittari,KR,1,,,0,5",
        "3,Alatavoite,Objective,1,Team B,,,",
    )
    plan = build_plan(an_upload(world, content=text))
    assert [(s.row, s.existing, s.key_results) for s in plan.skipped] == [(2, world.objective_a, 1)]
    assert [o.title for o in plan.objectives] == ["Alatavoite"]
    assert plan.objectives[0].parent_existing == world.objective_a


def test_same_title_in_another_cycle_is_not_a_duplicate(world: World) -> None:
    text = csv_text("1,Nopeampi palvelu,Objective,,Team A,T2 2026,,")
    plan = build_plan(an_upload(world, content=text))
    assert plan.skipped == []
    assert len(plan.objectives) == 1


def test_fingerprint_changes_with_what_would_be_written(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    first = build_plan(upload).fingerprint
    assert build_plan(upload).fingerprint == first
    world.member_b.email = "moved@example.org"
    world.member_b.save()
    assert build_plan(upload).fingerprint != first
