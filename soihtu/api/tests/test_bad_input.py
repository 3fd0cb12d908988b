"""Bad input is answered with a clear error in the one format, in the caller's language, and
changes nothing: malformed JSON, wrong types, unknown fields and ids, oversized bodies, wrong
content types and methods."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from soihtu.api.tests.helpers import API, Api, for_user
from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World
from soihtu.okrs.models import KeyResult, Objective


def state() -> tuple[object, ...]:
    return (
        sorted(Objective.objects.values_list("id", "title", "version")),
        sorted(KeyResult.objects.values_list("id", "current_value", "version")),
        CheckIn.objects.count(),
        AuditEvent.objects.count(),
    )


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert error["message"]
    return error


@pytest.fixture
def api(world: World) -> Api:
    return for_user(world.supervisor)


def checkins(world: World) -> str:
    return f"/key-results/{world.kr_a1.pk}/check-ins"


@pytest.mark.parametrize(
    "body", ["{", '{"value": 8, "confidence": 7', "nonsense", '{"value": NaN, "confidence": 7}']
)
def test_malformed_json_answers_400(world: World, api: Api, body: str) -> None:
    before = state()
    assert_error(api.post(checkins(world), body), 400, "malformed_json")
    patch = api.patch(f"/objectives/{world.objective_a.pk}", body, HTTP_IF_MATCH='"1"')
    assert_error(patch, 400, "malformed_json")
    assert state() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": "eight", "confidence": 7}, "value"),
        ({"value": [8], "confidence": 7}, "value"),
        ({"value": 8, "confidence": "high"}, "confidence"),
        ({"value": 8, "confidence": 11}, "confidence"),
        ({"value": 8, "confidence": -1}, "confidence"),
        ({"value": "1e20", "confidence": 7}, "value"),
        ({"value": "0.00001", "confidence": 7}, "value"),
        ({"value": 8}, "confidence"),
        ({"confidence": 7}, "value"),
        ({"value": 8, "confidence": 7, "note": "x" * 2001}, "note"),
        ({"value": 8, "confidence": 7, "measured_on": "yesterday"}, "measured_on"),
        ({"value": 8, "confidence": 7, "measured_on": "2026-08-01"}, "measured_on"),
        ({"value": 8, "confidence": 7, "measured_on": "2026-12-24"}, "measured_on"),
        ({"value": 8, "confidence": 7, "author": 1}, "author"),
    ],
)
def test_wrong_values_answer_422_with_the_field(
    world: World, api: Api, body: dict[str, Any], field: str
) -> None:
    before = state()
    error = assert_error(api.post(checkins(world), body), 422, "invalid")
    assert field in [detail["field"] for detail in error["details"]]
    assert state() == before


@pytest.mark.parametrize("body", ["[]", '"text"', "8", "null"])
def test_a_body_that_is_not_an_object_answers_422(world: World, api: Api, body: str) -> None:
    before = state()
    assert_error(api.post(checkins(world), body), 422, "invalid")
    assert state() == before


def test_a_milestone_is_done_or_not(world: World, api: Api) -> None:
    url = f"/key-results/{world.kr_a2.pk}/check-ins"
    before = state()
    error = assert_error(api.post(url, {"value": 0.5, "confidence": 7}), 422, "invalid")
    assert error["details"][0]["field"] == "value"
    assert state() == before
    assert api.post(url, {"value": "1.0", "confidence": 7}).status_code == 201


def test_patching_a_wrong_type_or_unknown_field_answers_422(world: World, api: Api) -> None:
    before = state()
    url = f"/objectives/{world.objective_a.pk}"
    for body, field in [
        ({"title": 5}, "title"),
        ({"themes": "1"}, "themes"),
        ({"themes": ["x"]}, "themes.0"),
        ({"version": 7}, "version"),
        ({"owner_unit_id": world.team_b.pk}, "owner_unit_id"),
        ({"title": None}, "title"),
    ]:
        error = assert_error(api.patch(url, body, HTTP_IF_MATCH='"1"'), 422, "invalid")
        assert field in [detail["field"] for detail in error["details"]], body
    assert state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/objectives/999999",
        "/key-results/999999",
        "/key-results/999999/check-ins",
        "/check-ins/999999",
        "/themes/999999",
        "/units/999999",
        "/people/999999",
        "/years/999999",
        "/cycles/999999",
        "/retrospectives/999999",
        "/learnings/999999",
        "/successes/999999",
        "/ideas/999999",
        "/surveys/999999/results",
        "/objectives/99999999999999999999999",
        "/no-such-thing",
        "/objectives/1/no-such-thing",
        "/",
    ],
)
def test_unknown_ids_and_paths_answer_404(world: World, path: str) -> None:
    assert_error(for_user(world.admin).get(path), 404, "not_found")


def test_writes_to_unknown_ids_answer_404_and_change_nothing(world: World, api: Api) -> None:
    before = state()
    assert_error(
        api.post("/key-results/999999/check-ins", {"value": 1, "confidence": 7}), 404, "not_found"
    )
    assert_error(
        api.patch("/objectives/999999", {"title": "x"}, HTTP_IF_MATCH="*"), 404, "not_found"
    )
    assert state() == before


@override_settings(API_MAX_BODY_BYTES=1024)
def test_an_oversized_body_answers_413(world: World, api: Api) -> None:
    before = state()
    body = {"value": 8, "confidence": 7, "note": "x" * 1100}
    error = assert_error(api.post(checkins(world), body), 413, "payload_too_large")
    assert "1 kB" in error["message"]
    assert state() == before


def test_the_default_limit_is_64_kilobytes(world: World, api: Api) -> None:
    body = {"value": 8, "confidence": 7, "note": "x" * 70_000}
    assert_error(api.post(checkins(world), body), 413, "payload_too_large")
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_answers_415(world: World, api: Api, content_type: str) -> None:
    before = state()
    response = api.client.post(
        API + checkins(world), "value=8&confidence=7", content_type=content_type
    )
    assert_error(response, 415, "unsupported_media_type")
    assert state() == before


def test_json_merge_patch_is_accepted(world: World, api: Api) -> None:
    response = api.client.patch(
        API + f"/objectives/{world.objective_a.pk}",
        '{"title": "Uusi"}',
        content_type="application/merge-patch+json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_answer_405(world: World, api: Api, method: str) -> None:
    before = state()
    response = getattr(api.client, method)(API + f"/objectives/{world.objective_a.pk}")
    error = assert_error(response, 405, "method_not_allowed")
    assert "PATCH" in response["Allow"]
    assert error["details"] == []
    assert state() == before


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "limit=x", "offset=-1", "cycle=abc", "status=done"]
)
def test_bad_paging_and_filters_answer_422(world: World, api: Api, query: str) -> None:
    error = assert_error(api.get(f"/objectives?{query}"), 422, "invalid")
    assert error["details"][0]["field"] == query.split("=")[0]


@pytest.mark.parametrize(
    ("language", "detail"),
    [("fi", "Syötä kokonaisluku."), ("sv", "Fyll i ett heltal."), ("en", "Enter a whole number.")],
)
def test_errors_speak_the_callers_language(world: World, language: str, detail: str) -> None:
    api = for_user(world.supervisor, language=language)
    error = assert_error(api.post(checkins(world), {"value": 8, "confidence": "x"}), 422, "invalid")
    with translation.override(language):
        assert error["message"] == translation.gettext(
            "Some values are not valid: see the details."
        )
    assert error["details"] == [{"field": "confidence", "message": detail}]
