"""Export → import into an empty installation → export gives the same document."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.comments.tests.builders import add_comments
from soihtu.cycles.models import TeamCycle
from soihtu.exchange.export import export_document, export_json
from soihtu.exchange.importer import file_import
from soihtu.exchange.schema import LISTS, ListSpec, Type
from soihtu.exchange.tests.helpers import demo, wipe, without_time
from soihtu.ideas.models import Idea
from soihtu.learning.models import Learning
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import OrganizationSettings, Unit
from soihtu.planning.models import Proposal
from soihtu.retrospectives.models import KeyResultScore, ObjectiveReview, Retrospective
from soihtu.successes.models import Success

pytestmark = pytest.mark.django_db


def enrich() -> None:
    """What the demo leaves out, so that every field of the format carries a value."""
    OrganizationSettings.objects.update(transparency_enabled=True)
    division = Unit.objects.filter(depth=1).order_by("path").first()
    assert division is not None
    Unit.objects.filter(pk=division.pk).update(code="HR-Ö1")
    leaver = User.objects.filter(username__startswith="a").order_by("pk").first()
    assert leaver is not None
    User.objects.filter(pk=leaver.pk).update(
        anonymized_at=timezone.now(),
        username="anonymized-1",
        first_name="",
        last_name="",
        email="",
        employee_id="",
        is_active=False,
    )
    Objective.objects.filter(owner_unit__depth=0).update(is_public=True)
    restricted = Objective.objects.filter(owner_unit__depth=3).order_by("pk").first()
    assert restricted is not None
    Objective.objects.filter(pk=restricted.pk).update(
        visibility=Objective.Visibility.RESTRICTED, version=3, description="Vain tiimille."
    )
    review = ObjectiveReview.objects.order_by("pk").first()
    assert review is not None
    review.adjusted_score = Decimal("0.6")
    review.adjust_reason = "Mittari muuttui kesken jakson."
    review.save()
    key_result = KeyResult.objects.filter(objective=review.objective).first()
    assert key_result is not None
    KeyResultScore.objects.create(
        retrospective=review.retrospective,
        key_result=key_result,
        adjusted_score=Decimal("0.9"),
        reason="Tavoite saavutettiin toisella tavalla.",
    )
    first, second = Proposal.objects.order_by("pk")[:2]
    Proposal.objects.filter(pk=second.pk).update(
        status=Proposal.Status.MERGED, merged_into=first.pk
    )
    Proposal.objects.filter(pk=first.pk).update(
        kind=Proposal.Kind.KEY_RESULT,
        target_objective=key_result.objective,
        accepted_key_result=key_result,
        measure="Kyselyllä",
        decline_reason="Ei nyt.",
    )
    TeamCycle.objects.update(closed_at=timezone.now(), activated_below_half=True)
    checkin = CheckIn.objects.order_by("pk").first()
    idea = Idea.objects.order_by("pk").first()
    assert idea is not None
    Idea.objects.filter(pk=idea.pk).update(checkin=checkin, source=Idea.Source.CHECKIN)
    idea.key_results.set([key_result])
    retrospective = Retrospective.objects.order_by("pk").first()
    Learning.objects.filter(pk=Learning.objects.order_by("pk").values("pk")[:1]).update(
        retrospective=retrospective
    )
    Success.objects.update(key_result=key_result)
    add_comments(key_result, checkin)


def _carries_value(value: Any) -> bool:
    return value not in (None, "", [], False)


def unused_fields(document: dict[str, Any]) -> list[str]:
    """Fields that no object of the document gives a value: a round trip would not test them."""
    missing = []

    def check(path: str, fields: Any, items: list[dict[str, Any]]) -> None:
        for field in fields:
            if not any(_carries_value(item.get(field.name)) for item in items):
                missing.append(f"{path}.{field.name}")

    for spec in LISTS:
        items: list[dict[str, Any]] = document[spec.key]
        check(spec.key, spec.fields, items)
        for nested in spec.nested:
            children = [child for item in items for child in item[nested.key]]
            check(f"{spec.key}.{nested.key}", nested.fields, children)
    return missing


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith('"exported_at"')]


def test_export_import_export_gives_the_same_document() -> None:
    demo(40)
    enrich()
    first = export_json()
    assert unused_fields(json.loads(first)) == []
    users_before = set(User.objects.values_list("pk", flat=True))
    wipe()

    result = file_import(actor=None, raw=first.encode())

    assert result.errors == []
    assert not users_before & set(User.objects.values_list("pk", flat=True))  # new ids
    second = export_json()
    assert _lines(second) == _lines(first)
    assert without_time(json.loads(second)) == without_time(json.loads(first))


def test_the_same_database_exports_the_same_document() -> None:
    demo(40)
    first, second = export_json(), export_json()
    assert _lines(first) == _lines(second)
    assert json.loads(first)["exported_at"].endswith("Z")


def test_import_keeps_timestamps_versions_and_computes_progress() -> None:
    demo(40)
    enrich()
    before = {
        kr.title + kr.objective.title: (kr.progress, kr.version, kr.created_at)
        for kr in KeyResult.objects.select_related("objective")
    }
    versions = sorted(Objective.objects.values_list("version", "created_at", "updated_at"))
    text = export_json()
    wipe()
    assert file_import(actor=None, raw=text.encode()).errors == []
    after = {
        kr.title + kr.objective.title: (kr.progress, kr.version, kr.created_at)
        for kr in KeyResult.objects.select_related("objective")
    }
    assert after == before
    assert sorted(Objective.objects.values_list("version", "created_at", "updated_at")) == versions


def test_anonymized_person_leaves_without_personal_data_and_comes_back_anonymized() -> None:
    demo(40)
    enrich()
    document = export_document()
    anonymized = [p for p in document["people"] if p.get("anonymized_at")]
    assert len(anonymized) == 1
    assert set(anonymized[0]) == {"id", "anonymized_at"}
    wipe()
    assert file_import(actor=None, raw=json.dumps(document).encode()).errors == []
    leaver = User.objects.get(anonymized_at__isnull=False)
    assert (leaver.first_name, leaver.email, leaver.employee_id) == ("", "", "")
    assert str(leaver) == "former employee"
    assert not leaver.has_usable_password()


def test_people_already_there_are_reused_and_new_people_get_no_password() -> None:
    demo(40)
    document = export_document()
    wipe()
    jasen = next(p for p in document["people"] if p.get("username") == "jasen")
    existing = User.objects.create_user(
        username="someone.else", email=jasen["email"].upper(), password="kept-password-1"
    )

    result = file_import(actor=existing, raw=json.dumps(document).encode())

    assert result.errors == []
    assert User.objects.count() == len(document["people"])
    existing.refresh_from_db()
    assert existing.username == "someone.else"
    assert existing.check_password("kept-password-1")
    assert existing.memberships.exists()
    others = User.objects.exclude(pk=existing.pk)
    assert not any(user.has_usable_password() for user in others)
    event = AuditEvent.objects.get()
    assert event.actor == existing
    assert event.after == {"imported": result.counts}


def test_every_list_and_field_of_the_format_is_exported() -> None:
    demo(40)
    enrich()  # the demo has no comments
    document = export_document()
    assert list(document) == [
        "format",
        "version",
        "exported_at",
        "organization",
        *(spec.key for spec in LISTS),
    ]
    for spec in LISTS:
        assert document[spec.key], spec.key
        expected = {f.name for f in spec.fields} | {n.key for n in spec.nested}
        if spec.key != "people":
            assert all(set(item) == expected for item in document[spec.key]), spec.key


def _spec(key: str) -> ListSpec:
    return next(s for s in LISTS if s.key == key)


def test_references_are_ids_within_the_document() -> None:
    demo(40)
    document = export_document()
    for spec in LISTS:
        ids = [item["id"] for item in document[spec.key]]
        assert ids == list(range(1, len(ids) + 1)), spec.key
    units = document["units"]
    seen: set[int] = set()
    for unit in units:
        assert unit["parent"] is None or unit["parent"] in seen
        seen.add(unit["id"])
    assert _spec("units").field("parent").type == Type.REF


def test_dates_and_decimals_are_written_exactly() -> None:
    demo(40)
    document = export_document()
    checkin = document["checkins"][0]
    assert isinstance(checkin["value"], str)
    Decimal(checkin["value"])
    datetime.date.fromisoformat(checkin["measured_on"])
    assert checkin["created_at"].endswith("Z")
