"""The import creates exactly what the preview showed, in one transaction, audited; twice
imported, a file creates nothing new."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from soihtu.audit.models import AuditEvent
from soihtu.audit.services import snapshot
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import CHECKIN_FIELDS
from soihtu.conftest import World
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.services import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS
from soihtu.vivagoals import services
from soihtu.vivagoals.models import VivaUpload
from soihtu.vivagoals.parse import Field
from soihtu.vivagoals.plan import build_plan
from soihtu.vivagoals.tests.uploads import an_upload, csv_text

pytestmark = pytest.mark.django_db


def state() -> tuple[object, ...]:
    return (
        sorted(Objective.objects.values_list("id", "title")),
        sorted(KeyResult.objects.values_list("id", "title", "current_value")),
        sorted(Objective.contributes_to.through.objects.values_list("pk", flat=True)),
        CheckIn.objects.count(),
        AuditEvent.objects.count(),
    )


def run_import(world: World, upload: VivaUpload) -> services.ImportResult:
    return services.upload_import(
        actor=world.admin, upload=upload, fingerprint=build_plan(upload).fingerprint
    )


def test_upload_is_kept_with_columns_matched_and_the_current_cycle(world: World) -> None:
    upload = an_upload(world, "semicolon_bom.csv")
    assert upload.delimiter == ";"
    assert upload.columns[:3] == [Field.TITLE, Field.TYPE, Field.PARENT]
    assert upload.content.startswith("Name;")  # the byte order mark is gone
    fresh = services.upload_create(
        actor=world.admin, filename="x.csv", text=upload.content, delimiter=";"
    )
    assert (fresh.cycle, fresh.year, fresh.unit, fresh.mapped_at) == (
        world.cycle,
        world.year,
        None,
        None,
    )


def test_import_creates_exactly_the_previewed_objectives(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    plan = build_plan(upload)
    before = set(Objective.objects.values_list("pk", flat=True))
    result = run_import(world, upload)
    assert (result.objectives, result.key_results, result.links, result.checkins) == (4, 6, 2, 6)
    created = Objective.objects.exclude(pk__in=before).order_by("id")
    assert [(o.title, o.owner_unit, o.year, o.cycle, o.status) for o in created] == [
        (p.title, p.unit, p.year, p.cycle, p.status) for p in plan.objectives
    ]
    for planned in plan.objectives:
        objective = created.get(title=planned.title)
        rows = objective.key_results.order_by("id")
        assert [
            (k.title, k.kind, k.start_value, k.target_value, k.unit_of_measure, k.owner)
            for k in rows
        ] == [
            (p.title, p.kind, p.start_value, p.target_value, p.unit_of_measure, p.owner)
            for p in planned.key_results
        ]
        assert [k.current_value for k in rows] == [
            p.checkin.value if p.checkin else None for p in planned.key_results
        ]
    trust = created.get(title="Customers trust us")
    assert set(trust.contributors.values_list("title", flat=True)) == {
        "Faster service",
        "Team B goal",
    }
    assert not VivaUpload.objects.exists()


def test_checkins_are_credited_to_the_admin_and_noted(world: World) -> None:
    run_import(world, an_upload(world, "full_export.csv"))
    checkins = CheckIn.objects.select_related("key_result").order_by("key_result_id")
    assert checkins.count() == 6
    assert {c.author for c in checkins} == {world.admin}
    assert {c.note for c in checkins} == {"Imported from Viva Goals"}
    old = checkins.get(key_result__title="Old key result")
    assert (old.value, old.confidence, old.measured_on) == (
        Decimal(10),
        10,
        datetime.date(2026, 8, 31),
    )
    queue = KeyResult.objects.get(title="Queue time under 5 min")
    assert (queue.current_value, queue.confidence) == (Decimal(8), 5)
    assert queue.last_checkin_at is not None
    assert queue.progress == pytest.approx(4 / 7)
    chat = KeyResult.objects.get(title="Chat in use")
    assert chat.progress == 1.0


def test_import_is_audited(world: World) -> None:
    before = AuditEvent.objects.count()
    result = run_import(world, an_upload(world, "full_export.csv"))
    events = AuditEvent.objects.order_by("id")[before:]
    kinds = [e.target_type for e in events]
    assert kinds.count("objective") == result.objectives
    assert kinds.count("keyresult") == result.key_results
    assert kinds.count("checkin") == result.checkins
    summary = events[len(events) - 1]
    assert (summary.target_type, summary.actor) == ("vivaupload", world.admin)
    assert summary.after == {
        "file": "full_export.csv",
        "objectives": 4,
        "key_results": 6,
        "links": 2,
        "checkins": 6,
        "skipped": 0,
    }
    assert {e.actor for e in events} == {world.admin}


def test_importing_the_same_file_twice_creates_nothing_the_second_time(world: World) -> None:
    run_import(world, an_upload(world, "full_export.csv"))
    before = state()
    again = an_upload(world, "full_export.csv")
    plan = build_plan(again)
    assert plan.objectives == []
    assert [(s.row, s.key_results) for s in plan.skipped] == [(2, 1), (3, 3), (7, 1), (9, 1)]
    with pytest.raises(services.NothingToImportError):
        run_import(world, again)
    assert state() == before


def test_importing_a_longer_file_later_adds_only_the_new_objectives(world: World) -> None:
    first = csv_text("1,Ensimmäinen,Objective,,Team A,,,", "2,Mittari,KR,1,,,0,5")
    run_import(world, an_upload(world, content=first))
    longer = first + "3,Toinen,Objective,1,Team B,,,\n4,Toinen mittari,KR,3,,,0,8\n"
    result = run_import(world, an_upload(world, content=longer))
    assert (result.objectives, result.key_results, result.skipped) == (1, 1, 1)
    second = Objective.objects.get(title="Toinen")
    assert list(second.contributes_to.values_list("title", flat=True)) == ["Ensimmäinen"]
    assert Objective.objects.filter(title="Ensimmäinen").count() == 1


def test_changed_plan_is_refused_and_nothing_is_written(world: World) -> None:
    upload = an_upload(world, "full_export.csv")
    fingerprint = build_plan(upload).fingerprint
    world.member.email = "elsewhere@example.org"
    world.member.save()
    before = state()
    with pytest.raises(services.PlanChangedError):
        services.upload_import(actor=world.admin, upload=upload, fingerprint=fingerprint)
    assert state() == before
    assert VivaUpload.objects.filter(pk=upload.pk).exists()


def test_failure_half_way_leaves_nothing_behind(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = an_upload(world, "full_export.csv")
    fingerprint = build_plan(upload).fingerprint
    before = state()

    def failing(self: object) -> None:
        assert KeyResult.objects.filter(title="Chat in use").exists()  # written by now
        raise RuntimeError("disk full")

    monkeypatch.setattr(services._Writer, "checkins", failing)
    with pytest.raises(RuntimeError):
        services.upload_import(actor=world.admin, upload=upload, fingerprint=fingerprint)
    assert state() == before
    assert VivaUpload.objects.filter(pk=upload.pk).exists()


def objective_of(instance: Objective | KeyResult | CheckIn) -> int:
    if isinstance(instance, Objective):
        return instance.pk
    if isinstance(instance, KeyResult):
        return instance.objective_id
    return instance.key_result.objective_id


def test_audit_events_hold_what_the_okr_services_would_record(world: World) -> None:
    before = AuditEvent.objects.count()
    run_import(world, an_upload(world, "full_export.csv"))
    audited: dict[str, tuple[type[Objective | KeyResult | CheckIn], list[str]]] = {
        "objective": (Objective, OBJECTIVE_FIELDS),
        "keyresult": (KeyResult, KEY_RESULT_FIELDS),
        "checkin": (CheckIn, CHECKIN_FIELDS),
    }
    checked = 0
    for event in AuditEvent.objects.order_by("id")[before:]:
        if event.target_type not in audited:
            continue
        model, fields = audited[event.target_type]
        instance = model._default_manager.get(pk=event.target_id)
        assert event.after == snapshot(instance, fields), event.target_repr
        assert event.target_repr == str(instance)
        assert event.objective_id == objective_of(instance)
        checked += 1
    assert checked == 4 + 6 + 6


def test_import_of_an_upload_already_imported_is_refused(world: World) -> None:
    upload = an_upload(world, "minimal.csv", unit=world.team_a)
    fingerprint = build_plan(upload).fingerprint
    services.upload_import(actor=world.admin, upload=upload, fingerprint=fingerprint)
    before = state()
    with pytest.raises(services.UploadGoneError):
        services.upload_import(actor=world.admin, upload=upload, fingerprint=fingerprint)
    assert state() == before


def test_parents_are_created_before_the_objectives_contributing_to_them(world: World) -> None:
    text = csv_text(
        "3,Alin,Objective,2,Team A,,,",
        "2,Keskimmäinen,Objective,1,Unit A,,,",
        "1,Ylin,Objective,,Division 1,,,",
    )
    run_import(world, an_upload(world, content=text))
    chain = Objective.objects.get(title="Alin").contributes_to.get()
    assert chain.title == "Keskimmäinen"
    assert chain.contributes_to.get().title == "Ylin"


def test_uploads_older_than_a_day_are_pruned(world: World) -> None:
    old = an_upload(world, "minimal.csv")
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=25)):
        assert not VivaUpload.objects.fresh().filter(pk=old.pk).exists()
        newer = an_upload(world, "minimal.csv")
        assert list(VivaUpload.objects.values_list("pk", flat=True)) == [newer.pk]


def test_discard_forgets_the_upload(world: World) -> None:
    upload = an_upload(world, "minimal.csv")
    before = state()
    services.upload_discard(upload=upload)
    assert not VivaUpload.objects.exists()
    assert state() == before
