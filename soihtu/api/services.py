"""Writes of the API: tokens, the rate-limit count, idempotent check-ins and versioned edits.

The domain writes themselves are the pages' services (okrs, checkins), validated with the pages'
own forms, so the API can neither do more nor accept less than the pages.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from soihtu.accounts.models import User
from soihtu.api.access import TOKEN_PREFIX, ApiClient, hash_secret
from soihtu.api.errors import ApiError, form_error_details, invalid, stale_version
from soihtu.api.models import ApiToken, IdempotentRequest, RateLimitWindow, service_token_last_day
from soihtu.api.schemas import (
    CheckInIn,
    KeyResultIn,
    KeyResultPatch,
    ObjectiveIn,
    ObjectivePatch,
)
from soihtu.api.serializers import checkin_out, decimal_text
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.audit.services import audit_record, security_event_record, snapshot
from soihtu.checkins.forms import CheckInForm
from soihtu.checkins.services import checkin_create, checkin_window
from soihtu.okrs import services as okrs_services
from soihtu.okrs.forms import KeyResultForm, ObjectiveForm
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor

TOKEN_FIELDS = ["kind", "name", "scope", "units", "expires_at", "revoked_at"]
REVOKED_ON_PAGE = "revoked_on_tokens_page"  # the reason recorded when a person revokes a token
RATE_WINDOW_SECONDS = 60
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


# Tokens.


def _end_of_day(day: datetime.date) -> datetime.datetime:
    """The moment a token valid through `day` expires: the start of the next day, locally."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def _token_event(
    kind: str, *, token: ApiToken, by: User | None, request: HttpRequest | None, reason: str = ""
) -> None:
    """A token's creation or revocation as a security event: by whom (else the token's
    creator), which token by its public prefix (never the secret), and why."""
    detail: dict[str, object] = {
        "token": token.prefix,
        "kind": token.kind,
        "created_by": token.created_by_id,
    }
    if reason:
        detail["reason"] = reason
    security_event_record(kind=kind, request=request, user=by or token.created_by, detail=detail)


def _check_service_token(
    actor: Actor, units: list[Unit], valid_through: datetime.date | None
) -> None:
    """Service tokens: by org admins only, with at least one unit, and ending within a year."""
    if not actor.is_org_admin:
        raise PermissionDenied
    if not units:
        raise ValidationError(_("Choose at least one unit."))
    today = timezone.localdate()
    if valid_through is None or not today <= valid_through <= service_token_last_day(today):
        raise ValidationError(_("A service token needs a last day, at most a year from today."))


