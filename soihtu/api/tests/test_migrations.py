"""The upgrade that makes every service token end: old tokens get a last day (a year after their
creation, or a month's grace when that has passed), and service tokens nobody answers for any
more are revoked; personal tokens are left alone."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from soihtu.api.models import ApiToken
from soihtu.audit.models import AuditEvent
from soihtu.conftest import NOW

BEFORE = [("api", "0001_tokens_idempotency_rate_limits")]
AFTER = [("api", "0003_service_tokens_need_an_expiry")]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def old_schema(transactional_db: None) -> Iterator[Any]:
    """The models as they were before the upgrade; the database is brought back up after."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "api"]
    yield executor.loader.project_state([*others, *BEFORE]).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate_up() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def test_old_service_tokens_get_a_last_day_and_unanswered_ones_are_revoked(
    old_schema: Any,
) -> None:
    user_model = old_schema.get_model("accounts", "User")
    token_model = old_schema.get_model("api", "ApiToken")
    admin = user_model.objects.create(username="okr_office", is_org_admin=True)
    former = user_model.objects.create(username="former_admin", is_org_admin=False)
    made = iter(range(10))

    def token(kind: str, by: Any, age_days: int, **extra: Any) -> int:
        number = next(made)
        row = token_model.objects.create(
            kind=kind,
            name=f"t{number}",
            created_by=by,
            created_at=NOW - datetime.timedelta(days=age_days),
            prefix=f"sht_{number}",
            secret_hash=str(number) * 64,
            **extra,
        )
        return int(row.pk)

    recent = token("service", admin, 100)
    old = token("service", admin, 400)
    chosen_day = _local_midnight(datetime.date(2027, 2, 1))
    chosen = token("service", admin, 10, expires_at=chosen_day)
    personal = token("personal", former, 900)
    unanswered = token("service", former, 10, expires_at=chosen_day)

    _migrate_up()

    tokens = {row.pk: row for row in ApiToken.objects.all()}
    a_year_after = (NOW - datetime.timedelta(days=100) + datetime.timedelta(days=365)).date()
    assert tokens[recent].expires_at == _local_midnight(a_year_after)
    assert tokens[old].expires_at == _local_midnight(NOW.date() + datetime.timedelta(days=31))
    assert tokens[chosen].expires_at == chosen_day
    assert tokens[personal].expires_at is None
    assert tokens[personal].revoked_at is None
    assert tokens[unanswered].revoked_at is not None
    assert all(tokens[pk].revoked_at is None for pk in (recent, old, chosen))
    audited = sorted(AuditEvent.objects.filter(actor=None).values_list("target_id", flat=True))
    assert audited == sorted([recent, old, unanswered])
