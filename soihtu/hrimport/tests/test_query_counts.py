"""The import and its preview do as many queries for 1,000 people as for 100: everything is
read and written in bulk. An organization of 8,000 people imports in a few dozen queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.conftest import client_for, make_user
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.services import hr_import_run, hr_import_stage
from soihtu.hrimport.tests.files import generated_file
from soihtu.hrimport.tests.helpers import assert_tree_consistent
from soihtu.organization.models import Membership, Unit

MAX_PAGE_QUERIES = 15


def _clear() -> None:
    AuditEvent.objects.all().delete()
    HrImport.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.exclude(is_org_admin=True).delete()
    for depth in sorted(set(Unit.objects.values_list("depth", flat=True)), reverse=True):
        Unit.objects.filter(depth=depth).delete()


def _queries(data: bytes) -> int:
    with CaptureQueriesContext(connection) as captured:
        hr_import_run(data=data, file_name="hr.csv", dry_run=False)
    return len(captured.captured_queries)


def _import_counts(people: int) -> tuple[int, int, int]:
    """Queries of the first import, of a year later (everything changed), and of a repeat."""
    return (
        _queries(generated_file(people)),
        _queries(generated_file(people, variant=1)),
        _queries(generated_file(people, variant=1)),
    )


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_rows() -> None:
    small = _import_counts(100)
    assert User.objects.count() == 100
    _clear()
    large = _import_counts(1000)

    assert User.objects.count() == 1000
    assert small == large
    assert_tree_consistent()


def _preview_queries(people: int) -> int:
    admin = User.objects.get(username="admin_okr")
    hr_import_run(data=generated_file(people), file_name="hr.csv", dry_run=False)
    staged, _plan = hr_import_stage(
        actor=admin, file_name="hr.csv", data=generated_file(people, variant=1)
    )
    assert staged is not None
    client = client_for(admin)
    url = reverse("hrimport:preview", args=[staged.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_preview_queries_do_not_grow_with_rows() -> None:
    make_user("admin_okr", org_admin=True)
    small = _preview_queries(100)
    _clear()
    large = _preview_queries(1000)

    assert small == large
    assert large <= MAX_PAGE_QUERIES


@pytest.mark.django_db
def test_an_organization_of_8000_people_imports_in_few_queries() -> None:
    first = _queries(generated_file(8000))
    assert User.objects.filter(is_active=True).count() == 8000
    assert Membership.objects.count() == 8000
    changed = _queries(generated_file(8000, variant=1))

    assert first <= 40
    assert changed <= 40
    assert User.objects.filter(email__endswith=".uusi@example.fi").count() == 8000
    assert_tree_consistent()
