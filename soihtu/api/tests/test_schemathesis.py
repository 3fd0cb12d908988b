"""Schemathesis against the API's own OpenAPI document: no answer is a server error, and every
answer (errors included) matches the schema and a status code the operation documents.

Bounded and repeatable: the coverage phase (the schema's boundary and invalid values, every one
of them) and a few derandomized fuzzing examples per operation. Valid cases are pointed at real
objects of team A, and edits are sent with `If-Match: *`, so that reads and writes succeed as well
as fail; invalid cases keep what was generated.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from soihtu.api.api import api
from soihtu.api.tests.helpers import add_practice, personal_token
from soihtu.conftest import World

CONFIG = {
    "phases": {
        "examples": {"enabled": False},
        "coverage": {"enabled": True, "generation": {"mode": "negative"}},
        "fuzzing": {"enabled": True, "generation": {"mode": "positive"}},
        "stateful": {"enabled": False},
    },
}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def _load_schema() -> Any:
    """The API's OpenAPI document, as /api/v1/openapi.json serves it, answered by Django's WSGI
    application in the test's own thread and transaction."""
    document = api.get_openapi_schema(path_prefix=reverse("api:v1:api-root"))
    loaded = schemathesis.openapi.from_dict(document, config=schemathesis.Config.from_dict(CONFIG))
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_connection() -> Iterator[None]:
    """Like Django's test client, keep the connection open between requests: Django would close
    it, and with it the test's transaction, at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(world: World) -> dict[str, int]:
    practice = add_practice(world)
    return {
        "theme_id": world.themes[0].pk,
        "unit_id": world.team_a.pk,
        "person_id": world.member.pk,
        "year_id": world.year.pk,
        "cycle_id": world.cycle.pk,
        "objective_id": world.restricted_a.pk,
        "key_result_id": world.kr_a1.pk,
        "checkin_id": practice.checkin.pk,
        "retrospective_id": practice.retrospective.pk,
        "learning_id": practice.learning.pk,
        "success_id": practice.success.pk,
        "idea_id": practice.idea.pk,
        "round_id": practice.survey.pk,
    }


@pytest.fixture
def token(world: World) -> str:
    return personal_token(world.admin)


def _point_at_real_objects(case: Any, ids: dict[str, int]) -> None:
    meta = case.meta
    if meta is None or meta.generation.mode.is_negative:
        return
    for name in case.path_parameters:
        case.path_parameters[name] = ids[name]
    if case.method.upper() == "PATCH":
        case.headers = {**(case.headers or {}), "If-Match": "*"}


@schema.parametrize()  # type: ignore[untyped-decorator]  # schemathesis is untyped here
@settings(
    max_examples=8,
    deadline=datetime.timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_every_answer_as_documented(
    case: Any, token: str, real_ids: dict[str, int]
) -> None:
    _point_at_real_objects(case, real_ids)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
