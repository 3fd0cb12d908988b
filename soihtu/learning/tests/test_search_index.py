"""On PostgreSQL the library's search can use its GIN index: the migration's expression is
the one the search builds."""

from __future__ import annotations

import pytest
from django.db import connection

from soihtu.conftest import World
from soihtu.learning.models import Learning
from soihtu.learning.selectors import search_learnings

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index exists on PostgreSQL only"
)


def test_the_search_uses_the_index(world: World) -> None:
    Learning.objects.create(
        text="Asiakkaiden soittopyynnöt kannattaa hoitaa samana päivänä",
        team=world.team_a,
        cycle=world.cycle,
    )
    found = search_learnings(Learning.objects.all(), "asiakas soittopyyntö")
    assert found.count() == 1
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "learning_text_search" in plan, plan
