"""Writes of notifications: a team's webhooks (audited), the deliveries that events create, and
posting them with retries.

A delivery is a row created in the transaction of the event it tells about; after the commit a
background task posts it. A failure never reaches the person whose action caused the message:
the delivery is retried with growing pauses (BACKOFF) by the scheduler, `followup_schedule`,
and after MAX_ATTEMPTS it is failed, which the admin and the team's page show.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.cycles.models import Cycle
from soihtu.notifications import payloads, selectors, sending
from soihtu.notifications.models import Delivery, Problem, TeamWebhook
from soihtu.organization.models import Unit
from soihtu.successes.models import Success

logger = logging.getLogger(__name__)

BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claimed delivery is not due again for this long: longer than one post can take, so that a
# second worker does not post it meanwhile, and short enough to retry after a crash.
LEASE = datetime.timedelta(minutes=5)
BATCH = 200  # deliveries per scheduler run at most
TIME_BUDGET = 240.0  # seconds: stop posting before the next five-minute run begins

WEBHOOK_FIELDS = ["unit", "kind", "language", "send_checkin_summary", "send_successes", "enabled"]


def webhook_snapshot(webhook: TeamWebhook) -> dict[str, Any]:
    """The audited values of a webhook: the URL masked and the secret only as set or not."""
    data = snapshot(webhook, WEBHOOK_FIELDS)
    data["url"] = webhook.masked_url
    data["secret_set"] = bool(webhook.secret)
    return data


@transaction.atomic
def webhook_create(
    *,
    actor: User,
    team: Unit,
    kind: str,
    url: str,
    secret: str = "",
    language: str = "fi",
    send_checkin_summary: bool = True,
    send_successes: bool = True,
) -> TeamWebhook:
    """Add a webhook to the team, audited. Only http(s) addresses; a secret only for generic
    webhooks (Teams does not check signatures)."""
    problem = sending.url_problem(url)
    if problem:
        raise ValidationError({"url": problem})
    webhook = TeamWebhook(
        unit=team,
        kind=kind,
        url=url,
        secret=secret if kind == TeamWebhook.Kind.GENERIC else "",
        language=language,
        send_checkin_summary=send_checkin_summary,
        send_successes=send_successes,
        created_by=actor,
    )
    webhook.full_clean()
    webhook.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=webhook,
        before=None,
        after=webhook_snapshot(webhook),
    )
    return webhook


@transaction.atomic
def webhook_enabled_set(*, actor: User, webhook: TeamWebhook, enabled: bool) -> TeamWebhook:
    """Turn the webhook on or off, audited. Messages waiting for a webhook that is off fail
    when their turn comes."""
    webhook = TeamWebhook.objects.select_for_update().select_related("unit").get(pk=webhook.pk)
    before = webhook_snapshot(webhook)
    webhook.enabled = enabled
    webhook.save(update_fields=["enabled"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=webhook,
        before=before,
        after=webhook_snapshot(webhook),
    )
    return webhook


@transaction.atomic
def webhook_delete(*, actor: User, webhook: TeamWebhook) -> None:
    """Remove the webhook and its deliveries, audited."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=webhook,
        before=webhook_snapshot(webhook),
        after=None,
    )
    webhook.delete()


def _enqueue(delivery_ids: list[int]) -> None:
    # Imported here: the task module imports this one.
    from soihtu.notifications.tasks import deliver

    for delivery_id in delivery_ids:
        deliver.enqueue(delivery_id)


def _enqueue_on_commit(deliveries: Iterable[Delivery]) -> None:
    """Queue the posting after the commit. `robust`: should the queue fail, the person's
    action still stands, and the scheduler finds the pending deliveries anyway."""
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(partial(_enqueue, ids), robust=True)


