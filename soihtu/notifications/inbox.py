"""The notifications inside Soihtu (the bell in the header): writing them, reading them, and each
person's choice of channel per kind.

This part of the app knows no domain: a service that causes an event (a comment that mentions
someone, a proposal decided, a retrospective opened) calls `people_notify` in its own
transaction, with the name of what the event is about and where to read it. Each person's
preference per kind (NotificationPreference, default_channel) decides whether a row is written
at all and whether it also goes out by email, at once or in the daily digest (inbox_email.py).

Notification rows are not audited one by one: the event that caused them is. A person's change
of their own preferences is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record
from soihtu.notifications.models import (
    EVENT_KIND,
    KIND_CHANNELS,
    Notification,
    NotificationPreference,
    default_channel,
)

SUBJECT_MAX = 300
DETAIL_MAX = 300
BATCH = 1000  # rows per INSERT: a survey round opens for tens of thousands at once

Channel = NotificationPreference.Channel
EMAIL_STATE: dict[str, str] = {
    Channel.APP: Notification.EmailState.NONE,
    Channel.EMAIL: Notification.EmailState.PENDING,
    Channel.DIGEST: Notification.EmailState.DIGEST,
}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_local_path(url: str) -> bool:
    """A path on this site ("/…"), never another host: the only links a notification holds."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def channels_for(people: QuerySet[User], kind: str) -> dict[int, str]:
    """Each person's channel for one kind (their own choice, or the default): two queries
    whatever the number of people (the people are a subquery of the second)."""
    reminders = dict(people.values_list("pk", "reminders_enabled"))
    chosen = dict(
        NotificationPreference.objects.filter(user__in=people.values("pk"), kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {
        user_id: chosen.get(user_id) or default_channel(kind, reminders_enabled=on)
        for user_id, on in reminders.items()
    }


@transaction.atomic
def people_notify(
    *,
    recipients: Iterable[User | int] | QuerySet[User],
    event: str,
    actor: User | None,
    subject: str,
    url: str,
    detail: str = "",
    emailed: bool = False,
) -> list[Notification]:
    """Tell each recipient about an event, in the caller's transaction (two queries and the
    inserts, whatever the number of people; `recipients` may be a queryset of people, used as a
    subquery, or any iterable of people or their ids). The person who caused the event is not
    told, nor anyone twice, nor anyone who turned the kind off, left or has been anonymized.
    `url` is a path on this site.

    `emailed`: the caller has emailed the people about this itself (a check-in reminder is the
    key result's email), so the rows are written as sent and never emailed again.
    Returns the rows written."""
    kind = EVENT_KIND[event]
    if not is_local_path(url):
        raise ValueError(f"A notification links to a path on this site, not {url!r}.")
    if isinstance(recipients, QuerySet) and recipients.model is User:
        people = User.objects.filter(pk__in=recipients.values_list("pk", flat=True))
    else:
        ids = {r.pk if isinstance(r, User) else int(r) for r in recipients}
        people = User.objects.filter(pk__in=ids)
    people = people.filter(is_active=True, anonymized_at__isnull=True)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    channels = channels_for(people, kind)
    rows = [
        Notification(
            recipient_id=user_id,
            event=event,
            actor=actor,
            subject=_clip(subject, SUBJECT_MAX),
            detail=_clip(detail, DETAIL_MAX),
            url=url,
            email_state=Notification.EmailState.SENT if emailed else EMAIL_STATE[channel],
        )
        for user_id, channel in sorted(channels.items())
        if channel != Channel.OFF
    ]
    return Notification.objects.bulk_create(rows, batch_size=BATCH)


def unread_count(user: User) -> int:
    """How many of the person's notifications are unread: one query on a partial index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the person's own notifications read (again is harmless)."""
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This is not your notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark all of the person's notifications read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _snapshot(user: User, channels: Mapping[str, str]) -> dict[str, object]:
    return {"reminders_enabled": user.reminders_enabled} | {
        f"notifications_{kind}": channel for kind, channel in sorted(channels.items())
    }


def preferences_of(user: User) -> dict[str, str]:
    """The person's channel for every kind: their own choice, or the default (one query)."""
    chosen = dict(user.notification_preferences.values_list("kind", "channel"))
    return {
        kind: chosen.get(kind) or default_channel(kind, reminders_enabled=user.reminders_enabled)
        for kind in Notification.Kind.values
    }


@transaction.atomic
def preferences_save(*, actor: User, channels: Mapping[str, str]) -> dict[str, str]:
    """Save the person's own channel for each kind given, audited as one change of their row.

    The key result kind's email is the check-in reminder: choosing "by email" turns
    `reminders_enabled` on, any other choice turns it off (the reminders page does the
    reverse). A row is kept only where the choice differs from the default."""
    for kind, channel in channels.items():
        if channel not in KIND_CHANNELS.get(kind, []):
            raise ValidationError(_("Choose one of the offered channels."))
    user = User.objects.select_for_update().get(pk=actor.pk)
    before_channels = preferences_of(user)
    after_channels = before_channels | dict(channels)
    before = _snapshot(user, before_channels)
    if Notification.Kind.KEY_RESULT in channels:
        user.reminders_enabled = channels[Notification.Kind.KEY_RESULT] == Channel.EMAIL
        user.save(update_fields=["reminders_enabled"])
    differing = {
        kind: channel
        for kind, channel in after_channels.items()
        if channel != default_channel(kind, reminders_enabled=user.reminders_enabled)
    }
    NotificationPreference.objects.filter(user=user).exclude(kind__in=differing).delete()
    for kind, channel in differing.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        before=before,
        after=_snapshot(user, after_channels),
    )
    return after_channels


def key_result_channel_follow_reminders(*, user: User) -> None:
    """After the reminders page turned email reminders on or off: the key result kind follows
    (on is "In Soihtu and by email"; off leaves a daily digest or off as chosen, and makes "by
    email" "In Soihtu"). Call inside the reminders service's transaction, which is audited."""
    rows = NotificationPreference.objects.filter(user=user, kind=Notification.Kind.KEY_RESULT)
    if user.reminders_enabled:
        rows.delete()
    else:
        rows.filter(channel=Channel.EMAIL).delete()