@transaction.atomic
def token_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    scope: str,
    units: Iterable[Unit] = (),
    valid_through: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is not stored and cannot be shown
    again; audited and recorded as a security event. Service tokens are created by org admins
    only, need at least one unit and a last day at most a year ahead; personal tokens have no
    units."""
    scope_units = list(units)
    if kind == ApiToken.Kind.SERVICE:
        _check_service_token(actor, scope_units, valid_through)
    elif scope_units:
        raise ValidationError(_("A personal token acts in its person's units; it has none."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        kind=kind,
        name=name,
        scope=scope,
        created_by=actor.user,
        expires_at=_end_of_day(valid_through) if valid_through else None,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=hash_secret(secret),
    )
    token.units.set(scope_units)
    audit_record(
        actor=actor.user,
        action=AuditEvent.Action.CREATE,
        instance=token,
        before=None,
        after=snapshot(token, TOKEN_FIELDS),
    )
    _token_event(SecurityEvent.Kind.TOKEN_CREATED, token=token, by=actor.user, request=request)
    return token, secret


def _revoke(token: ApiToken, *, by: User | None, request: HttpRequest | None, reason: str) -> None:
    """Revoke a locked, unrevoked token: audited, and a security event with `reason`."""
    before = snapshot(token, TOKEN_FIELDS)
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=token,
        before=before,
        after=snapshot(token, TOKEN_FIELDS),
    )
    _token_event(
        SecurityEvent.Kind.TOKEN_REVOKED, token=token, by=by, request=request, reason=reason
    )


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Revoke a token for good (fetched through access.get_token_for_revoke); revoking it again
    changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        _revoke(token, by=actor.user, request=request, reason=REVOKED_ON_PAGE)
    return token


@transaction.atomic
def service_tokens_revoke_for(
    *, user: User, actor: User | None, request: HttpRequest | None, reason: str
) -> int:
    """Revoke every live service token `user` created, because their org admin role went and
    the tokens were answered for by it; each is audited (with `actor`, None when the identity
    provider removed the role) and a security event with `reason`. Returns how many.

    Registered in ApiConfig.ready() to run whenever the role is removed
    (soihtu.accounts.role_removal), in the transaction that removes it."""
    live = ApiToken.objects.select_for_update(of=("self",)).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
        kind=ApiToken.Kind.SERVICE,
        created_by=user,
        revoked_at__isnull=True,
    )
    tokens = list(live.select_related("created_by").order_by("id"))
    for token in tokens:
        _revoke(token, by=actor, request=request, reason=reason)
    return len(tokens)


def token_touch(*, token: ApiToken, now: datetime.datetime) -> None:
    """Record that the token was used: at most once a minute, in one UPDATE."""
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)


def rate_limit_hit(*, token: ApiToken, now: datetime.datetime) -> int | None:
    """Count one request of the token in its current one-minute window; the seconds to wait
    when it is over API_RATE_LIMIT_PER_MINUTE, else None.

    One statement counts it (an upsert returning the new count), so that concurrent requests in
    any number of processes are all counted; a window's first request removes the old ones.
    """
    start = now.replace(second=0, microsecond=0)
    quote = connection.ops.quote_name
    table, count = quote(RateLimitWindow._meta.db_table), quote("count")
    sql = (
        f"INSERT INTO {table} ({quote('token_id')}, {quote('starts_at')}, {count}) "  # noqa: S608 - names come from the model, values are parameters
        f"VALUES (%s, %s, 1) ON CONFLICT ({quote('token_id')}, {quote('starts_at')}) "
        f"DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [token.pk, connection.ops.adapt_datetimefield_value(start)])
        row = cursor.fetchone()
    used = int(row[0])
    if used == 1:
        RateLimitWindow.objects.filter(token=token, starts_at__lt=start).delete()
    if used <= settings.API_RATE_LIMIT_PER_MINUTE:
        return None
    elapsed = (now - start).total_seconds()
    return max(1, math.ceil(RATE_WINDOW_SECONDS - elapsed))


# Idempotent requests.

IDEMPOTENCY_KEPT = datetime.timedelta(days=7)  # far longer than any client retries


def idempotent_requests_prune(*, now: datetime.datetime) -> int:
    """Forget the answers to idempotent requests older than IDEMPOTENCY_KEPT (run by the
    scheduler); returns how many were removed."""
    removed, _by_model = IdempotentRequest.objects.filter(
        created_at__lt=now - IDEMPOTENCY_KEPT
    ).delete()
    return removed


def as_json(answer: BaseModel) -> dict[str, Any]:
    """An answer as the API renders it (its encoder gives times in milliseconds), to store."""
    body: dict[str, Any] = json.loads(NinjaJSONEncoder().encode(answer.model_dump()))
    return body


@dataclass
class Answer:
    """An operation's answer as it is stored for replays."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def _fingerprint(operation: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(
    *,
    client: ApiClient,
    key: str | None,
    operation: str,
    payload: dict[str, Any],
    perform: Callable[[], Answer],
) -> Answer:
    """Perform once per (token, Idempotency-Key): a retry with the same payload gets the first
    answer again, a reuse of the key for another payload is refused (422).

    The key is claimed first, inside the transaction that performs: a concurrent duplicate waits
    on the unique constraint until the first commits, then replays its answer. A request that
    fails rolls its claim back, so that a retry performs afresh.
    """
    if key is None:
        return perform()
    fingerprint = _fingerprint(operation, payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(
                    token=client.token, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            stored = IdempotentRequest.objects.get(token=client.token, key=key)
            if stored.fingerprint != fingerprint:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    _(
                        "This Idempotency-Key was already used for a different request: "
                        "use a new key for a new request."
                    ),
                ) from None
            return Answer(stored.status_code, stored.body, replayed=True)
        answer = perform()
        claim.status_code, claim.body = answer.status, answer.body
        claim.save(update_fields=["status_code", "body"])
        return answer


# Check-ins.


def _checkin_form_data(key_result: KeyResult, data: CheckInIn) -> dict[str, Any]:
    measured_on = data.measured_on
    if measured_on is None:
        measured_on = min(timezone.localdate(), checkin_window(key_result)[1])
    # A milestone's value is a choice ("0" or "1") on the page: send it as the page does.
    value: Any = decimal_text(data.value) if key_result.is_milestone else data.value
    return {
        "value": value,
        "confidence": str(data.confidence),
        "note": data.note,
        "measured_on": measured_on,
    }


def checkin_post(
    *, client: ApiClient, key_result: KeyResult, data: CheckInIn, idempotency_key: str | None
) -> Answer:
    """Record a check-in (key result fetched through access.get_key_result_for_checkin),
    validated as the check-in page validates it, at most once per Idempotency-Key."""

    def perform() -> Answer:
        form = CheckInForm(_checkin_form_data(key_result, data), key_result=key_result)
        if not form.is_valid():
            raise invalid(form_error_details(form.errors))
        checkin = checkin_create(
            author=client.actor.user, key_result=key_result, **form.cleaned_data
        )
        return Answer(201, as_json(checkin_out(checkin)))

    return idempotent(
        client=client,
        key=idempotency_key,
        operation=f"checkin:{key_result.pk}",
        payload=data.model_dump(mode="json"),
        perform=perform,
    )


# Versioned edits (ETag / If-Match).


def matched_version(if_match: str | None, current: int) -> int:
    """The version an If-Match header names, if it is the current one.

    Missing: 428 (an edit must say which version it changes). `*` matches any version. Any
    other value that is not the current version: 412.
    """
    if if_match is None or not if_match.strip():
        raise ApiError(
            428,
            "precondition_required",
            _(
                "Send the version you read in the If-Match header (the ETag of the object), "
                "so that nobody else's change is overwritten."
            ),
        )
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    if "*" in tags or str(current) in tags:
        return current
    raise stale_version()


def _renamed(details: list[dict[str, str]], names: dict[str, str]) -> list[dict[str, str]]:
    """Form error details with the form's field names replaced by the API's."""
    return [{**d, "field": names.get(d["field"], d["field"])} for d in details]


def objective_post(*, client: ApiClient, unit: Unit, data: ObjectiveIn) -> Objective:
    """Create an objective of `unit` (fetched through access.get_unit_for_okr_create) with the
    new-objective page's form and rules."""
    if data.cycle_id is not None:
        period = f"cycle:{data.cycle_id}"
    else:
        period = f"year:{data.year_id}" if data.year_id is not None else ""
    fields = data.model_dump(include={"title", "description", "kind", "status", "visibility"})
    form = ObjectiveForm(
        {**fields, "period": period, "themes": data.themes, "contributes_to": data.contributes_to},
        actor=client.actor,
        unit=unit,
    )
    if not form.is_valid():
        field = "cycle_id" if data.cycle_id is not None or data.year_id is None else "year_id"
        raise invalid(_renamed(form_error_details(form.errors), {"period": field}))
    return okrs_services.objective_create(actor=client.actor.user, owner_unit=unit, **form.values())


def key_result_post(*, client: ApiClient, objective: Objective, data: KeyResultIn) -> KeyResult:
    """Add a key result to `objective` (fetched through access.get_objective_for_edit) with the
    new-key-result page's form and rules."""
    values = data.model_dump(exclude={"owner_id"})
    form = KeyResultForm({**values, "owner": data.owner_id}, unit=objective.owner_unit)
    if not form.is_valid():
        raise invalid(_renamed(form_error_details(form.errors), {"owner": "owner_id"}))
    return okrs_services.key_result_create(
        actor=client.actor.user, objective=objective, **form.values()
    )


def _objective_form(actor: Actor, objective: Objective, patch: ObjectivePatch) -> ObjectiveForm:
    """The edit page's form filled with the objective's values and the patch."""
    sent = patch.model_fields_set
    period = f"cycle:{objective.cycle_id}" if objective.cycle_id else f"year:{objective.year_id}"
    data: dict[str, Any] = {
        "title": objective.title,
        "description": objective.description,
        "period": period,
        "themes": [theme.pk for theme in objective.themes.all()],
        "kind": objective.kind,
        "status": objective.status,
        "visibility": objective.visibility,
        "version": objective.version,
    }
    data |= patch.model_dump(include=sent)
    form = ObjectiveForm(data, actor=actor, unit=objective.owner_unit, current=objective)
    if "contributes_to" not in sent:
        # Links that are not being changed are kept as they are, even those the form would no
        # longer offer (an earlier year's objective).
        del form.fields["contributes_to"]
    return form


def objective_patch(
    *, client: ApiClient, objective: Objective, version: int, patch: ObjectivePatch
) -> Objective:
    """Change the fields sent (objective fetched through access.get_objective_for_edit), at
    `version`; EditConflictError when someone saved in between."""
    form = _objective_form(client.actor, objective, patch)
    if not form.is_valid():
        raise invalid(form_error_details(form.errors))
    changes = {name: form.cleaned_data[name] for name in patch.model_fields_set}
    for relation in ("themes", "contributes_to"):
        if relation in changes:
            changes[relation] = list(changes[relation])
    return okrs_services.objective_update(
        actor=client.actor.user, objective=objective, version=version, changes=changes
    )


def _key_result_form(key_result: KeyResult, patch: KeyResultPatch) -> KeyResultForm:
    data: dict[str, Any] = {
        "title": key_result.title,
        "kind": key_result.kind,
        "start_value": key_result.start_value,
        "target_value": key_result.target_value,
        "unit_of_measure": key_result.unit_of_measure,
        "owner": key_result.owner_id,
        "weight": key_result.weight,
        "version": key_result.version,
    }
    sent = patch.model_dump(include=patch.model_fields_set)
    if "owner_id" in sent:
        sent["owner"] = sent.pop("owner_id")
    if sent.get("kind", key_result.kind) == KeyResult.Kind.MILESTONE:
        # A milestone has no start or target: only values sent in the patch are refused.
        data |= {"start_value": None, "target_value": None}
    data |= sent
    return KeyResultForm(data, unit=key_result.objective.owner_unit)


def key_result_patch(
    *, client: ApiClient, key_result: KeyResult, version: int, patch: KeyResultPatch
) -> KeyResult:
    """Change a key result's definition as the edit page does (fetched through
    access.get_key_result_for_edit), at `version`."""
    form = _key_result_form(key_result, patch)
    if not form.is_valid():
        raise invalid(_renamed(form_error_details(form.errors), {"owner": "owner_id"}))
    return okrs_services.key_result_update(
        actor=client.actor.user, key_result=key_result, version=version, changes=form.values()
    )
