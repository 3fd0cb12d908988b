"""The export reads each list with a constant number of queries, whatever the organization's
size; the page and the CSV downloads too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.conftest import client_for
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.cycles.models import Cycle
from soihtu.exchange.export import export_document
from soihtu.exchange.schema import LISTS
from soihtu.exchange.tests.helpers import demo, wipe

pytestmark = pytest.mark.django_db
# One per list, one per list of references, one per kind of nested object, the settings.
EXPORT_QUERIES = (
    1
    + len(LISTS)
    + sum(1 for s in LISTS for f in s.fields if f.through is not None)
    + sum(len(s.nested) for s in LISTS)
)


def _export_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        document = export_document()
    assert document["checkins"]
    return len(captured.captured_queries)


def _page_counts() -> dict[str, int]:
    admin = User.objects.get(username="okr.toimisto")
    cycle = Cycle.objects.order_by("starts_on").last()
    assert cycle is not None
    urls = {
        "index": reverse("exchange:index"),
        "objectives": reverse("exchange:objectives_csv") + f"?cycle={cycle.pk}",
        "key_results": reverse("exchange:key_results_csv"),
    }
    return page_query_counts(client_for(admin), urls)


def test_export_query_count_does_not_grow_with_the_organization() -> None:
    demo(40)
    small, small_pages = _export_queries(), _page_counts()
    wipe()
    demo(120)
    large, large_pages = _export_queries(), _page_counts()
    assert small == large == EXPORT_QUERIES
    assert_constant_and_few(small_pages, large_pages)
