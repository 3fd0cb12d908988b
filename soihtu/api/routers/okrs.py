"""Objectives, key results and check-ins: read what the caller may see, edit with ETags, and
post check-ins (the way a data source feeds a key result), idempotently."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.params import functions as param

from soihtu.api import access, selectors, services
from soihtu.api import schemas as s
from soihtu.api import serializers as out
from soihtu.api.errors import JSON
from soihtu.api.gate import client_of
from soihtu.api.routers.common import (
    DETAIL_ERRORS,
    EDIT_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    answers,
)
from soihtu.okrs import access as okrs_access
from soihtu.okrs.access_log import key_results_read, objectives_read

router = Router()

IDEMPOTENCY_KEY = r"^[\x21-\x7e]{1,255}$"  # visible ASCII, as the header's draft suggests


def _etag(version: int) -> str:
    return f'"{version}"'


@router.get(
    "/objectives",
    response=answers(200, s.ObjectivePage, LIST_ERRORS),
    tags=["objectives"],
    summary="Objectives",
)
def objective_list(request: HttpRequest, query: Query[s.ObjectiveQuery]) -> dict[str, Any]:
    """The objectives the caller may see (restricted ones only to the people of the owning
    unit), filtered by cycle, year, unit (and below), strategy theme and status."""
    actor = client_of(request).actor
    page = selectors.objectives(actor, query)
    objectives_read(request, page.items, user=actor.user)
    return out.page_out(page, query, [out.objective_out(o) for o in page.items])


@router.get(
    "/objectives/{objective_id}",
    response=answers(200, s.ObjectiveOut, DETAIL_ERRORS),
    tags=["objectives"],
)
def objective_detail(
    request: HttpRequest, response: HttpResponse, objective_id: int
) -> s.ObjectiveOut:
    """One objective. The ETag header carries its version, for If-Match when editing."""
    actor = client_of(request).actor
    objective = selectors.objective(actor, okrs_access.get_objective_for_user(actor, objective_id))
    objectives_read(request, [objective], user=actor.user)
    response["ETag"] = _etag(objective.version)
    return out.objective_out(objective)


@router.post(
    "/objectives",
    response=answers(201, s.ObjectiveOut, WRITE_ERRORS),
    tags=["objectives"],
    summary="Create an objective",
)
def objective_create(
    request: HttpRequest, response: HttpResponse, data: s.ObjectiveIn
) -> Status[s.ObjectiveOut]:
    """Create an objective of a unit, as the new-objective page does (the unit's editors
    only). Answers with its Location and ETag."""
    client = client_of(request)
    unit = access.get_unit_for_okr_create(client, data.unit_id)
    objective = services.objective_post(client=client, unit=unit, data=data)
    fresh = selectors.objective(client.actor, objective)
    response["Location"] = reverse("api:v1:objective_detail", args=[fresh.pk])
    response["ETag"] = _etag(fresh.version)
    return Status(201, out.objective_out(fresh))


@router.patch(
    "/objectives/{objective_id}",
    response=answers(200, s.ObjectiveOut, EDIT_ERRORS),
    tags=["objectives"],
)
def objective_update(
    request: HttpRequest,
    response: HttpResponse,
    objective_id: int,
    patch: s.ObjectivePatch,
    if_match: str | None = param.Header(None, alias="If-Match", description="The ETag you read."),
) -> s.ObjectiveOut:
    """Change the fields sent, as the objective's edit page allows (its editors only). Needs
    If-Match with the current ETag: 412 and nothing saved when someone changed it meanwhile."""
    client = client_of(request)
    objective = access.get_objective_for_edit(client, objective_id)
    version = services.matched_version(if_match, objective.version)
    services.objective_patch(client=client, objective=objective, version=version, patch=patch)
    fresh = selectors.objective(client.actor, objective)
    response["ETag"] = _etag(fresh.version)
    return out.objective_out(fresh)


@router.get(
    "/key-results",
    response=answers(200, s.KeyResultPage, LIST_ERRORS),
    tags=["key results"],
    summary="Key results",
)
def key_result_list(request: HttpRequest, query: Query[s.KeyResultQuery]) -> dict[str, Any]:
    """Key results of the objectives the caller may see, filtered by objective, cycle, year,
    unit (and below), the objective's strategy theme and the objective's status."""
    actor = client_of(request).actor
    page = selectors.key_results(actor, query)
    key_results_read(request, page.items, user=actor.user)
    return out.page_out(page, query, [out.key_result_out(kr) for kr in page.items])


@router.get(
    "/key-results/{key_result_id}",
    response=answers(200, s.KeyResultOut, DETAIL_ERRORS),
    tags=["key results"],
)
def key_result_detail(
    request: HttpRequest, response: HttpResponse, key_result_id: int
) -> s.KeyResultOut:
    """One key result. The ETag header carries its version, for If-Match when editing."""
    actor = client_of(request).actor
    key_result = selectors.key_result(okrs_access.get_key_result_for_user(actor, key_result_id))
    key_results_read(request, [key_result], user=actor.user)
    response["ETag"] = _etag(key_result.version)
    return out.key_result_out(key_result)


@router.post(
    "/objectives/{objective_id}/key-results",
    response=answers(201, s.KeyResultOut, WRITE_ERRORS),
    tags=["key results"],
    summary="Add a key result",
)
def key_result_create(
    request: HttpRequest, response: HttpResponse, objective_id: int, data: s.KeyResultIn
) -> Status[s.KeyResultOut]:
    """Add a key result to an objective, as the new-key-result page does (the objective's
    editors only). Answers with its Location and ETag."""
    client = client_of(request)
    objective = access.get_objective_for_edit(client, objective_id)
    key_result = services.key_result_post(client=client, objective=objective, data=data)
    fresh = selectors.key_result(key_result)
    response["Location"] = reverse("api:v1:key_result_detail", args=[fresh.pk])
    response["ETag"] = _etag(fresh.version)
    return Status(201, out.key_result_out(fresh))


@router.patch(
    "/key-results/{key_result_id}",
    response=answers(200, s.KeyResultOut, EDIT_ERRORS),
    tags=["key results"],
)
def key_result_update(
    request: HttpRequest,
    response: HttpResponse,
    key_result_id: int,
    patch: s.KeyResultPatch,
    if_match: str | None = param.Header(None, alias="If-Match", description="The ETag you read."),
) -> s.KeyResultOut:
    """Change a key result's definition as its edit page allows (the objective's editors
    only). Needs If-Match with the current ETag: 412 and nothing saved when it is stale."""
    client = client_of(request)
    key_result = access.get_key_result_for_edit(client, key_result_id)
    version = services.matched_version(if_match, key_result.version)
    services.key_result_patch(client=client, key_result=key_result, version=version, patch=patch)
    fresh = selectors.key_result(key_result)
    response["ETag"] = _etag(fresh.version)
    return out.key_result_out(fresh)


@router.get(
    "/key-results/{key_result_id}/check-ins",
    response=answers(200, s.CheckInPage, DETAIL_ERRORS),
    tags=["check-ins"],
    summary="Check-ins of a key result",
)
def checkin_list(
    request: HttpRequest, key_result_id: int, query: Query[s.PageQuery]
) -> dict[str, Any]:
    """A key result's check-ins, oldest first."""
    actor = client_of(request).actor
    key_result = okrs_access.get_key_result_for_user(actor, key_result_id)
    page = selectors.checkins(key_result, query)
    key_results_read(request, [key_result], user=actor.user)
    return out.page_out(page, query, [out.checkin_out(c) for c in page.items])


