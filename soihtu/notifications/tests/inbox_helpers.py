"""Shared by the inbox tests: notifications written the one way the services write them."""

from __future__ import annotations

from soihtu.accounts.models import User
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification, NotificationPreference

Event = Notification.Event
Kind = Notification.Kind
Channel = NotificationPreference.Channel


def notify(
    recipient: User,
    *,
    actor: User | None = None,
    event: str = Event.PROPOSAL_ACCEPTED,
    subject: str = "Parempi palvelu",
    url: str = "/objectives/",
    detail: str = "",
) -> Notification:
    rows = people_notify(
        recipients=[recipient], event=event, actor=actor, subject=subject, url=url, detail=detail
    )
    assert len(rows) == 1
    return rows[0]


def prefer(user: User, kind: str, channel: str) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"channel": channel}
    )
