"""Lists: paging, the filters by cycle, unit (and below), theme and status, what each persona sees
of the team's practice, and survey aggregates suppressed as on the results page."""

from __future__ import annotations

from typing import Any

import pytest

from soihtu.api.tests.helpers import Practice, add_practice, add_survey, for_user
from soihtu.conftest import World, make_objective
from soihtu.okrs.models import Objective

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
TEAM_A = {"admin", "supervisor", "torchbearer", "member"}


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def practice(world: World) -> Practice:
    return add_practice(world)


def test_pages_give_the_count_and_a_slice(world: World) -> None:
    for n in range(5):
        make_objective(world.team_b, year=world.year, cycle=world.cycle, title=f"B{n}")
    api = for_user(world.admin)
    everything = ids(api.get("/objectives?limit=200"))
    assert everything == sorted(everything)
    assert len(everything) == 9
    page = api.get("/objectives?limit=3&offset=3").json()
    assert (page["count"], page["limit"], page["offset"]) == (9, 3, 3)
    assert [o["id"] for o in page["items"]] == everything[3:6]
    assert api.get("/objectives?offset=100").json()["items"] == []
    assert api.get("/objectives").json()["limit"] == 50


def test_objectives_filter_by_cycle_unit_theme_and_status(world: World) -> None:
    api = for_user(world.admin)
    old = make_objective(world.team_b, year=world.year, cycle=world.closed_cycle, title="Vanha")
    Objective.objects.filter(pk=world.objective_b.pk).update(status=Objective.Status.COMPLETED)
    world.objective_b.themes.set([world.themes[1]])
    in_cycle = {world.objective_a.pk, world.restricted_a.pk, world.objective_b.pk}
    assert set(ids(api.get(f"/objectives?cycle={world.cycle.pk}"))) == in_cycle
    assert ids(api.get(f"/objectives?cycle={world.closed_cycle.pk}")) == [old.pk]
    assert set(ids(api.get(f"/objectives?unit={world.unit_a.pk}"))) == in_cycle | {old.pk}
    assert set(ids(api.get(f"/objectives?unit={world.team_a.pk}"))) == {
        world.objective_a.pk,
        world.restricted_a.pk,
    }
    assert ids(api.get("/objectives?unit=999999")) == []
    assert set(ids(api.get(f"/objectives?theme={world.themes[0].pk}"))) == {
        world.org_objective.pk,
        world.objective_a.pk,
    }
    assert ids(api.get("/objectives?status=completed")) == [world.objective_b.pk]
    assert ids(api.get(f"/objectives?status=completed&unit={world.team_a.pk}")) == []


def test_key_results_filter_by_objective_unit_and_cycle(world: World) -> None:
    api = for_user(world.admin)
    assert ids(api.get(f"/key-results?objective={world.objective_a.pk}")) == [
        world.kr_a1.pk,
        world.kr_a2.pk,
    ]
    assert ids(api.get(f"/key-results?unit={world.team_b.pk}")) == [world.kr_b1.pk]
    in_cycle = ids(api.get(f"/key-results?cycle={world.cycle.pk}"))
    assert world.kr_b1.pk in in_cycle
    assert len(in_cycle) == 4
    body = api.get(f"/key-results/{world.kr_a1.pk}").json()
    assert (body["kind"], body["start_value"], body["target_value"], body["owner_id"]) == (
        "decrease",
        "12",
        "5",
        world.member.pk,
    )


def test_check_ins_of_a_key_result_oldest_first(world: World) -> None:
    api = for_user(world.member)
    for value in (10, 9, 8):
        api.post(f"/key-results/{world.kr_a1.pk}/check-ins", {"value": value, "confidence": 6})
    listed = api.get(f"/key-results/{world.kr_a1.pk}/check-ins").json()
    assert [c["value"] for c in listed["items"]] == ["10", "9", "8"]
    first = listed["items"][0]
    assert api.get(f"/check-ins/{first['id']}").json() == first
    kr = api.get(f"/key-results/{world.kr_a1.pk}").json()
    assert (kr["current_value"], kr["confidence"]) == ("8", 6)
    assert for_user(world.outsider).get(f"/check-ins/{first['id']}").status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_teams_practice_as_each_persona_sees_it(
    world: World, practice: Practice, persona: str
) -> None:
    api = for_user(world.persona(persona))
    retros = ids(api.get("/retrospectives"))
    ideas = ids(api.get("/ideas"))
    learnings = api.get("/learnings").json()["items"]
    success = api.get(f"/successes/{practice.success.pk}").json()
    idea_detail = api.get(f"/ideas/{practice.idea.pk}")
    retro_detail = api.get(f"/retrospectives/{practice.retrospective.pk}")
    internal = api.get(f"/learnings/{practice.internal_learning.pk}")
    published = next(item for item in learnings if item["id"] == practice.learning.pk)
    if persona in TEAM_A:
        assert retros == [practice.retrospective.pk]
        assert ideas == [practice.idea.pk]
        assert practice.internal_learning.pk in [item["id"] for item in learnings]
        assert (idea_detail.status_code, retro_detail.status_code, internal.status_code) == (
            200,
            200,
            200,
        )
        assert idea_detail.json()["objectives"] == [world.objective_a.pk, world.restricted_a.pk]
        assert success["objectives"] == [world.objective_a.pk, world.restricted_a.pk]
        assert published["objective_id"] == world.restricted_a.pk
        review = retro_detail.json()["objective_reviews"][0]
        assert (review["objective_id"], review["adjusted_score"]) == (world.restricted_a.pk, "0.5")
    else:
        assert retros == ideas == []
        assert practice.internal_learning.pk not in [item["id"] for item in learnings]
        assert (idea_detail.status_code, retro_detail.status_code, internal.status_code) == (
            404,
            404,
            404,
        )
        # The success is everyone's; the restricted objective it links to is not.
        assert success["objectives"] == [world.objective_a.pk]
        assert published["objective_id"] is None


