"""Importing an export into an empty installation: all of it in one transaction, or nothing.

The document is validated whole first (validation.py); then every list is written with
bulk_create in the document's order, so that the new rows get their ids in that order and the
installation exports the same document again. Timestamps and versions are kept as they are
in the document; key results' progress is computed by the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record
from soihtu.cycles.models import Year
from soihtu.exchange.schema import LISTS, ORGANIZATION, PEOPLE, UNITS, Field, ListSpec, Type
from soihtu.exchange.validation import DocumentError, Item, Plan, parse_json, validate_document
from soihtu.okrs.models import Objective
from soihtu.organization.models import PATH_STEP, OrganizationSettings, StrategyTheme, Unit

BATCH_SIZE = 2000
# The largest file the upload page accepts; the import_okrs command has no limit of its own.
UPLOAD_MAX_BYTES = 100 * 1024 * 1024
IMPORT_LOCK = 0x50_4B_52_49  # any constant number: the advisory lock held while importing
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def installation_is_empty() -> bool:
    """Nothing to collide with: no units, strategy themes, years or objectives yet."""
    return not (
        Unit.objects.exists()
        or StrategyTheme.objects.exists()
        or Year.objects.exists()
        or Objective.objects.exists()
    )


def not_empty_message() -> str:
    return _(
        "The import works only into an empty installation, and this one already has units, "
        "strategy themes, years or objectives. Nothing was imported."
    )


def _segment(number: int) -> str:
    """One level of a unit's materialized path, as organization.services writes it."""
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = DIGITS[rest] + out
        if number == 0:
            return out.rjust(PATH_STEP, "0")


class _Writer:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.pks: dict[str, dict[int, int]] = {}  # list -> document id -> new pk

    def run(self) -> OrganizationSettings:
        settings = self.organization()
        self.people()
        for spec in LISTS[1:]:
            if spec is UNITS:
                self.units()
            else:
                self.rows(spec)
        return settings

    def organization(self) -> OrganizationSettings:
        settings = OrganizationSettings.objects.order_by("pk").first()
        if settings is None:
            settings = OrganizationSettings(name="")
        for spec in ORGANIZATION:
            if self.plan.organization is not None:
                setattr(settings, spec.name, self.plan.organization[spec.name])
        settings.save()
        return settings

    def people(self) -> None:
        existing = self.plan.existing_people
        new_items = [i for i in self.plan.lists["people"] if i["id"] not in existing]
        users = []
        for item in new_items:
            values = self.values(PEOPLE.fields, item)
            if values["anonymized_at"] is not None:
                values["username"] = f"former-{uuid.uuid4().hex}"
            # Imported people sign in through the identity provider (or get a password reset).
            users.append(User(password=make_password(None), **values))
        created = User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        self.pks["people"] = dict(existing)
        self.pks["people"].update(
            {item["id"]: user.pk for item, user in zip(new_items, created, strict=True)}
        )

    def units(self) -> None:
        """Parents come before children in the document; the paths number the children in
        the document's order, so the tree exports in the same order again."""
        items = self.plan.lists["units"]
        paths: dict[int, str] = {}
        children: dict[int | None, int] = {}
        levels: dict[int, list[tuple[Item, Unit]]] = {}
        for item in items:
            parent = item["parent"]
            children[parent] = children.get(parent, 0) + 1
            path = (paths[parent] if parent is not None else "") + _segment(children[parent])
            paths[item["id"]] = path
            unit = Unit(path=path, depth=len(path) // PATH_STEP - 1)
            for name, value in self.values(UNITS.fields, item, skip={"parent"}).items():
                setattr(unit, name, value)
            levels.setdefault(unit.depth, []).append((item, unit))
        self.pks["units"] = {}
        for depth in sorted(levels):  # one insert per level: a parent's pk is known first
            for item, unit in levels[depth]:
                parent = item["parent"]
                unit.parent_id = None if parent is None else self.pks["units"][parent]
            Unit.objects.bulk_create([u for _i, u in levels[depth]], batch_size=BATCH_SIZE)
            self.pks["units"].update({item["id"]: unit.pk for item, unit in levels[depth]})

    def rows(self, spec: ListSpec) -> None:
        items = self.plan.lists[spec.key]
        deferred = [f for f in spec.fields if f.type == Type.REF and f.target == spec.key]
        skip = {f.name for f in deferred}
        objects = [spec.model(**self.values(spec.fields, item, skip=skip)) for item in items]
        created = spec.model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
        pks = {item["id"]: obj.pk for item, obj in zip(items, created, strict=True)}
        self.pks[spec.key] = pks
        for ref in deferred:  # refers to its own list: set once every row has its pk
            changed = []
            for item, obj in zip(items, created, strict=True):
                if item[ref.name] is not None:
                    setattr(obj, ref.column, pks[item[ref.name]])
                    changed.append(obj)
            spec.model._default_manager.bulk_update(changed, [ref.model_attr], batch_size=500)
        for ref in spec.fields:
            if ref.type == Type.REFS:
                self.refs(ref, items, pks)
        for nested in spec.nested:
            rows = [
                nested.model(
                    **{nested.parent: pks[item["id"]]}, **self.values(nested.fields, child)
                )
                for item in items
                for child in item[nested.key]
            ]
            nested.model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)

    def refs(self, ref: Field, items: list[Item], owner_pks: dict[int, int]) -> None:
        through = ref.through
        assert through is not None
        targets = self.pks[ref.target]
        rows = [
            through.model(**{through.owner: owner_pks[item["id"]], through.target: targets[target]})
            for item in items
            for target in item[ref.name]
        ]
        through.model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)

    def values(
        self, fields: tuple[Field, ...], item: Item, skip: set[str] | None = None
    ) -> dict[str, Any]:
        """The model's keyword arguments for one object: references turned into new pks."""
        values: dict[str, Any] = {}
        for spec in fields:
            if spec.type in {Type.ID, Type.REFS} or spec.read_only or spec.name in (skip or ()):
                continue
            value = item[spec.name]
            if spec.type == Type.REF and value is not None:
                value = self.pks[spec.target][value]
            values[spec.column] = value
        return values


def _audit(actor: User | None, settings: OrganizationSettings, counts: dict[str, int]) -> None:
    # One event for the whole import: who brought the data in, and how much of it.
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=settings,
        before=None,
        after={"imported": counts},
    )


def document_import(*, actor: User | None, document: Any) -> ImportResult:
    """Validate a parsed export and write it into this empty installation, in one transaction.

    Returns the errors (nothing written) or the number of objects imported per list.
    """
    try:
        plan = validate_document(document)
    except DocumentError as error:
        return ImportResult(errors=error.errors)
    try:
        with transaction.atomic():
            # Two imports at once: the second waits here, then finds the installation full.
            # (SQLite, for development, runs one writer at a time anyway.)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            if not installation_is_empty():
                return ImportResult(errors=[not_empty_message()])
            settings = _Writer(plan).run()
            counts = plan.counts()
            _audit(actor, settings, counts)
    except IntegrityError:
        return ImportResult(
            errors=[_("The installation changed while importing. Nothing was imported.")]
        )
    return ImportResult(counts=counts)


def file_import(*, actor: User | None, raw: bytes) -> ImportResult:
    """Import the bytes of an uploaded or given export file (see document_import)."""
    if not installation_is_empty():
        return ImportResult(errors=[not_empty_message()])
    try:
        document = parse_json(raw)
    except DocumentError as error:
        return ImportResult(errors=error.errors)
    return document_import(actor=actor, document=document)
