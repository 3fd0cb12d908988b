"""Shared by the exchange tests: emptying the installation, and proving nothing changed."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

from soihtu.demo.generate import generate_demo
from soihtu.exchange.schema import LISTS

TODAY = datetime.date(2026, 11, 27)
APPS_KEPT = {"contenttypes", "auth", "sessions", "admin"}


def demo(people: int = 40) -> None:
    generate_demo(people=people, today=TODAY, seed=7, rituals=True)


def _tables() -> list[str]:
    existing = set(connection.introspection.table_names())
    return [
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label not in APPS_KEPT and m._meta.db_table in existing
    ]


def wipe() -> None:
    """Empty every table of the project's apps, people included, without resetting the ids:
    the next rows get new ids, as in another installation."""
    statements = connection.ops.sql_flush(
        no_style(), _tables(), reset_sequences=False, allow_cascade=True
    )
    # SQLite's flush deletes table by table in no set order (a Python set of names); in one
    # transaction its deferred foreign keys are checked once, at the commit, when all is empty.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)


def _models() -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for spec in LISTS:
        found.append(spec.model)
        found.extend(n.model for n in spec.nested)
        found.extend(f.through.model for f in spec.fields if f.through is not None)
    return found


def snapshot() -> dict[str, Any]:
    """Every exported table's rows, to compare before and after a refused import."""
    from soihtu.audit.models import AuditEvent
    from soihtu.organization.models import OrganizationSettings

    tables: list[type[models.Model]] = [*_models(), OrganizationSettings, AuditEvent]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in tables}


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()
