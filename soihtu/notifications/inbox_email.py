"""Notifications by email: one email each for people who chose "by email", and one daily digest
for those who chose the digest. Run by the scheduler (`followup_schedule`, docs/notifications.md).

Both claim before they send, as the reminders do: a notification is marked sent, and a digest's
DigestLog row (unique per person and day) is inserted, in a transaction committed before the
email goes out. A second run, or a racing scheduler, finds nothing left to send; a crash after
the claim can at worst lose one email, never send it twice. When the mail server refuses, the
claim is released for the next run.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from soihtu.accounts.models import User
from soihtu.notifications.models import DigestLog, Notification

logger = logging.getLogger(__name__)

State = Notification.EmailState
# People who are told nothing by email: they left, were anonymized, or have no address.
UNREACHABLE = Q(recipient__is_active=False) | Q(recipient__anonymized_at__isnull=False)
UNREACHABLE |= Q(recipient__email="")


def digest_hour() -> int:
    """The local hour from which the day's digests go out (SOIHTU_DIGEST_HOUR, default 7)."""
    return int(getattr(settings, "SOIHTU_DIGEST_HOUR", 7))


def _base_url() -> str:
    return str(getattr(settings, "SOIHTU_BASE_URL", "")).rstrip("/")


def _not_to_email(state: str) -> None:
    """Rows in `state` that are read, or whose person cannot be reached, are never emailed."""
    Notification.objects.filter(email_state=state).filter(
        Q(read_at__isnull=False) | UNREACHABLE
    ).update(email_state=State.NONE)


def _render(template: str, user: User, context: dict[str, object]) -> EmailMessage:
    """The email, in the person's language (the sentences are translated when rendered)."""
    context = context | {"user": user, "base_url": _base_url()}
    with translation.override(user.email_language):
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email])


def notification_emails_send(now: datetime.datetime) -> int:
    """Send each unread notification waiting for its own email; returns how many were sent."""
    _not_to_email(State.PENDING)
    sent = 0
    pending = Notification.objects.filter(email_state=State.PENDING).select_related(
        "recipient", "actor"
    )
    for notification in pending.order_by("id"):
        claimed = Notification.objects.filter(pk=notification.pk, email_state=State.PENDING).update(
            email_state=State.SENT
        )
        if not claimed:
            continue  # another run has it
        try:
            _render("notification", notification.recipient, {"n": notification}).send()
        except Exception:
            logger.exception(
                "Notification %s to user %s failed", notification.pk, notification.recipient_id
            )
            Notification.objects.filter(pk=notification.pk).update(email_state=State.PENDING)
            continue
        sent += 1
    return sent


def _digest_claim(user_id: int, day: datetime.date) -> tuple[DigestLog, list[int]] | None:
    """Claim the person's digest of the day and the notifications it lists, committed before
    sending. None when it was claimed already today (the rest waits for tomorrow)."""
    try:
        with transaction.atomic():
            log = DigestLog.objects.create(user_id=user_id, day=day)
            ids = list(
                Notification.objects.select_for_update()
                .filter(recipient_id=user_id, email_state=State.DIGEST, read_at__isnull=True)
                .values_list("pk", flat=True)
            )
            Notification.objects.filter(pk__in=ids).update(email_state=State.SENT)
            log.notifications = len(ids)
            log.save(update_fields=["notifications"])
            return log, ids
    except IntegrityError:
        return None


def notification_digests_send(now: datetime.datetime) -> int:
    """Send each person with unread notifications for the digest at most one digest a day,
    from SOIHTU_DIGEST_HOUR local time on; returns how many digests were sent."""
    local = timezone.localtime(now)
    if local.hour < digest_hour():
        return 0
    _not_to_email(State.DIGEST)
    waiting = (
        Notification.objects.filter(email_state=State.DIGEST)
        .exclude(recipient__in=DigestLog.objects.filter(day=local.date()).values("user_id"))
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in sorted(set(waiting)):
        claim = _digest_claim(user_id, local.date())
        if claim is None:
            continue
        log, ids = claim
        if ids and _digest_send(log, ids):
            sent += 1
    return sent


def _digest_send(log: DigestLog, ids: list[int]) -> bool:
    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient", "actor")
        .order_by("created_at", "id")
    )
    user = rows[0].recipient
    try:
        _render("digest", user, {"notifications": rows, "day": log.day}).send()
    except Exception:
        logger.exception("Digest %s to user %s failed", log.day, log.user_id)
        with transaction.atomic():
            Notification.objects.filter(pk__in=ids).update(email_state=State.DIGEST)
            DigestLog.objects.filter(pk=log.pk).delete()
        return False
    DigestLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return True


def notification_email_has_work() -> bool:
    """Anything waiting for an email or a digest (one query): the scheduler queues the task
    only then."""
    return Notification.objects.filter(email_state__in=[State.PENDING, State.DIGEST]).exists()
