"""Keeping an upload between the steps, and the import itself: all of it or nothing, audited."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import snapshot
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import CHECKIN_FIELDS
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.services import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS
from soihtu.organization.models import Unit
from soihtu.vivagoals import parse
from soihtu.vivagoals.models import KEEP_FOR, VivaUpload
from soihtu.vivagoals.plan import build_plan
from soihtu.vivagoals.planned import PlannedCheckIn, PlannedKeyResult, PlannedObjective

BATCH = 500


class PlanChangedError(Exception):
    """What the import would write is no longer what the preview showed."""


class UploadGoneError(Exception):
    """The upload was imported or discarded meanwhile (a second click, another tab)."""


class NothingToImportError(Exception):
    """Every row is already in Soihtu or cannot be imported."""


@dataclass(frozen=True)
class ImportResult:
    objectives: int
    key_results: int
    links: int
    checkins: int
    skipped: int


def uploads_prune() -> int:
    """Delete uploads older than a day: they were never imported."""
    deleted, _per_model = VivaUpload.objects.filter(
        created_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    return deleted


@transaction.atomic
def upload_create(*, actor: User, filename: str, text: str, delimiter: str) -> VivaUpload:
    """Keep a readable export (see forms.UploadForm) with the columns matched by header and
    the current cycle as the period for rows whose time period does not match."""
    uploads_prune()
    table = parse.read_table(text, delimiter)
    cycle = Cycle.objects.current()
    return VivaUpload.objects.create(
        owner=actor,
        filename=filename[:255],
        content=text,
        delimiter=delimiter,
        columns=parse.match_headers(table.headers),
        year=cycle.year if cycle is not None else None,
        cycle=cycle,
    )


@transaction.atomic
def upload_map(
    *,
    upload: VivaUpload,
    columns: list[str],
    unit: Unit,
    year: Year,
    cycle: Cycle | None,
) -> VivaUpload:
    """Save the mapping the admin chose: a field per column, and the unit and period for rows
    that name no team or time period that matches."""
    upload.columns = columns
    upload.unit = unit
    upload.year = year
    upload.cycle = cycle
    upload.mapped_at = timezone.now()
    upload.save(update_fields=["columns", "unit", "year", "cycle", "mapped_at"])
    return upload


@transaction.atomic
def upload_discard(*, upload: VivaUpload) -> None:
    """Forget an upload without importing it."""
    VivaUpload.objects.filter(pk=upload.pk).delete()


@transaction.atomic
def upload_import(*, actor: User, upload: VivaUpload, fingerprint: str) -> ImportResult:
    """Create what the preview showed, in one transaction, and forget the upload.

    The upload row is locked, so a second click waits and then finds it gone
    (UploadGoneError). The plan is rebuilt from the stored file; if it differs from the
    previewed one (`fingerprint`), because someone changed objectives or people meanwhile,
    PlanChangedError is raised and nothing is written; NothingToImportError when the plan
    creates nothing.

    Rows are written in bulk (a file may hold 10 000 rows) with the audit events that
    okrs.services.objective_create and key_result_create record for each, and one more event
    for the import as a whole.
    """
    locked = VivaUpload.objects.select_for_update().filter(pk=upload.pk).first()
    if locked is None:
        raise UploadGoneError
    plan = build_plan(locked)
    if plan.fingerprint != fingerprint:
        raise PlanChangedError
    if plan.is_empty:
        raise NothingToImportError
    writer = _Writer(actor, timezone.now())
    writer.objectives(plan.objectives)
    writer.key_results(plan.objectives)
    writer.checkins()
    result = ImportResult(
        objectives=len(plan.objectives),
        key_results=plan.key_result_count,
        links=plan.link_count,
        checkins=plan.checkin_count,
        skipped=len(plan.skipped),
    )
    writer.events.append(
        writer.event(locked, {"file": locked.filename} | asdict(result), objective_id=None)
    )
    AuditEvent.objects.bulk_create(writer.events, batch_size=BATCH)
    locked.delete()
    return result


class _Writer:
    """Bulk writes of one import, collecting the audit events as it goes."""

    def __init__(self, actor: User, now: datetime.datetime) -> None:
        self.actor = actor
        self.now = now
        self.events: list[AuditEvent] = []
        self.created: list[tuple[PlannedObjective, Objective]] = []
        self.pending_checkins: list[tuple[KeyResult, PlannedCheckIn]] = []

    def event(
        self, instance: models.Model, after: dict[str, Any], *, objective_id: int | None
    ) -> AuditEvent:
        """The event audit_record would write for this creation."""
        return AuditEvent(
            actor=self.actor,
            action=AuditEvent.Action.CREATE,
            target_type=instance._meta.model_name or "",
            target_id=instance.pk,
            target_repr=str(instance)[:255],
            objective_id=objective_id,
            before=None,
            after=after,
        )

    def objectives(self, planned: list[PlannedObjective]) -> None:
        rows = [
            Objective(
                owner_unit=p.unit,
                year=p.year,
                cycle=p.cycle,
                title=p.title,
                description=p.description,
                status=p.status,
                created_by=self.actor,
                created_at=self.now,
                updated_at=self.now,
            )
            for p in planned
        ]
        Objective.objects.bulk_create(rows, batch_size=BATCH)
        self.created = list(zip(planned, rows, strict=True))
        by_row = {p.row: o for p, o in self.created}
        through = Objective.contributes_to.through
        links = []
        for p, objective in self.created:
            parent = by_row[p.parent_row] if p.parent_row is not None else p.parent_existing
            parents = [parent.pk] if parent is not None else []
            if parent is not None:
                links.append(through(from_objective_id=objective.pk, to_objective_id=parent.pk))
            plain = [f for f in OBJECTIVE_FIELDS if f not in {"themes", "contributes_to"}]
            after = snapshot(objective, plain) | {"themes": [], "contributes_to": parents}
            self.events.append(self.event(objective, after, objective_id=objective.pk))
        through.objects.bulk_create(links, batch_size=BATCH)

    def key_results(self, planned: list[PlannedObjective]) -> None:
        rows: list[tuple[KeyResult, PlannedKeyResult]] = []
        for p, objective in self.created:
            for k in p.key_results:
                checkin = k.checkin
                row = KeyResult(
                    objective=objective,
                    title=k.title,
                    kind=k.kind,
                    start_value=k.start_value,
                    target_value=k.target_value,
                    unit_of_measure=k.unit_of_measure,
                    owner=k.owner,
                    current_value=checkin.value if checkin else None,
                    confidence=checkin.confidence if checkin else None,
                    last_checkin_at=self.now if checkin else None,
                    created_at=self.now,
                )
                rows.append((row, k))
        KeyResult.objects.bulk_create([row for row, _k in rows], batch_size=BATCH)
        for row, k in rows:
            after = snapshot(row, KEY_RESULT_FIELDS)
            self.events.append(self.event(row, after, objective_id=row.objective_id))
            if k.checkin is not None:
                self.pending_checkins.append((row, k.checkin))

    def checkins(self) -> None:
        """The value Viva Goals showed, as a check-in by the importing admin.

        Not through checkins.services.checkin_create, which refuses closed cycles: an import
        brings earlier cycles' results along with their history.
        """
        rows = [
            (
                CheckIn(
                    key_result=key_result,
                    value=planned.value,
                    confidence=planned.confidence,
                    note=_("Imported from Viva Goals"),
                    author=self.actor,
                    measured_on=planned.measured_on,
                    created_at=self.now,
                ),
                key_result,
            )
            for key_result, planned in self.pending_checkins
        ]
        CheckIn.objects.bulk_create([c for c, _kr in rows], batch_size=BATCH)
        for checkin, key_result in rows:
            after = snapshot(checkin, CHECKIN_FIELDS)
            self.events.append(self.event(checkin, after, objective_id=key_result.objective_id))
