"""Importing units, people and memberships from an HR file (see docs/hr-import.md).

The upload page stages a file (`hr_import_stage`), shows its diff (`hr_import_preview`) and
applies it on confirmation (`hr_import_apply`) only if the diff is still the one shown; the
management command checks and applies in one go (`hr_import_run`). Every write happens in one
transaction, with a few bulk statements whatever the number of rows, and is audited: one event
per changed unit, person and membership, and one summary event for the import.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record
from soihtu.hrimport.bulk import AUDIT_BATCH, BATCH, batches, update_rows
from soihtu.hrimport.diff import PERSON_FIELDS, role_label
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.parse import decode, parse_text
from soihtu.hrimport.plan import Plan, build_plan
from soihtu.hrimport.tree import UnitNode
from soihtu.organization.models import Membership, Unit

UNIT_FIELDS = ["name", "code", "kind", "parent"]
PERSON_AUDIT_FIELDS = ["employee_id", *PERSON_FIELDS, "is_active"]
STAGED_FOR = datetime.timedelta(days=1)


class StalePreview(Exception):  # noqa: N818 -- a situation, not a programming error
    """The organization changed after the preview: here is the diff as it is now."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("the diff changed after the preview")
        self.plan = plan


class AlreadyApplied(Exception):  # noqa: N818 -- a situation, not a programming error
    pass


def hr_import_check(*, data: bytes, actor: User | None) -> Plan:
    """The plan for this file against the organization now (read only); HrFileError lists the
    problems of a file that cannot be imported."""
    return build_plan(parse_text(decode(data)), actor=actor)


def hr_import_stage(*, actor: User, file_name: str, data: bytes) -> tuple[HrImport | None, Plan]:
    """Check an uploaded file and keep it for its preview and confirmation.

    A file that would change nothing is not kept (None). Staged files nobody confirmed are
    removed after a day: they hold personal data.
    """
    text = decode(data)
    plan = build_plan(parse_text(text), actor=actor)
    if plan.diff.is_empty:
        return None, plan
    with transaction.atomic():
        HrImport.objects.filter(
            applied_at__isnull=True, created_at__lt=timezone.now() - STAGED_FOR
        ).delete()
        staged = HrImport.objects.create(
            created_by=actor,
            source=HrImport.Source.UPLOAD,
            file_name=file_name[:255],
            content=text,
            content_sha256=hashlib.sha256(data).hexdigest(),
        )
    return staged, plan


def hr_import_preview(*, hr_import: HrImport, actor: User | None) -> Plan:
    """The staged file's plan against the organization as it is now (HrFileError if it no
    longer fits)."""
    return build_plan(parse_text(hr_import.content), actor=actor)


def hr_import_apply(*, actor: User, hr_import: HrImport, fingerprint: str) -> dict[str, int]:
    """Apply a staged file if its diff is still `fingerprint` (the one previewed); else
    StalePreview with the new plan. Returns the counts of changes."""
    with transaction.atomic():
        staged = HrImport.objects.select_for_update().get(pk=hr_import.pk)
        if staged.is_applied:
            raise AlreadyApplied
        _lock_organization()
        plan = build_plan(parse_text(staged.content), actor=actor)
        if plan.diff.fingerprint != fingerprint:
            raise StalePreview(plan)
        try:
            with transaction.atomic():
                counts = _write(plan, actor=actor)
        except IntegrityError:
            # Someone wrote one of the same rows meanwhile (say, the same membership by hand):
            # show the changes as they are now.
            raise StalePreview(build_plan(parse_text(staged.content), actor=actor)) from None
        staged.content = ""  # personal data: the audit trail keeps what changed
        _finish(staged, actor=actor, counts=counts)
    hr_import.refresh_from_db()
    return counts


@dataclass
class RunResult:
    plan: Plan
    applied: bool


