"""Shared by the query-count tests: every page does exactly its pinned number of queries, the
same on a demo organization ten times larger, and at most MAX_QUERIES. When a count changes,
the failure lists the page's queries, so that the change is seen, not guessed."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# 15 was the ceiling until the bell in the header: its unread count is one more indexed query
# on every signed-in page.
MAX_QUERIES = 16
ACCESS_LOG_INSERT = 'INSERT INTO "audit_accessrecord"'


# The SQL of the last counted request of each page (per test process), for failure messages.
_LAST_SQL: dict[str, list[str]] = {}


def own_queries(captured: CaptureQueriesContext) -> list[str]:
    """The SQL of the page's own queries (see own_query_count)."""
    sqls = [query["sql"] for query in captured.captured_queries]
    skipped: set[int] = set()
    for index, sql in enumerate(sqls):
        if sql.startswith(ACCESS_LOG_INSERT):
            around = [i for i in (index - 1, index + 1) if "SAVEPOINT" in sqls[i]]
            skipped |= {index, *around}
    return [sql for index, sql in enumerate(sqls) if index not in skipped]


def own_query_count(captured: CaptureQueriesContext) -> int:
    """The page's own queries. The access log's insert is not counted, nor the savepoint and
    release around it that exist only because tests run inside a transaction: the law asks for
    that write, soihtu/audit/tests/test_access_log.py proves it is one insert per page, and it
    is timed on the large demo instead (docs/privacy.md)."""
    return len(own_queries(captured))


def page_query_counts(client: Client, urls: dict[str, str]) -> dict[str, int]:
    """GET each page and count its own queries (each page must answer 200)."""
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        _LAST_SQL[name] = own_queries(captured)
        counts[name] = len(_LAST_SQL[name])
    return counts


def remember_queries(name: str, captured: CaptureQueriesContext) -> int:
    """Count a request measured outside page_query_counts (an API call, a POST) and keep its
    SQL for the failure message."""
    _LAST_SQL[name] = own_queries(captured)
    return len(_LAST_SQL[name])


def assert_pinned(pinned: dict[str, int], small: dict[str, int], large: dict[str, int]) -> None:
    """Each page does exactly its pinned number of queries at both sizes (and at most
    MAX_QUERIES). On a change, the message lists the changed pages' queries (at the larger
    size, the last one counted)."""
    changed = sorted(
        name
        for name in pinned.keys() | small.keys() | large.keys()
        if not pinned.get(name) == small.get(name) == large.get(name)
    )
    if changed:
        lines = [f"Query counts changed (pinned, small, large): {changed}"]
        for name in changed:
            lines.append(f"--- {name}: {pinned.get(name)}, {small.get(name)}, {large.get(name)}")
            lines += [f"  {i}. {sql[:300]}" for i, sql in enumerate(_LAST_SQL.get(name, []), 1)]
        raise AssertionError("\n".join(lines))
    assert max(large.values()) <= MAX_QUERIES, large


def assert_constant_and_few(small: dict[str, int], large: dict[str, int]) -> None:
    assert small == large, (small, large)
    assert max(large.values()) <= MAX_QUERIES, large
