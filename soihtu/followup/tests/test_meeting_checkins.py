"""Check in on all from the follow-up meeting's table: each changed row validated and saved
on its own, unchanged rows left alone, rows checked in on meanwhile refused as conflicts, and
nothing saved for people without check-in rights."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World, client_for, make_kr
from soihtu.followup import services
from soihtu.followup.tests.helpers import check_in, fresh, meeting_form
from soihtu.okrs.models import KeyResult


@pytest.fixture
def kr_a3(world: World) -> KeyResult:
    """A third key result of team A's open objective, with a check-in (value 40)."""
    kr = make_kr(world.objective_a, "Palautteita 100", owner=world.torchbearer)
    check_in(world.torchbearer, kr, value="40", confidence=6)
    return kr


def _meeting(world: World) -> str:
    return reverse("followup:meeting", kwargs={"unit_id": world.team_a.pk})


def _checkins(world: World) -> str:
    return reverse("followup:checkins", kwargs={"unit_id": world.team_a.pk})


def _shown(client: Client, world: World) -> dict[str, str]:
    response = client.get(_meeting(world))
    assert response.status_code == 200
    return meeting_form(response.content.decode())


def _row(content: str, kr: KeyResult) -> str:
    start = content.index(f'id="row-{kr.pk}"')
    return content[start : content.index("</tr>", start)]


def _restricted_kr(world: World) -> KeyResult:
    return world.restricted_a.key_results.get()


def test_changed_rows_are_saved_and_a_bad_row_keeps_its_value_and_error(
    world: World, kr_a3: KeyResult
) -> None:
    client = client_for(world.torchbearer)
    data = _shown(client, world)
    data[f"kr-{world.kr_a1.pk}-value"] = "9"
    data[f"kr-{world.kr_a1.pk}-note"] = "Jono lyheni"
    data[f"kr-{world.kr_a2.pk}-value"] = "1"
    data[f"kr-{kr_a3.pk}-value"] = "paljon"
    before = CheckIn.objects.count()
    response = client.post(_checkins(world), data, follow=True)
    assert response.status_code == 400
    assert CheckIn.objects.count() == before + 2
    assert fresh(world.kr_a1).current_value == Decimal(9)
    assert fresh(world.kr_a2).current_value == Decimal(1)
    assert fresh(kr_a3).current_value == Decimal(40)
    content = response.content.decode()
    assert "2 check-ins saved." in content
    bad = _row(content, kr_a3)
    assert 'value="paljon"' in bad
    assert "Enter a number." in bad
    assert 'aria-invalid="true"' in bad
    assert "Enter a number." not in _row(content, world.kr_a1)


def test_unchanged_rows_are_not_saved(world: World, kr_a3: KeyResult) -> None:
    client = client_for(world.torchbearer)
    data = _shown(client, world)
    before = (CheckIn.objects.count(), AuditEvent.objects.count())
    response = client.post(_checkins(world), data, follow=True)
    assert response.status_code == 200
    assert (CheckIn.objects.count(), AuditEvent.objects.count()) == before
    assert "Nothing had changed" in response.content.decode()


def test_only_the_changed_row_is_saved_with_its_note(world: World, kr_a3: KeyResult) -> None:
    client = client_for(world.member)
    data = _shown(client, world)
    data[f"kr-{kr_a3.pk}-confidence"] = "3"
    data[f"kr-{kr_a3.pk}-note"] = "Kysely viivästyi"
    response = client.post(_checkins(world), data, follow=True)
    assert response.status_code == 200
    assert "1 check-in saved." in response.content.decode()
    saved = CheckIn.objects.latest("id")
    assert (saved.key_result_id, saved.value, saved.confidence, saved.note) == (
        kr_a3.pk,
        Decimal(40),
        3,
        "Kysely viivästyi",
    )
    assert saved.author == world.member
    assert CheckIn.objects.filter(key_result=world.kr_a1).count() == 0
    event = AuditEvent.objects.latest("id")
    assert event.after is not None
    assert event.after["note"] == "Kysely viivästyi"


def test_a_row_checked_in_on_meanwhile_is_a_conflict_and_not_overwritten(
    world: World, kr_a3: KeyResult
) -> None:
    client = client_for(world.torchbearer)
    data = _shown(client, world)
    check_in(world.member, kr_a3, value="55", confidence=8)  # after the page was shown
    data[f"kr-{kr_a3.pk}-value"] = "45"
    data[f"kr-{world.kr_a1.pk}-value"] = "10"
    response = client.post(_checkins(world), data, follow=True)
    assert response.status_code == 409
    assert fresh(kr_a3).current_value == Decimal(55)
    assert fresh(world.kr_a1).current_value == Decimal(10)  # the other row was saved
    content = response.content.decode()
    row = _row(content, kr_a3)
    assert "after the page was shown" in row
    assert "Saved now: 55, confidence 8/10." in " ".join(row.split())
    assert 'value="45"' in row  # what was typed is kept
    # Saving again, having seen the conflict, saves the typed value over the new one.
    again = meeting_form(content)
    assert client.post(_checkins(world), again, follow=True).status_code == 200
    assert fresh(kr_a3).current_value == Decimal(45)