def test_practice_filters(world: World, practice: Practice) -> None:
    api = for_user(world.admin)
    assert ids(api.get(f"/retrospectives?cycle={world.closed_cycle.pk}")) == [
        practice.retrospective.pk
    ]
    assert ids(api.get(f"/retrospectives?cycle={world.cycle.pk}")) == []
    assert ids(api.get(f"/ideas?unit={world.team_b.pk}")) == []
    assert ids(api.get("/ideas?status=new")) == [practice.idea.pk]
    assert ids(api.get("/ideas?status=adopted")) == []
    assert ids(api.get(f"/learnings?theme={world.themes[1].pk}")) == [practice.learning.pk]
    assert ids(api.get(f"/successes?theme={world.themes[0].pk}")) == [practice.success.pk]
    assert ids(api.get(f"/successes?unit={world.division_2.pk}")) == []
    assert api.get(f"/successes/{practice.success.pk}").json()["thanks_count"] == 0


def test_reference_data(world: World) -> None:
    api = for_user(world.member)
    units = api.get(f"/units?parent={world.unit_a.pk}").json()["items"]
    assert [u["name"] for u in units] == ["Team A", "Team B"]
    assert units[0]["parent_id"] == world.unit_a.pk
    assert ids(api.get("/units?kind=division")) == [world.division.pk, world.division_2.pk]
    people = api.get(f"/people?unit={world.unit_a.pk}").json()["items"]
    assert {p["display_name"] for p in people} == {
        "Supervisor A",
        "Torchbearer A",
        "Member A",
        "Member B",
        "Parent Supervisor",
    }
    assert set(people[0]) == {"id", "display_name"}
    assert ids(api.get(f"/cycles?year={world.year.pk}&state=active")) == [world.cycle.pk]
    assert api.get("/years").json()["items"][0]["number"] == 2026


def test_theme_names_follow_the_language(world: World) -> None:
    names = {
        language: for_user(world.member, language=language)
        .get("/themes")
        .json()["items"][0]["name"]
        for language in ("fi", "sv", "en")
    }
    assert names == {"fi": "Luottamus", "sv": "Förtroende", "en": "Trust"}


def test_people_who_left_are_named_former_employees(world: World) -> None:
    from django.utils import timezone

    world.member_b.anonymized_at = timezone.now()
    world.member_b.is_active = False
    world.member_b.save()
    api = for_user(world.member)
    assert world.member_b.pk not in ids(api.get("/people"))
    assert api.get(f"/people/{world.member_b.pk}").json()["display_name"] == "former employee"


def test_survey_groups_under_five_are_never_shown(world: World) -> None:
    small = add_survey(world, answers=4)
    large = add_survey(world, answers=6)
    api = for_user(world.admin)
    hidden = api.get(f"/surveys/{small.pk}/results").json()
    assert (hidden["shown"], hidden["responses"], hidden["questions"]) == (False, 4, [])
    shown = api.get(f"/surveys/{large.pk}/results").json()
    assert shown["shown"] is True
    question = shown["questions"][0]
    assert question["n"] == 6
    assert question["by_unit"] == [{"label": "Division 1", "n": 6, "agree": question["agree"]}]
    assert sum(bar["count"] for bar in question["bars"]) == 6


def test_draft_rounds_are_not_in_the_api(world: World) -> None:
    survey = add_survey(world)
    survey.state = survey.State.DRAFT
    survey.save()
    api = for_user(world.admin)
    assert api.get("/surveys").json()["items"] == []
    assert api.get(f"/surveys/{survey.pk}/results").status_code == 404
