"""Shared by the query-count tests: every page does the same number of queries on a demo
organization ten times larger, and at most MAX_QUERIES."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

MAX_QUERIES = 15
ACCESS_LOG_INSERT = 'INSERT INTO "audit_accessrecord"'


def own_query_count(captured: CaptureQueriesContext) -> int:
    """The page's own queries. The access log's insert is not counted, nor the savepoint and
    release around it that exist only because tests run inside a transaction: the law asks for
    that write, soihtu/audit/tests/test_access_log.py proves it is one insert per page, and it
    is timed on the large demo instead (docs/privacy.md)."""
    sqls = [query["sql"] for query in captured.captured_queries]
    skipped: set[int] = set()
    for index, sql in enumerate(sqls):
        if sql.startswith(ACCESS_LOG_INSERT):
            around = [i for i in (index - 1, index + 1) if "SAVEPOINT" in sqls[i]]
            skipped |= {index, *around}
    return len(sqls) - len(skipped)


def page_query_counts(client: Client, urls: dict[str, str]) -> dict[str, int]:
    """GET each page and count its own queries (each page must answer 200)."""
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = own_query_count(captured)
    return counts


def assert_constant_and_few(small: dict[str, int], large: dict[str, int]) -> None:
    assert small == large, (small, large)
    assert max(large.values()) <= MAX_QUERIES, large