def hr_import_run(*, data: bytes, file_name: str, dry_run: bool) -> RunResult:
    """Check a file and, unless `dry_run` or nothing would change, apply it (the management
    command). HrFileError lists the problems of a file that cannot be imported."""
    hr_file = parse_text(decode(data))
    if dry_run:
        return RunResult(plan=build_plan(hr_file, actor=None), applied=False)
    with transaction.atomic():
        _lock_organization()
        plan = build_plan(hr_file, actor=None)
        if plan.diff.is_empty:
            return RunResult(plan=plan, applied=False)
        counts = _write(plan, actor=None)
        record = HrImport(
            source=HrImport.Source.COMMAND,
            file_name=file_name[:255],
            content_sha256=hashlib.sha256(data).hexdigest(),
        )
        _finish(record, actor=None, counts=counts)
    return RunResult(plan=plan, applied=True)


def _lock_organization() -> None:
    """Imports run one at a time: each holds the organization unit's row until it commits."""
    list(Unit.objects.select_for_update().filter(parent__isnull=True).values_list("pk"))


def _finish(record: HrImport, *, actor: User | None, counts: dict[str, int]) -> None:
    record.applied_at = timezone.now()
    record.applied_by = actor
    record.summary = counts
    record.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=record,
        before=None,
        after={"file_name": record.file_name, "sha256": record.content_sha256, **counts},
    )


def _write(plan: Plan, *, actor: User | None) -> dict[str, int]:
    events = _Events(actor)
    _write_units(plan, events)
    _write_people(plan, events)
    _write_memberships(plan, events)
    AuditEvent.objects.bulk_create(events.items, batch_size=AUDIT_BATCH)
    return plan.diff.counts()


