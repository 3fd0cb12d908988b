"""A person's export holds their notifications and settings (not other people's notifications
about what they did); anonymizing them deletes both."""

from __future__ import annotations

from soihtu.accounts.models import User
from soihtu.conftest import World
from soihtu.notifications.models import Notification, NotificationPreference
from soihtu.notifications.tests.inbox_helpers import Channel, Event, Kind, notify, prefer
from soihtu.privacy.selectors import person_export
from soihtu.privacy.services import person_anonymize


def test_export_has_own_notifications_and_settings_only(world: World) -> None:
    mine = notify(world.member, actor=world.supervisor, event=Event.MENTIONED, subject="Oma")
    notify(world.supervisor, actor=world.member, event=Event.MENTIONED, subject="Toisen")
    prefer(world.member, Kind.IDEA, Channel.OFF)
    records = person_export(world.member)["records"]
    rows = records["notifications.notification"]["rows"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["subject"] == "Oma"
    assert rows[0]["actor"] is None  # another person
    settings = records["notifications.notificationpreference"]["rows"]
    assert [(r["kind"], r["channel"]) for r in settings] == [(Kind.IDEA, Channel.OFF)]


def test_anonymizing_deletes_the_persons_notifications_and_settings(world: World) -> None:
    notify(world.member, actor=world.supervisor, event=Event.MENTIONED)
    caused = notify(world.supervisor, actor=world.member, event=Event.MENTIONED)
    prefer(world.member, Kind.IDEA, Channel.OFF)
    User.objects.filter(pk=world.member.pk).update(is_active=False)
    person_anonymize(actor=world.admin, person=world.member)
    assert not Notification.objects.filter(recipient=world.member).exists()
    assert not NotificationPreference.objects.filter(user=world.member).exists()
    assert Notification.objects.filter(pk=caused.pk).exists()  # the other person's stays
