"""Writes are audited with the values before and after, and concurrent edits never silently
overwrite each other."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World
from soihtu.core.errors import EditConflictError
from soihtu.okrs import services
from soihtu.okrs.models import KeyResult, Objective


def test_objective_create_is_audited_with_its_links(world: World) -> None:
    objective = services.objective_create(
        actor=world.torchbearer,
        owner_unit=world.team_a,
        year=world.year,
        cycle=world.cycle,
        title="Uusi",
        themes=[world.themes[1]],
        contributes_to=[world.org_objective],
    )
    event = AuditEvent.objects.get(target_type="objective", target_id=objective.pk)
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == world.torchbearer
    assert event.before is None
    assert event.after is not None
    assert event.after["title"] == "Uusi"
    assert event.after["themes"] == [world.themes[1].pk]
    assert event.after["contributes_to"] == [world.org_objective.pk]
    assert event.objective_id == objective.pk


def test_objective_update_records_before_and_after(world: World) -> None:
    services.objective_update(
        actor=world.supervisor,
        objective=world.objective_a,
        version=world.objective_a.version,
        changes={"title": "Nopeampi ja parempi palvelu"},
    )
    event = AuditEvent.objects.get(target_type="objective", action=AuditEvent.Action.UPDATE)
    assert event.before is not None
    assert event.after is not None
    assert event.before["title"] == "Nopeampi palvelu"
    assert event.after["title"] == "Nopeampi ja parempi palvelu"
    assert ("title", "Nopeampi palvelu", "Nopeampi ja parempi palvelu") in event.changes()


def test_a_stale_edit_is_refused_and_changes_nothing(world: World) -> None:
    seen_version = world.objective_a.version
    services.objective_update(
        actor=world.supervisor,
        objective=world.objective_a,
        version=seen_version,
        changes={"title": "Ensimmäinen"},
    )
    with pytest.raises(EditConflictError):
        services.objective_update(
            actor=world.torchbearer,
            objective=world.objective_a,
            version=seen_version,
            changes={"title": "Toinen"},
        )
    world.objective_a.refresh_from_db()
    assert world.objective_a.title == "Ensimmäinen"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1


def test_a_stale_key_result_edit_is_refused(world: World) -> None:
    version = world.kr_a1.version
    services.key_result_update(
        actor=world.supervisor, key_result=world.kr_a1, version=version, changes={"weight": 2}
    )
    with pytest.raises(EditConflictError):
        services.key_result_update(
            actor=world.supervisor, key_result=world.kr_a1, version=version, changes={"weight": 3}
        )
    world.kr_a1.refresh_from_db()
    assert world.kr_a1.weight == 2


def test_delete_keeps_the_history(world: World) -> None:
    pk = world.objective_a.pk
    services.objective_delete(actor=world.supervisor, objective=world.objective_a)
    assert not Objective.objects.filter(pk=pk).exists()
    assert not KeyResult.objects.filter(objective_id=pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, target_type="objective")
    assert event.before is not None
    assert event.before["title"] == "Nopeampi palvelu"
    assert event.objective_id == pk


def test_checkin_becomes_the_current_value_and_is_audited(world: World) -> None:
    checkin_create(
        author=world.member,
        key_result=world.kr_a1,
        value=Decimal("8.5"),
        confidence=6,
        note="Chat auttoi",
    )
    world.kr_a1.refresh_from_db()
    assert world.kr_a1.current_value == Decimal("8.5")
    assert world.kr_a1.confidence == 6
    assert world.kr_a1.progress == pytest.approx(0.5)
    event = AuditEvent.objects.get(target_type="checkin")
    assert event.after is not None
    assert event.after["note"] == "Chat auttoi"
    assert event.objective_id == world.objective_a.pk


def test_a_backdated_checkin_does_not_replace_a_newer_one(world: World) -> None:
    import datetime

    checkin_create(author=world.member, key_result=world.kr_a1, value=Decimal(9), confidence=6)
    checkin_create(
        author=world.member,
        key_result=world.kr_a1,
        value=Decimal(11),
        confidence=4,
        measured_on=datetime.date(2026, 10, 1),
    )
    world.kr_a1.refresh_from_db()
    assert world.kr_a1.current_value == Decimal(9)
    assert CheckIn.objects.filter(key_result=world.kr_a1).count() == 2


def test_checkin_on_a_closed_cycle_is_refused(world: World) -> None:
    objective = Objective.objects.create(
        owner_unit=world.team_a, year=world.year, cycle=world.closed_cycle, title="Vanha"
    )
    kr = KeyResult.objects.create(
        objective=objective, title="Vanha KR", start_value=0, target_value=10
    )
    with pytest.raises(ValidationError):
        checkin_create(author=world.member, key_result=kr, value=Decimal(5), confidence=5)
    assert not CheckIn.objects.exists()
    assert not AuditEvent.objects.exists()


def test_checkin_outside_the_cycle_is_refused(world: World) -> None:
    import datetime

    for day in [datetime.date(2026, 8, 31), datetime.date(2026, 11, 28)]:
        with pytest.raises(ValidationError):
            checkin_create(
                author=world.member,
                key_result=world.kr_a1,
                value=Decimal(5),
                confidence=5,
                measured_on=day,
            )
    assert not CheckIn.objects.exists()