@router.post(
    "/key-results/{key_result_id}/check-ins",
    response=answers(201, s.CheckInOut, WRITE_ERRORS),
    tags=["check-ins"],
    summary="Record a check-in",
)
def checkin_create(
    request: HttpRequest,
    response: HttpResponse,
    key_result_id: int,
    data: s.CheckInIn,
    idempotency_key: str | None = param.Header(
        None,
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY,
        description="Any unique string (e.g. a UUID): a retry with the same key and body "
        "records nothing new and gets the first answer again.",
    ),
) -> Status[s.CheckInOut] | HttpResponse:
    """Record a check-in: the key result's new value and confidence, as the check-in page
    does (the owning unit's members and the key result's owner; not in a closed cycle)."""
    client = client_of(request)
    key_result = access.get_key_result_for_checkin(client, key_result_id)
    answer = services.checkin_post(
        client=client, key_result=key_result, data=data, idempotency_key=idempotency_key
    )
    location = reverse("api:v1:checkin_detail", args=[answer.body["id"]])
    if answer.replayed:
        replay = HttpResponse(json.dumps(answer.body), status=answer.status, content_type=JSON)
        replay["Idempotent-Replayed"] = "true"
        replay["Location"] = location
        return replay
    response["Location"] = location
    return Status(answer.status, s.CheckInOut.model_validate(answer.body))


@router.get(
    "/check-ins/{checkin_id}",
    response=answers(200, s.CheckInOut, DETAIL_ERRORS),
    tags=["check-ins"],
)
def checkin_detail(request: HttpRequest, checkin_id: int) -> s.CheckInOut:
    """One check-in (of a key result the caller may see)."""
    actor = client_of(request).actor
    checkin = access.get_checkin_for_user(actor, checkin_id)
    key_results_read(request, [checkin.key_result], user=actor.user)
    return out.checkin_out(checkin)