@transaction.atomic
def webhook_test(*, actor: User, webhook: TeamWebhook) -> Delivery:
    """Queue a test message to the webhook (it must be on), audited."""
    if not webhook.enabled:
        raise ValidationError(_("Turn the webhook on before sending a test message."))
    delivery = Delivery.objects.create(
        webhook=webhook,
        event=Delivery.Event.TEST,
        payload=payloads.render(webhook, partial(payloads.ping_message, webhook.unit)),
        next_attempt_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=delivery,
        before=None,
        after=snapshot(delivery, ["webhook", "event"]),
    )
    _enqueue_on_commit([delivery])
    return delivery


def _create_once(
    webhook: TeamWebhook,
    event: str,
    key: str,
    build: Callable[[], payloads.Message],
    now: datetime.datetime | None = None,
) -> Delivery | None:
    """The delivery, or None when the webhook has one with this key already (another
    scheduler run was first)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                webhook=webhook,
                event=event,
                key=key,
                payload=payloads.render(webhook, build),
                next_attempt_at=now or timezone.now(),
            )
    except IntegrityError:
        return None


def success_announce(*, success: Success) -> list[Delivery]:
    """Deliveries of a just shared success to the team's webhooks that take successes, queued
    after the commit. Call inside the sharing transaction; never raises: a problem here is
    logged and the success is shared all the same."""
    try:
        with transaction.atomic():
            webhooks = TeamWebhook.objects.filter(
                unit_id=success.team_id, enabled=True, send_successes=True
            ).select_related("unit")
            build = partial(payloads.success_message, success)
            created = [
                _create_once(w, Delivery.Event.SUCCESS, f"success:{success.pk}", build)
                for w in webhooks
            ]
    except Exception:
        logger.exception("Could not create the webhook messages of success %s", success.pk)
        return []
    deliveries = [d for d in created if d is not None]
    _enqueue_on_commit(deliveries)
    return deliveries


def _unsent(
    webhooks: list[TeamWebhook], cycle: Cycle, now: datetime.datetime
) -> list[tuple[TeamWebhook, selectors.SummaryPeriod]]:
    """The webhooks still without the summary of their team's period just ended."""
    pairs = [
        (webhook, period)
        for webhook in webhooks
        if (period := selectors.summary_period(cycle, webhook.unit.checkin_cadence, now))
    ]
    sent = set(
        Delivery.objects.filter(
            webhook__in=[w for w, _p in pairs],
            event=Delivery.Event.CHECKIN_SUMMARY,
            key__in={p.key for _w, p in pairs},
        ).values_list("webhook_id", "key")
    )
    return [(w, p) for w, p in pairs if (w.pk, p.key) not in sent]


def summaries_plan(now: datetime.datetime) -> list[Delivery]:
    """Create the check-in summaries due at `now`: one per webhook that takes them and cadence
    period of each active cycle running today, telling about the period just ended. Running
    it again in the same period creates nothing (a unique key per webhook and period)."""
    webhooks = list(
        TeamWebhook.objects.filter(enabled=True, send_checkin_summary=True).select_related("unit")
    )
    created: list[Delivery] = []
    for cycle in selectors.running_active_cycles(now) if webhooks else []:
        unsent = _unsent(webhooks, cycle, now)
        summaries = selectors.team_summaries({w.unit_id: p for w, p in unsent}, cycle, now)
        for webhook, period in unsent:
            summary = summaries.get(webhook.unit_id)
            if summary is None:
                continue
            build = partial(payloads.summary_message, summary)
            event = Delivery.Event.CHECKIN_SUMMARY
            delivery = _create_once(webhook, event, period.key, build, now)
            if delivery is not None:
                created.append(delivery)
    return created


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    """The delivery if it is due and this worker got it first: its next attempt is moved a
    LEASE ahead in one conditional update, which a racing worker then no longer matches."""
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    return Delivery.objects.select_related("webhook__unit").get(pk=delivery_id)


def _headers(delivery: Delivery) -> dict[str, str]:
    return {"X-Soihtu-Event": delivery.event, "X-Soihtu-Delivery": str(delivery.pk)}


