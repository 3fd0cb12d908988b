"""A GIN index over the learning library's full-text expression, on PostgreSQL only (SQLite
searches with a plain word match). The expression must stay exactly the one
`learning.selectors._postgres_search` builds, or the planner cannot use the index."""

from django.db import migrations

INDEX = "learning_text_search"
EXPRESSION = " || ".join(
    f"to_tsvector('{config}'::regconfig, COALESCE(\"text\", ''))"
    for config in ("finnish", "swedish", "english")
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON learning_learning USING gin (({EXPRESSION}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_learning_library")]

    operations = [migrations.RunPython(create, drop)]