def test_an_untouched_row_checked_in_on_meanwhile_is_no_conflict(
    world: World, kr_a3: KeyResult
) -> None:
    client = client_for(world.torchbearer)
    data = _shown(client, world)
    check_in(world.member, kr_a3, value="55", confidence=8)
    data[f"kr-{world.kr_a1.pk}-value"] = "10"
    assert client.post(_checkins(world), data, follow=True).status_code == 200
    assert fresh(kr_a3).current_value == Decimal(55)


def test_the_service_refuses_a_stale_fingerprint(world: World, kr_a3: KeyResult) -> None:
    before = CheckIn.objects.count()
    with pytest.raises(services.MeetingCheckInConflictError) as conflict:
        services.meeting_checkin_create(
            author=world.torchbearer,
            key_result=kr_a3,
            fingerprint="0",
            value=Decimal(50),
            confidence=5,
        )
    assert conflict.value.key_result.current_value == Decimal(40)
    assert CheckIn.objects.count() == before


@pytest.mark.parametrize("persona", ["member_b", "parent_supervisor", "outsider"])
def test_people_without_check_in_rights_save_nothing(
    world: World, kr_a3: KeyResult, persona: str
) -> None:
    data = _shown(client_for(world.torchbearer), world)
    data[f"kr-{kr_a3.pk}-value"] = "99"
    client = client_for(world.persona(persona))
    page = client.get(_meeting(world)).content.decode()
    assert 'class="meeting-form"' not in page  # read-only table
    before = (CheckIn.objects.count(), AuditEvent.objects.count())
    assert client.post(_checkins(world), data, follow=True).status_code == 403
    assert (CheckIn.objects.count(), AuditEvent.objects.count()) == before


def test_rows_the_person_may_not_check_in_on_are_read_only_and_refused(world: World) -> None:
    """The owner of team B's key result checks in on it from team B's table, but team B's
    other rows stay read only for team A's people."""
    other = make_kr(world.objective_b, "Toinen tulos")
    client = client_for(world.member_b)
    url = reverse("followup:meeting", kwargs={"unit_id": world.team_b.pk})
    data = meeting_form(client.get(url).content.decode())
    assert f"kr-{other.pk}-value" in data
    data[f"kr-{other.pk}-value"] = "7"
    post = reverse("followup:checkins", kwargs={"unit_id": world.team_b.pk})
    assert client.post(post, data, follow=True).status_code == 200
    # An outsider sends the same row: no right on any row of team B, nothing saved.
    data[f"kr-{other.pk}-value"] = "9"
    before = CheckIn.objects.count()
    assert client_for(world.outsider).post(post, data).status_code == 403
    assert CheckIn.objects.count() == before


def test_hidden_restricted_rows_cannot_be_checked_in_on_by_outsiders(world: World) -> None:
    """Team A's owner of a key result in team B cannot reach team A's restricted rows."""
    restricted = _restricted_kr(world)
    restricted.owner = world.member_b
    restricted.save(update_fields=["owner"])
    client = client_for(world.member_b)
    content = client.get(_meeting(world)).content.decode()
    assert restricted.title not in content
    before = CheckIn.objects.count()
    response = client.post(
        _checkins(world),
        {f"kr-{restricted.pk}-value": "1", f"kr-{restricted.pk}-version": "0"},
    )
    assert response.status_code == 403
    assert CheckIn.objects.count() == before


def test_milestone_rows_take_done_or_not_done(world: World) -> None:
    client = client_for(world.torchbearer)
    data = _shown(client, world)
    data[f"kr-{world.kr_a2.pk}-value"] = "0.5"
    response = client.post(_checkins(world), data, follow=True)
    assert response.status_code == 400
    assert "Select a valid choice" in _row(response.content.decode(), world.kr_a2)
    assert not CheckIn.objects.filter(key_result=world.kr_a2).exists()


def test_values_are_read_in_the_persons_language(world: World) -> None:
    client = client_for(world.member, "fi")
    data = _shown(client, world)
    data[f"kr-{world.kr_a1.pk}-value"] = "8,5"
    assert client.post(_checkins(world), data, follow=True).status_code == 200
    assert fresh(world.kr_a1).current_value == Decimal("8.5")


def test_a_closed_cycle_is_read_only(world: World) -> None:
    closed_objective = world.objective_a
    closed_objective.cycle = world.closed_cycle
    closed_objective.save(update_fields=["cycle"])
    client = client_for(world.torchbearer)
    url = _meeting(world) + f"?cycle={world.closed_cycle.pk}"
    content = client.get(url).content.decode()
    assert world.kr_a1.title in content
    assert 'class="meeting-form"' not in content
    post = _checkins(world) + f"?cycle={world.closed_cycle.pk}"
    response = client.post(
        post, {f"kr-{world.kr_a1.pk}-value": "3", f"kr-{world.kr_a1.pk}-version": "0"}
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_get_is_not_allowed_on_the_bulk_check_in(world: World) -> None:
    assert client_for(world.torchbearer).get(_checkins(world)).status_code == 405