@transaction.atomic
def _record(delivery: Delivery, outcome: sending.Outcome, *, final: bool = False) -> Delivery:
    """Store the attempt on the delivery and its webhook: sent, retried later, or failed."""
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status = outcome.status
    delivery.last_error = outcome.problem
    if outcome.ok:
        delivery.state, delivery.sent_at, delivery.next_attempt_at = Delivery.State.SENT, now, None
        TeamWebhook.objects.filter(pk=delivery.webhook_id).update(last_success_at=now)
    else:
        if final or delivery.attempts >= MAX_ATTEMPTS:
            delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        if outcome.problem != Problem.DISABLED:  # turned off is no failure of the endpoint
            TeamWebhook.objects.filter(pk=delivery.webhook_id).update(
                last_failure_at=now, last_error=outcome.problem, last_status=outcome.status
            )
    delivery.save(
        update_fields=[
            "attempts",
            "last_status",
            "last_error",
            "state",
            "sent_at",
            "next_attempt_at",
        ]
    )
    return delivery


def delivery_attempt(delivery_id: int, now: datetime.datetime | None = None) -> Delivery | None:
    """Post the delivery if it is due; None when it is not (sent, failed, not yet time, or
    another worker has it). Never raises for the endpoint's sake: the outcome is recorded."""
    delivery = _claim(delivery_id, now or timezone.now())
    if delivery is None:
        return None
    webhook = delivery.webhook
    if not webhook.enabled:
        return _record(delivery, sending.Outcome(ok=False, problem=Problem.DISABLED), final=True)
    secret = webhook.secret if webhook.kind == TeamWebhook.Kind.GENERIC else ""
    outcome = sending.post(
        url=webhook.url, payload=delivery.payload, headers=_headers(delivery), secret=secret
    )
    return _record(delivery, outcome)


def deliveries_send(now: datetime.datetime) -> int:
    """Post every due delivery, oldest first, at most BATCH and for TIME_BUDGET seconds;
    returns how many were delivered. After one failure, the webhook's other deliveries wait
    for the next run rather than knock on a dead endpoint again."""
    due = list(
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", "webhook_id")[:BATCH]
    )
    started = time.monotonic()
    failing: set[int] = set()
    delivered = 0
    for delivery_id, webhook_id in due:
        if webhook_id in failing:
            continue
        if time.monotonic() - started > TIME_BUDGET:
            break
        delivery = delivery_attempt(delivery_id, now)
        if delivery is None:
            continue
        if delivery.state == Delivery.State.SENT:
            delivered += 1
        else:
            failing.add(webhook_id)
    return delivered


def notify_has_work() -> bool:
    """Whether the scheduler has anything to do here: a webhook that is on, or a message
    waiting. Without either, no task is queued."""
    return (
        TeamWebhook.objects.filter(enabled=True).exists()
        or Delivery.objects.filter(state=Delivery.State.PENDING).exists()
    )


def notify(now: datetime.datetime) -> int:
    """The scheduler's part: plan the check-in summaries, then post what is due."""
    summaries_plan(now)
    return deliveries_send(now)


@transaction.atomic
def deliveries_retry(*, actor: User, deliveries: Iterable[Delivery]) -> int:
    """Start failed (or waiting) deliveries over: due now, with every attempt again; audited.
    Returns how many were started over; delivered ones are left alone."""
    count = 0
    ids = [d.pk for d in deliveries]
    for delivery in (
        Delivery.objects.select_for_update().filter(pk__in=ids).exclude(state=Delivery.State.SENT)
    ):
        before = snapshot(delivery, ["state", "attempts"])
        delivery.state, delivery.attempts = Delivery.State.PENDING, 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=delivery,
            before=before,
            after=snapshot(delivery, ["state", "attempts"]),
        )
        count += 1
    return count
