"""The notification settings page: a channel per kind, saved audited; the key results row and
the email reminders are one setting."""

from __future__ import annotations

from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, client_for
from soihtu.notifications.inbox import preferences_of
from soihtu.notifications.models import NotificationPreference
from soihtu.notifications.tests.inbox_helpers import Channel, Kind

URL = reverse("notifications:settings")


def everything(channel: str = Channel.APP, **changes: str) -> dict[str, str]:
    data = dict.fromkeys(Kind.values, channel) | {Kind.SURVEY: Channel.APP}
    return data | changes


def rows(user: User) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))


def test_page_shows_the_defaults_and_explains_them(world: World) -> None:
    response = client_for(world.member).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="digest" required id="id_mention_2" checked' in html
    assert 'value="email" required id="id_key_result_1" checked' in html
    assert 'value="app" required id="id_proposal_0" checked' in html
    assert "By default, mentions and replies" in html
    assert reverse("followup:my_reminders") in html
    # A survey round's invitation comes by email anyway: in Soihtu or off only.
    assert 'id="id_survey_1"' in html
    assert 'id="id_survey_2"' not in html


def test_saving_stores_the_choices_that_differ_from_the_default_audited(world: World) -> None:
    data = everything(**{Kind.IDEA: Channel.OFF, Kind.SUCCESS: Channel.DIGEST})
    data[Kind.MENTION] = Channel.DIGEST  # the default: no row
    data[Kind.KEY_RESULT] = Channel.EMAIL  # the default with reminders on: no row
    response = client_for(world.member).post(URL, data)
    assert response.status_code == 302
    assert rows(world.member) == {
        Kind.IDEA: Channel.OFF,
        Kind.SUCCESS: Channel.DIGEST,
        Kind.REPLY: Channel.APP,
    }
    event = AuditEvent.objects.get(target_type="user", target_id=world.member.pk)
    assert event.actor_id == world.member.pk
    assert event.before is not None
    assert event.after is not None
    assert event.before["notifications_idea"] == Channel.APP
    assert event.after["notifications_idea"] == Channel.OFF
    assert preferences_of(world.member)[Kind.IDEA] == Channel.OFF
    assert rows(world.member_b) == {}


def test_bad_values_answer_400_keep_the_form_and_change_nothing(world: World) -> None:
    client = client_for(world.member)
    before = AuditEvent.objects.count()
    for data in [
        everything(**{Kind.IDEA: "sms"}),
        everything(**{Kind.SURVEY: Channel.EMAIL}),
        {Kind.IDEA: Channel.OFF},
    ]:
        response = client.post(URL, data)
        assert response.status_code == 400
        html = response.content.decode()
        assert 'class="field-errors"' in html
        assert "<form" in html
    assert rows(world.member) == {}
    assert AuditEvent.objects.count() == before


def test_key_results_by_email_is_the_email_reminders_setting(world: World) -> None:
    client = client_for(world.member)
    client.post(URL, everything(**{Kind.KEY_RESULT: Channel.DIGEST}))
    world.member.refresh_from_db()
    assert not world.member.reminders_enabled
    assert rows(world.member)[Kind.KEY_RESULT] == Channel.DIGEST
    client.post(URL, everything(**{Kind.KEY_RESULT: Channel.APP}))
    world.member.refresh_from_db()
    assert not world.member.reminders_enabled
    assert Kind.KEY_RESULT not in rows(world.member)  # APP is the default with reminders off
    client.post(URL, everything(**{Kind.KEY_RESULT: Channel.EMAIL}))
    world.member.refresh_from_db()
    assert world.member.reminders_enabled
    assert preferences_of(world.member)[Kind.KEY_RESULT] == Channel.EMAIL


def test_the_reminders_page_moves_the_key_results_row(world: World) -> None:
    client = client_for(world.member)
    reminders = reverse("followup:my_reminders")
    client.post(reminders, {})  # off
    world.member.refresh_from_db()
    assert preferences_of(world.member)[Kind.KEY_RESULT] == Channel.APP
    client.post(reminders, {"reminders_enabled": "on"})
    world.member.refresh_from_db()
    assert preferences_of(world.member)[Kind.KEY_RESULT] == Channel.EMAIL
    # A digest chosen here stays when reminders are turned off, and goes when turned on.
    client.post(URL, everything(**{Kind.KEY_RESULT: Channel.DIGEST}))
    client.post(reminders, {})
    world.member.refresh_from_db()
    assert preferences_of(world.member)[Kind.KEY_RESULT] == Channel.DIGEST
    client.post(reminders, {"reminders_enabled": "on"})
    world.member.refresh_from_db()
    assert preferences_of(world.member)[Kind.KEY_RESULT] == Channel.EMAIL


def test_header_links_to_the_settings_and_the_page_to_the_notifications(world: World) -> None:
    html = client_for(world.member).get(reverse("notifications:inbox")).content.decode()
    assert f'href="{URL}"' in html