class _Events:
    """Audit events collected during the writes, created in bulk at the end."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.at = timezone.now()
        self.items: list[AuditEvent] = []

    def add(
        self,
        action: str,
        *,
        target: str,
        target_id: int,
        label: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.items.append(
            AuditEvent(
                at=self.at,
                actor=self.actor,
                action=action,
                target_type=target,
                target_id=target_id,
                target_repr=label[:255],
                before=before,
                after=after,
            )
        )


# Units


def _unit_values(node: UnitNode, *, old: bool) -> dict[str, Any]:
    if old:
        return {
            "name": node.old_name,
            "code": node.old_code,
            "kind": node.old_kind,
            "parent": node.old_parent_id,
        }
    parent = node.parent.unit.pk if node.parent is not None else None
    return {"name": node.name, "code": node.code, "kind": node.kind, "parent": parent}


def _write_units(plan: Plan, events: _Events) -> None:
    changed = [node for node in plan.nodes if node.row_changed]
    # Paths are unique: moved units step aside first, so that no two rows ever share one.
    moved = [node for node in changed if node.path != node.old_path]
    update_rows(Unit, ["path"], [(n.old_id, f"~{n.old_id}") for n in moved])
    new = sorted((node for node in plan.nodes if node.is_new), key=lambda n: n.depth)
    for depth in sorted({node.depth for node in new}):
        level = [node for node in new if node.depth == depth]
        for node in level:
            assert node.parent is None or node.parent.unit.pk is not None
            node.unit.name, node.unit.kind = node.name, node.kind
            node.unit.parent = node.parent.unit if node.parent is not None else None
            node.unit.path, node.unit.depth = node.path, node.depth
        Unit.objects.bulk_create([node.unit for node in level], batch_size=BATCH)
    update_rows(
        Unit,
        ["name", "code", "kind", "parent", "path", "depth"],
        [
            (
                n.old_id,
                n.name,
                n.code,
                n.kind,
                n.parent.unit.pk if n.parent else None,
                n.path,
                n.depth,
            )
            for n in changed
        ],
    )
    for node in new:
        events.add(
            AuditEvent.Action.CREATE,
            target="unit",
            target_id=node.unit.pk,
            label=node.name,
            before=None,
            after=_unit_values(node, old=False),
        )
    for node in changed:
        before, after = _unit_values(node, old=True), _unit_values(node, old=False)
        if before != after:  # a unit below a moved one only changes its path: no event
            events.add(
                AuditEvent.Action.UPDATE,
                target="unit",
                target_id=node.unit.pk,
                label=node.name,
                before=before,
                after=after,
            )


# People


def _write_people(plan: Plan, events: _Events) -> None:
    unusable = make_password(None)  # they sign in with SSO
    users = [
        User(
            username=person.username,
            first_name=person.spec.first_name,
            last_name=person.spec.last_name,
            email=person.spec.email,
            employee_id=person.spec.employee_id,
            password=unusable,
        )
        for person in plan.new_people
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    for person, user in zip(plan.new_people, users, strict=True):
        person.user = user
        after = {name: getattr(user, name) for name in PERSON_AUDIT_FIELDS}
        events.add(
            AuditEvent.Action.CREATE,
            target="user",
            target_id=user.pk,
            label=person.spec.full_name,
            before=None,
            after=after,
        )
    fields = [*PERSON_FIELDS, "is_active"]
    update_rows(
        User,
        fields,
        [(c.row.id, *(c.values[name] for name in fields)) for c in plan.person_changes],
    )
    for batch in batches([row.id for row in plan.deactivate]):
        User.objects.filter(pk__in=batch).update(is_active=False)
    for change in plan.person_changes:
        before = {name: getattr(change.row, name) for name in PERSON_AUDIT_FIELDS}
        after = {**before, **change.values}
        events.add(
            AuditEvent.Action.UPDATE,
            target="user",
            target_id=change.row.id,
            label=f"{after['first_name']} {after['last_name']}".strip(),
            before=before,
            after=after,
        )
    for row in plan.deactivate:
        before = {name: getattr(row, name) for name in PERSON_AUDIT_FIELDS}
        events.add(
            AuditEvent.Action.UPDATE,
            target="user",
            target_id=row.id,
            label=row.full_name,
            before=before,
            after={**before, "is_active": False},
        )


# Memberships


def _membership_label(person: str, unit: str, role: str) -> str:
    return f"{person} – {unit} ({role_label(role)})"


def _write_memberships(plan: Plan, events: _Events) -> None:
    removed = [item.membership.id for item in plan.memberships_removed]
    for batch in batches(removed):
        Membership.objects.filter(pk__in=batch).delete()
    for item in plan.memberships_removed:
        m = item.membership
        events.add(
            AuditEvent.Action.DELETE,
            target="membership",
            target_id=m.id,
            label=_membership_label(item.person_name, item.unit_name, m.role),
            before={"user": m.user_id, "unit": m.unit_id, "role": m.role},
            after=None,
        )
    update_rows(Membership, ["role"], [(u.membership.id, u.role) for u in plan.role_updates])
    for update in plan.role_updates:
        m = update.membership
        before = {"user": m.user_id, "unit": m.unit_id, "role": m.role}
        events.add(
            AuditEvent.Action.UPDATE,
            target="membership",
            target_id=m.id,
            label=_membership_label(update.person_name, update.unit_name, update.role),
            before=before,
            after={**before, "role": update.role},
        )
    _add_memberships(plan, events)


def _add_memberships(plan: Plan, events: _Events) -> None:
    rows = []
    for item in plan.memberships_added:
        user = item.new_person.user if item.new_person is not None else None
        user_id = user.pk if user is not None else item.user_id
        assert user_id is not None
        rows.append(Membership(user_id=user_id, unit_id=item.node.unit.pk, role=item.role))
    Membership.objects.bulk_create(rows, batch_size=BATCH)
    for item, membership in zip(plan.memberships_added, rows, strict=True):
        events.add(
            AuditEvent.Action.CREATE,
            target="membership",
            target_id=membership.pk,
            label=_membership_label(item.person_name, item.node.name, item.role),
            before=None,
            after={"user": membership.user_id, "unit": membership.unit_id, "role": item.role},
        )
