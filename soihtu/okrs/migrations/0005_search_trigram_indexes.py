"""Trigram indexes for the organization search on PostgreSQL (substring search of titles and
descriptions, as `icontains` does it: UPPER(column) LIKE UPPER('%text%')). SQLite has no
trigram indexes: there the search scans, which is fine at the sizes SQLite serves.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Where the
migration's database user may not, the indexes are skipped with a notice and search still
works, only slower (docs/configuration.md)."""

from django.db import migrations, transaction

INDEXES = {
    "okrs_objective_title_trgm": ("okrs_objective", "title"),
    "okrs_objective_description_trgm": ("okrs_objective", "description"),
    "okrs_keyresult_title_trgm": ("okrs_keyresult", "title"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - any refusal leaves search working, unindexed
        print(f"\n  Search indexes skipped: the pg_trgm extension could not be created ({error}).")
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("okrs", "0004_unit_progress")]

    operations = [migrations.RunPython(create, drop)]
