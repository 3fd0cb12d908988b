"""The cadence setting, the follow-up meeting page and the personal reminders setting:
permission matrix, bad input, and what the meeting page shows."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.conftest import NOW, World, client_for
from soihtu.followup.models import FollowUpMeeting
from soihtu.followup.tests.helpers import check_in, days
from soihtu.organization.models import Unit

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
LEADERS_A = {"admin", "supervisor", "torchbearer"}


def state() -> tuple[object, ...]:
    return (
        sorted(Unit.objects.values_list("id", "checkin_cadence")),
        FollowUpMeeting.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_cadence_matrix(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    before = state()
    url = reverse("followup:cadence", kwargs={"unit_id": world.team_a.pk})
    response = client.post(url, {"cadence": "7"})
    if persona in LEADERS_A:
        assert response.status_code == 302
        world.team_a.refresh_from_db()
        assert world.team_a.checkin_cadence == 7
        event = AuditEvent.objects.latest("id")
        assert event.before == {"checkin_cadence": 14}
        assert event.after == {"checkin_cadence": 7}
    else:
        assert response.status_code == 403
        assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_mark_meeting_held_matrix(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    before = state()
    response = client.post(reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk}))
    if persona in LEADERS_A:
        assert response.status_code == 302
        meeting = FollowUpMeeting.objects.get()
        assert meeting.team == world.team_a
        assert meeting.held_by == world.persona(persona)
    else:
        assert response.status_code == 403
        assert state() == before


def test_parent_supervisor_leads_the_unit_but_not_its_teams(world: World) -> None:
    client = client_for(world.parent_supervisor)
    url = reverse("followup:cadence", kwargs={"unit_id": world.unit_a.pk})
    assert client.post(url, {"cadence": "30"}).status_code == 302
    other = reverse("followup:cadence", kwargs={"unit_id": world.team_b.pk})
    assert client.post(other, {"cadence": "30"}).status_code == 403


@pytest.mark.parametrize("value", ["", "5", "abc", "14.0", "-7", "9999999999999"])
def test_cadence_bad_input_changes_nothing(world: World, value: str) -> None:
    before = state()
    url = reverse("followup:cadence", kwargs={"unit_id": world.team_a.pk})
    response = client_for(world.supervisor).post(url, {"cadence": value})
    assert response.status_code == 400
    assert state() == before


def test_unknown_team_is_404(world: World) -> None:
    client = client_for(world.admin)
    for name in ["followup:cadence", "followup:meeting"]:
        url = reverse(name, kwargs={"unit_id": 999999})
        assert client.get(url).status_code == 404
        assert client.post(url, {"cadence": "7"}).status_code == 404


def test_methods_other_than_get_and_post_are_refused(world: World) -> None:
    client = client_for(world.supervisor)
    url = reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})
    assert client.put(url).status_code == 405
    assert client.delete(reverse("followup:my_reminders")).status_code == 405


def test_signed_out_people_are_sent_to_sign_in(world: World) -> None:
    before = state()
    for url in [
        reverse("followup:cadence", kwargs={"unit_id": world.team_a.pk}),
        reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk}),
        reverse("followup:my_reminders"),
    ]:
        response = Client().post(url, {"cadence": "7"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_turns_their_own_reminders_off_and_on(world: World, persona: str) -> None:
    user = world.persona(persona)
    client = client_for(user)
    url = reverse("followup:my_reminders")
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    user.refresh_from_db()
    assert not user.reminders_enabled
    assert client.post(url, {"reminders_enabled": "on"}).status_code == 302
    user.refresh_from_db()
    assert user.reminders_enabled
    others = [world.persona(p) for p in PERSONAS if p != persona]
    assert all(o.reminders_enabled for o in others)


def test_cadence_form_shows_the_current_cadence(world: World) -> None:
    url = reverse("followup:cadence", kwargs={"unit_id": world.team_a.pk})
    content = client_for(world.torchbearer).get(url).content.decode()
    assert 'value="14" required id="id_cadence_1" checked' in content


def test_meeting_page_shows_changes_drops_stale_and_notes(world: World) -> None:
    with time_machine.travel(NOW - days(20), tick=False):
        check_in(world.member, world.kr_a1, value="11", confidence=8, note="Vanha muistiinpano")
        FollowUpMeeting.objects.create(team=world.team_a, held_by=world.torchbearer)
    with time_machine.travel(NOW - days(2), tick=False):
        check_in(world.member, world.kr_a1, value="9", confidence=5, note="Jono lyheni")
    page = client_for(world.member).get(
        reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert "Jono lyheni" in content
    assert "Vanha muistiinpano" not in content  # before the last meeting
    assert "confidence from 8 to 5" in content
    assert "−2" in content or "-2" in content  # the value moved from 11 to 9
    # kr_a2 has never been checked in: stale, and listed under the stale key results
    stale_section = content.split('id="stale-heading"')[1].split("</section>")[0]
    assert world.kr_a2.title in stale_section
    assert world.kr_a1.title not in stale_section
    assert "Mark meeting held" not in content  # a member does not lead the meeting


def test_meeting_page_hides_restricted_objectives_from_people_outside(world: World) -> None:
    restricted_kr = world.restricted_a.key_results.get()
    check_in(world.supervisor, restricted_kr, value="1", note="Salainen")
    url = reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})
    outside = client_for(world.member_b).get(url).content.decode()
    inside = client_for(world.member).get(url).content.decode()
    assert "Salainen" not in outside
    assert restricted_kr.title not in outside
    assert "Salainen" in inside


def test_meeting_page_for_leaders_offers_the_actions(world: World) -> None:
    content = (
        client_for(world.torchbearer)
        .get(reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk}))
        .content.decode()
    )
    assert "Mark meeting held" in content
    assert reverse("followup:cadence", kwargs={"unit_id": world.team_a.pk}) in content


def test_marking_the_meeting_resets_what_changed(world: World) -> None:
    check_in(world.member, world.kr_a1, value="10", note="Ennen palaveria")
    client = client_for(world.torchbearer)
    url = reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})
    assert "Ennen palaveria" in client.get(url).content.decode()
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        client.post(url)
        assert "Ennen palaveria" not in client.get(url).content.decode()


INSIDERS_A = {"admin", "supervisor", "torchbearer", "member"}  # see team A's restricted objective
MEETING_PAGES = ["followup:meeting", "followup:present", "followup:print"]


@pytest.mark.parametrize("name", MEETING_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_meeting_present_and_print_matrix(world: World, persona: str, name: str) -> None:
    """Everyone signed in reads the team's meeting; the restricted objective and its key
    result only its team (and the OKR office)."""
    restricted_kr = world.restricted_a.key_results.get()
    check_in(world.supervisor, restricted_kr, value="1", note="Salainen")
    client = client_for(world.persona(persona))
    url = reverse(name, kwargs={"unit_id": world.team_a.pk})
    pages = [client.get(url)]
    if name == "followup:present":  # the restricted objective is the second of team A's
        pages.append(client.get(url + "?o=2"))
    content = "".join(p.content.decode() for p in pages)
    assert all(p.status_code == 200 for p in pages)
    assert world.kr_a1.title in content
    seen = restricted_kr.title in content or world.restricted_a.title in content
    assert seen == (persona in INSIDERS_A)
    assert ("Salainen" in content) == (persona in INSIDERS_A and name == "followup:meeting")


@pytest.mark.parametrize("persona", PERSONAS)
def test_meeting_table_offers_check_ins_and_recording_by_role(world: World, persona: str) -> None:
    content = (
        client_for(world.persona(persona))
        .get(reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk}))
        .content.decode()
    )
    assert ('class="meeting-form"' in content) == (persona in INSIDERS_A)
    assert ("Mark meeting held" in content) == (persona in LEADERS_A)
    assert 'rel="next"' not in content


def test_meeting_table_groups_key_results_by_objective_with_links(world: World) -> None:
    with time_machine.travel(NOW - days(20), tick=False):
        check_in(world.member, world.kr_a1, value="11", confidence=8)
        FollowUpMeeting.objects.create(team=world.team_a, held_by=world.torchbearer)
    with time_machine.travel(NOW - days(2), tick=False):
        check_in(world.member, world.kr_a1, value="9", confidence=5)
    content = (
        client_for(world.member)
        .get(reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk}))
        .content.decode()
    )
    table = content.split('id="table-heading"')[1].split("</section>")[0]
    assert table.index(world.objective_a.title) < table.index(world.kr_a1.title)
    assert table.index(world.kr_a2.title) < table.index(world.restricted_a.title)
    objective_url = reverse("okrs:objective", kwargs={"objective_id": world.objective_a.pk})
    assert f'href="{objective_url}#kr-{world.kr_a1.pk}"' in table
    row = table.split(f'id="row-{world.kr_a1.pk}"')[1].split("</tr>")[0]
    assert "11 → 9 (-2)" in row or "11 → 9 (−2)" in row
    assert "confidence 8 → 5" in row
    assert "Print view" in content
    assert reverse("followup:present", kwargs={"unit_id": world.team_a.pk}) in content


def test_meeting_notes_are_recorded_audited_and_shown_at_the_next_meeting(world: World) -> None:
    client = client_for(world.torchbearer)
    url = reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})
    with time_machine.travel(NOW - days(14), tick=False):
        assert client.post(url, {"notes": "Chat-pilotti alkaa"}).status_code == 302
    meeting = FollowUpMeeting.objects.get()
    assert meeting.notes == "Chat-pilotti alkaa"
    event = AuditEvent.objects.latest("id")
    assert event.action == AuditEvent.Action.CREATE
    assert event.after is not None
    assert event.after["notes"] == "Chat-pilotti alkaa"
    content = client_for(world.member).get(url).content.decode()
    assert "Notes from the last meeting, 11/13/2026" in content
    assert "Chat-pilotti alkaa" in content
    client.post(url, {"notes": "Jonotusaika puolittui"})
    content = client_for(world.member).get(url).content.decode()
    last = content.split('id="last-notes-heading"')[1].split("</section>")[0]
    assert "Jonotusaika puolittui" in last
    earlier = content.split('id="earlier-heading"')[1].split("</section>")[0]
    assert "Chat-pilotti alkaa" in earlier
    assert world.torchbearer.display_name in earlier


def test_too_long_meeting_notes_change_nothing(world: World) -> None:
    client = client_for(world.torchbearer)
    before = state()
    url = reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})
    response = client.post(url, {"notes": "x" * 4001})
    assert response.status_code == 400
    assert "at most 4000 characters" in response.content.decode()
    assert state() == before


def test_present_moves_one_objective_at_a_time(world: World) -> None:
    client = client_for(world.member)
    url = reverse("followup:present", kwargs={"unit_id": world.team_a.pk})
    first = client.get(url).content.decode()
    assert f"<h1>{world.objective_a.title}</h1>" in first
    assert f'rel="next" href="{url}?o=2"' in first
    assert 'rel="prev"' not in first
    assert 'src="/static/followup/present.js" defer' in first
    assert 'class="skip-link"' in first
    second = client.get(url + "?o=2").content.decode()
    assert f"<h1>{world.restricted_a.title}</h1>" in second
    assert f'rel="prev" href="{url}?o=1"' in second
    assert 'rel="next"' not in second
    assert f"<h1>{world.restricted_a.title}</h1>" in client.get(url + "?o=99").content.decode()
    outsider = client_for(world.member_b).get(url + "?o=2").content.decode()
    assert world.restricted_a.title not in outsider  # only one objective for them


def test_print_view_shows_the_team_cycle_date_and_a_notes_area(world: World) -> None:
    FollowUpMeeting.objects.create(
        team=world.team_a, held_by=world.torchbearer, notes="Muista mittaus"
    )
    content = (
        client_for(world.member)
        .get(reverse("followup:print", kwargs={"unit_id": world.team_a.pk}))
        .content.decode()
    )
    assert world.team_a.name in content
    assert str(world.cycle) in content
    assert "11/27/2026" in content
    assert "Muista mittaus" in content
    assert 'class="print-notes-area"' in content
    assert world.kr_a1.title in content


@pytest.mark.parametrize("name", ["followup:present", "followup:print"])
def test_present_and_print_take_only_get(world: World, name: str) -> None:
    url = reverse(name, kwargs={"unit_id": world.team_a.pk})
    assert client_for(world.torchbearer).post(url).status_code == 405
    assert (
        client_for(world.torchbearer).get(reverse(name, kwargs={"unit_id": 999999})).status_code
        == 404
    )
