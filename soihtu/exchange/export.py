"""The whole organization's OKR data as one JSON document (format: see schema.py and
docs/export-import.md).

Every list is read with one query (plus one per list of references and one per kind of nested
object), whatever the organization's size. The order is fixed (units by their place in the
tree, people by username, everything else by creation), and the ids are positions in that
order, so the same database exports the same bytes except `exported_at`, and a document
imported into an empty installation exports again unchanged.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.exchange.schema import (
    FORMAT,
    LISTS,
    ORGANIZATION,
    PEOPLE,
    UNITS,
    VERSION,
    Field,
    ListSpec,
    Nested,
    Type,
)
from soihtu.okrs.models import Objective
from soihtu.organization.models import OrganizationSettings

Row = dict[str, Any]


def decimal_text(value: Decimal) -> str:
    """12.5000 → "12.5", 100.0000 → "100": the shortest exact form."""
    return format(value.normalize(), "f")


def datetime_text(value: datetime.datetime) -> str:
    """In UTC with a Z, so one moment is always written the same way."""
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _plain(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.type == Type.DECIMAL:
        return decimal_text(value)
    if field.type == Type.DATETIME:
        return datetime_text(value)
    if field.type == Type.DATE:
        return value.isoformat()
    if field.type == Type.NUMBER:
        return round(float(value), 4)
    return value


def _queryset(spec: ListSpec) -> models.QuerySet[Any]:
    if spec.model is Objective:
        return Objective.objects.with_progress()
    return spec.model._default_manager.all()


def _columns(fields: tuple[Field, ...]) -> list[str]:
    return [f.column for f in fields if f.type not in {Type.ID, Type.REFS}]


class _Exporter:
    def __init__(self) -> None:
        self.ids: dict[str, dict[int, int]] = {}  # list -> database pk -> id in the document

    def run(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": datetime_text(timezone.now()),
            "organization": self.organization(),
            "people": self.people(),
        }
        for spec in LISTS[1:]:
            document[spec.key] = self.rows(spec)
        return document

    def organization(self) -> Row:
        settings = OrganizationSettings.objects.order_by("pk").first() or OrganizationSettings(
            name=""
        )
        return {f.name: getattr(settings, f.name) for f in ORGANIZATION}

    def people(self) -> list[Row]:
        users = list(User.objects.values("pk", *_columns(PEOPLE.fields)))
        # Usernames are unique and survive an import; anonymized people keep their creation order.
        users.sort(
            key=lambda u: (
                u["anonymized_at"] is not None,
                u["username"] if not u["anonymized_at"] else "",
                u["pk"],
            )
        )
        self.ids["people"] = {u["pk"]: n for n, u in enumerate(users, start=1)}
        rows = []
        for user in users:
            if user["anonymized_at"] is not None:
                rows.append(
                    {
                        "id": self.ids["people"][user["pk"]],
                        "anonymized_at": datetime_text(user["anonymized_at"]),
                    }
                )
            else:
                rows.append(self.item(PEOPLE.fields, user, self.ids["people"][user["pk"]]))
        return rows

    def rows(self, spec: ListSpec) -> list[Row]:
        columns = _columns(spec.fields)
        if spec is UNITS:
            columns.append("path")
        records = list(_queryset(spec).order_by("pk").values("pk", *columns))
        if spec is UNITS:
            # Python's order, not the database collation's: parents before children.
            records.sort(key=lambda r: r["path"])
        self.ids[spec.key] = {r["pk"]: n for n, r in enumerate(records, start=1)}
        lists = {f.name: self.refs(f) for f in spec.fields if f.type == Type.REFS}
        nested = {n.key: self.nested(n) for n in spec.nested}
        out = []
        for record in records:
            pk = record["pk"]
            item = self.item(spec.fields, record, self.ids[spec.key][pk])
            for name, by_owner in lists.items():
                item[name] = by_owner.get(pk, [])
            for key, by_parent in nested.items():
                item[key] = by_parent.get(pk, [])
            out.append(item)
        return out

    def item(self, fields: tuple[Field, ...], record: Row, ident: int | None) -> Row:
        item: Row = {}
        for field in fields:
            if field.type == Type.ID:
                item["id"] = ident
            elif field.type == Type.REF:
                pk = record[field.column]
                item[field.name] = None if pk is None else self.ids[field.target][pk]
            elif field.type == Type.REFS:
                item[field.name] = []  # filled by the caller from the through table
            else:
                item[field.name] = _plain(field, record[field.column])
        return item

    def refs(self, field: Field) -> dict[int, list[int]]:
        """Owner pk → the referenced objects' document ids: one query."""
        through = field.through
        assert through is not None
        target_ids = self.ids[field.target]
        pairs = through.model._default_manager.order_by("pk").values_list(
            through.owner, through.target
        )
        grouped: dict[int, list[int]] = defaultdict(list)
        for owner, target in pairs:
            grouped[owner].append(target_ids[target])
        if field.sort_refs:
            for values in grouped.values():
                values.sort()
        return grouped

    def nested(self, spec: Nested) -> dict[int, list[Row]]:
        """Parent pk → its nested objects in creation order: one query."""
        records = spec.model._default_manager.order_by("pk").values(
            spec.parent, *_columns(spec.fields)
        )
        grouped: dict[int, list[Row]] = defaultdict(list)
        for record in records:
            grouped[record[spec.parent]].append(self.item(spec.fields, record, None))
        return grouped


def export_document() -> dict[str, Any]:
    """The whole organization's OKR data as a JSON-ready dict (see docs/export-import.md)."""
    return _Exporter().run()


def iter_json(document: dict[str, Any]) -> Iterator[str]:
    """The document as JSON text, one object of each list on its own line: readable, easy to
    compare, and written piece by piece instead of in one huge string."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    yield "{\n"
    keys = list(document)
    for position, key in enumerate(keys):
        end = ",\n" if position < len(keys) - 1 else "\n"
        value = document[key]
        if isinstance(value, list) and value:
            yield f"{dump(key)}:[\n"
            last = len(value) - 1
            for index, item in enumerate(value):
                yield dump(item) + (",\n" if index < last else "\n")
            yield "]" + end
        else:
            yield f"{dump(key)}:{dump(value)}{end}"
    yield "}\n"


def export_json() -> str:
    return "".join(iter_json(export_document()))
