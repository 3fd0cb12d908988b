"""Edits with ETags: reads give the version as the ETag; an edit without If-Match answers 428,
with a stale one 412, and neither changes anything; the current one saves and gives the new
ETag. The edit is checked as the page checks it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F

from soihtu.api import access
from soihtu.api.tests.helpers import for_user
from soihtu.audit.models import AuditEvent
from soihtu.conftest import World
from soihtu.okrs.models import KeyResult, Objective


def state() -> tuple[object, ...]:
    return (
        sorted(Objective.objects.values_list("id", "title", "status", "version")),
        sorted(KeyResult.objects.values_list("id", "title", "target_value", "version")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def editor(world: World) -> Any:
    return for_user(world.supervisor)


def test_reads_give_the_version_as_etag(world: World, editor: Any) -> None:
    assert editor.get(f"/objectives/{world.objective_a.pk}")["ETag"] == '"1"'
    assert editor.get(f"/key-results/{world.kr_a1.pk}")["ETag"] == '"1"'


def test_an_edit_without_if_match_answers_428(world: World, editor: Any) -> None:
    before = state()
    response = editor.patch(f"/objectives/{world.objective_a.pk}", {"title": "Uusi"})
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"
    response = editor.patch(f"/key-results/{world.kr_a1.pk}", {"title": "Uusi"})
    assert response.status_code == 428
    assert state() == before


@pytest.mark.parametrize("if_match", ['"2"', '"0"', "garbage", 'W/"7"', '"1 "'])
def test_a_stale_version_answers_412_and_changes_nothing(
    world: World, editor: Any, if_match: str
) -> None:
    before = state()
    response = editor.patch(
        f"/objectives/{world.objective_a.pk}", {"title": "Uusi"}, HTTP_IF_MATCH=if_match
    )
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "version_mismatch"
    assert state() == before


def test_the_current_version_saves_and_gives_the_next_etag(world: World, editor: Any) -> None:
    etag = editor.get(f"/objectives/{world.objective_a.pk}")["ETag"]
    response = editor.patch(
        f"/objectives/{world.objective_a.pk}",
        {"title": "Uusi", "status": "completed", "themes": [world.themes[2].pk]},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    body = response.json()
    assert (body["title"], body["status"], body["themes"], body["version"]) == (
        "Uusi",
        "completed",
        [world.themes[2].pk],
        2,
    )
    # The fields not sent are kept, the links too.
    assert body["contributes_to"] == [world.org_objective.pk]
    assert body["kind"] == "committed"
    again = editor.patch(f"/objectives/{world.objective_a.pk}", {"title": "x"}, HTTP_IF_MATCH=etag)
    assert again.status_code == 412
    audit = AuditEvent.objects.filter(target_type="objective", action="update").get()
    assert audit.actor == world.supervisor


def test_a_list_of_etags_and_the_star_match(world: World, editor: Any) -> None:
    response = editor.patch(
        f"/objectives/{world.objective_a.pk}", {"title": "A"}, HTTP_IF_MATCH='"5", "1"'
    )
    assert response.status_code == 200
    response = editor.patch(
        f"/objectives/{world.objective_a.pk}", {"title": "B"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200
    assert response["ETag"] == '"3"'


def test_a_key_result_edit_is_checked_as_on_the_page(world: World, editor: Any) -> None:
    url = f"/key-results/{world.kr_a1.pk}"
    before = state()
    # kr_a1 decreases from 12: a target above the start is refused, as on the page.
    refused = editor.patch(url, {"target_value": "20"}, HTTP_IF_MATCH='"1"')
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "target_value"
    not_a_member = editor.patch(url, {"owner_id": world.member_b.pk}, HTTP_IF_MATCH='"1"')
    assert not_a_member.status_code == 422
    assert not_a_member.json()["error"]["details"][0]["field"] == "owner_id"
    assert state() == before
    saved = editor.patch(
        url, {"target_value": 3.5, "owner_id": None, "weight": 3}, HTTP_IF_MATCH='"1"'
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert (body["target_value"], body["owner_id"], body["weight"], body["version"]) == (
        "3.5",
        None,
        3,
        2,
    )
    assert body["start_value"] == "12"
    assert saved["ETag"] == '"2"'


def test_an_objective_edit_is_checked_as_on_the_page(world: World, editor: Any) -> None:
    before = state()
    for patch in (
        {"title": ""},
        {"title": "x" * 201},
        {"status": "finished"},
        {"themes": [999999]},
        {"contributes_to": [world.objective_b.pk]},  # not above team A
    ):
        response = editor.patch(f"/objectives/{world.objective_a.pk}", patch, HTTP_IF_MATCH='"1"')
        assert response.status_code == 422, patch
        assert response.json()["error"]["details"], patch
    assert state() == before


def test_someone_saving_in_between_answers_412(world: World, editor: Any, monkeypatch: Any) -> None:
    """The If-Match check passed, but another edit was saved before ours: the versioned
    service refuses, and nothing of ours is written."""
    fetch = access.get_objective_for_edit

    def fetch_then_someone_saves(client: Any, objective_id: int) -> Objective:
        objective = fetch(client, objective_id)
        Objective.objects.filter(pk=objective_id).update(version=F("version") + 1, title="Muu")
        return objective

    monkeypatch.setattr(access, "get_objective_for_edit", fetch_then_someone_saves)
    response = editor.patch(
        f"/objectives/{world.objective_a.pk}", {"title": "Uusi"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 412
    assert Objective.objects.filter(pk=world.objective_a.pk).values_list(
        "title", "version"
    ).get() == (
        "Muu",
        2,
    )
    assert not AuditEvent.objects.filter(target_type="objective").exists()
