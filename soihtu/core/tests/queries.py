"""Shared by the query-count tests: every page does the same number of queries on a demo
organization ten times larger, and at most MAX_QUERIES."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

MAX_QUERIES = 15


def page_query_counts(client: Client, urls: dict[str, str]) -> dict[str, int]:
    """GET each page and count its queries (each page must answer 200)."""
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(captured.captured_queries)
    return counts


def assert_constant_and_few(small: dict[str, int], large: dict[str, int]) -> None:
    assert small == large, (small, large)
    assert max(large.values()) <= MAX_QUERIES, large
