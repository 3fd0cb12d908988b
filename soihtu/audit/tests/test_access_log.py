"""The access log: every read of a restricted objective, of its key results and retrospective,
of a person's data page and export, and of survey results leaves one entry per object read,
with the reader, the kind, the object and the request. Reading open objectives leaves none, a
refused read leaves none, and a log that cannot be written never fails the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soihtu.api.tests.helpers import API, Api, Practice, add_practice, personal_token
from soihtu.audit.models import AccessRecord, AuditEvent
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, client_for
from soihtu.okrs.models import KeyResult, Objective

Kind = AccessRecord.Kind


@dataclass
class Reads:
    world: World
    practice: Practice
    restricted_kr: KeyResult
    restricted_checkin: CheckIn


@pytest.fixture
def reads(world: World) -> Reads:
    """Team A's restricted objective with a check-in on its key result, and a piece of every
    ritual (a retrospective reviewing the restricted objective, a closed survey round)."""
    restricted_kr = world.restricted_a.key_results.get()
    checkin = checkin_create(
        author=world.member, key_result=restricted_kr, value=Decimal(1), confidence=8, note="Ok"
    )
    return Reads(world, add_practice(world), restricted_kr, checkin)


Url = Callable[[Reads], str]
Objects = Callable[[Reads], list[tuple[int, str]]]


def _restricted(r: Reads) -> list[tuple[int, str]]:
    return [(r.world.restricted_a.pk, "Sisäinen kehitys")]


def _restricted_kr(r: Reads) -> list[tuple[int, str]]:
    return [(r.restricted_kr.pk, "Perehdytys valmis")]


def _member(r: Reads) -> list[tuple[int, str]]:
    return [(r.world.member.pk, "Member A")]


def _survey(r: Reads) -> list[tuple[int, str]]:
    return [(r.practice.survey.pk, "Kysely")]


def _team_retro(r: Reads) -> str:
    return reverse(
        "retrospectives:team", kwargs={"unit_id": r.world.team_a.pk, "cycle_id": r.world.cycle.pk}
    )


# (name, persona, url, kind, objects): each page read by a persona who may read it.
PAGE_READS: list[tuple[str, str, Url, str, Objects]] = [
    (
        "objective",
        "member",
        lambda r: reverse("okrs:objective", args=[r.world.restricted_a.pk]),
        Kind.OBJECTIVE,
        _restricted,
    ),
    (
        "objective_by_the_okr_office",
        "admin",
        lambda r: reverse("okrs:objective", args=[r.world.restricted_a.pk]),
        Kind.OBJECTIVE,
        _restricted,
    ),
    (
        "team",
        "member",
        lambda r: reverse("okrs:unit", args=[r.world.team_a.pk]),
        Kind.OBJECTIVE,
        _restricted,
    ),
    ("my_okrs", "member", lambda r: reverse("okrs:my_okrs"), Kind.OBJECTIVE, _restricted),
    (
        "organization_search",
        "member",
        lambda r: reverse("okrs:organization") + "?q=Sis%C3%A4inen",
        Kind.OBJECTIVE,
        _restricted,
    ),
    (
        "follow_up_meeting",
        "member",
        lambda r: reverse("followup:meeting", args=[r.world.team_a.pk]),
        Kind.OBJECTIVE,
        _restricted,
    ),
    (
        "desk",
        "torchbearer",
        lambda r: reverse("desk:team", args=[r.world.team_a.pk]),
        Kind.OBJECTIVE,
        _restricted,
    ),
    (
        "check_in_form",
        "member",
        lambda r: reverse("checkins:new", args=[r.restricted_kr.pk]),
        Kind.KEY_RESULT,
        _restricted_kr,
    ),
    ("retrospective", "member", _team_retro, Kind.RETROSPECTIVE, _restricted),
    (
        "person",
        "admin",
        lambda r: reverse("privacy:person", args=[r.world.member.pk]),
        Kind.PERSON,
        _member,
    ),
    (
        "person_export",
        "admin",
        lambda r: reverse("privacy:export", args=[r.world.member.pk]),
        Kind.PERSON_EXPORT,
        _member,
    ),
    (
        "survey_results",
        "admin",
        lambda r: reverse("surveys:results", args=[r.practice.survey.pk]),
        Kind.SURVEY_RESULTS,
        _survey,
    ),
    (
        "survey_results_csv",
        "admin",
        lambda r: reverse("surveys:results_csv", args=[r.practice.survey.pk]),
        Kind.SURVEY_RESULTS,
        _survey,
    ),
    ("dashboard", "admin", lambda r: reverse("dashboard:index"), Kind.SURVEY_RESULTS, _survey),
    ("dashboard_csv", "admin", lambda r: reverse("dashboard:csv"), Kind.SURVEY_RESULTS, _survey),
]

# The same for the API (paths under /api/v1), with a personal token of the persona.
API_READS: list[tuple[str, str, Url, str, Objects]] = [
    (
        "api_objective",
        "member",
        lambda r: f"/objectives/{r.world.restricted_a.pk}",
        Kind.OBJECTIVE,
        _restricted,
    ),
    ("api_objectives", "member", lambda r: "/objectives", Kind.OBJECTIVE, _restricted),
    (
        "api_key_result",
        "member",
        lambda r: f"/key-results/{r.restricted_kr.pk}",
        Kind.KEY_RESULT,
        _restricted_kr,
    ),
    ("api_key_results", "member", lambda r: "/key-results", Kind.KEY_RESULT, _restricted_kr),
    (
        "api_check_ins",
        "member",
        lambda r: f"/key-results/{r.restricted_kr.pk}/check-ins",
        Kind.KEY_RESULT,
        _restricted_kr,
    ),
    (
        "api_check_in",
        "member",
        lambda r: f"/check-ins/{r.restricted_checkin.pk}",
        Kind.KEY_RESULT,
        _restricted_kr,
    ),
    ("api_retrospectives", "member", lambda r: "/retrospectives", Kind.RETROSPECTIVE, _restricted),
    (
        "api_retrospective",
        "member",
        lambda r: f"/retrospectives/{r.practice.retrospective.pk}",
        Kind.RETROSPECTIVE,
        _restricted,
    ),
    (
        "api_survey_results",
        "admin",
        lambda r: f"/surveys/{r.practice.survey.pk}/results",
        Kind.SURVEY_RESULTS,
        _survey,
    ),
]


def _entries() -> list[tuple[object, ...]]:
    return list(
        AccessRecord.objects.order_by("kind", "object_id").values_list(
            "user__username", "kind", "object_id", "object_repr", "path"
        )
    )


@pytest.mark.parametrize(
    ("persona", "url", "kind", "objects"),
    [pytest.param(*case[1:], id=case[0]) for case in PAGE_READS],
)
def test_a_page_read_leaves_one_entry_per_object(
    reads: Reads, persona: str, url: Url, kind: str, objects: Objects
) -> None:
    reader = reads.world.persona(persona)
    path = url(reads)
    response = client_for(reader).get(path)
    assert response.status_code == 200
    assert _entries() == [
        (reader.username, kind, pk, text, f"GET {path}") for pk, text in objects(reads)
    ]


@pytest.mark.parametrize(
    ("persona", "url", "kind", "objects"),
    [pytest.param(*case[1:], id=case[0]) for case in API_READS],
)
def test_an_api_read_leaves_one_entry_per_object(
    reads: Reads, persona: str, url: Url, kind: str, objects: Objects
) -> None:
    reader = reads.world.persona(persona)
    path = url(reads)
    response = Api(personal_token(reader)).get(path)
    assert response.status_code == 200
    assert _entries() == [
        (reader.username, kind, pk, text, f"GET {API}{path}") for pk, text in objects(reads)
    ]


def test_a_restricted_organization_objective_on_the_strategy_page_is_logged(
    reads: Reads,
) -> None:
    world = reads.world
    Objective.objects.filter(pk=world.org_objective.pk).update(
        visibility=Objective.Visibility.RESTRICTED
    )
    assert client_for(world.member_b).get(reverse("okrs:strategy")).status_code == 200
    assert [(e[1], e[2]) for e in _entries()] == [(Kind.OBJECTIVE, world.org_objective.pk)]


def test_the_person_export_is_still_in_the_audit_trail(reads: Reads) -> None:
    world = reads.world
    client_for(world.admin).get(reverse("privacy:export", args=[world.member.pk]))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, target_id=world.member.pk
    ).exists()


# Open objectives only: the same pages read by people who see nothing restricted on them.
OPEN_READS: list[tuple[str, str, Url]] = [
    ("objective", "member", lambda r: reverse("okrs:objective", args=[r.world.objective_a.pk])),
    ("team_of_others", "outsider", lambda r: reverse("okrs:unit", args=[r.world.team_a.pk])),
    ("team_b", "member_b", lambda r: reverse("okrs:unit", args=[r.world.team_b.pk])),
    ("my_okrs", "member_b", lambda r: reverse("okrs:my_okrs")),
    ("organization", "outsider", lambda r: reverse("okrs:organization") + "?q=a"),
    ("strategy", "member", lambda r: reverse("okrs:strategy")),
    ("check_in_form", "member", lambda r: reverse("checkins:new", args=[r.world.kr_a1.pk])),
    (
        "follow_up_meeting",
        "member_b",
        lambda r: reverse("followup:meeting", args=[r.world.team_b.pk]),
    ),
]


@pytest.mark.parametrize(
    ("persona", "url"), [pytest.param(*case[1:], id=case[0]) for case in OPEN_READS]
)
def test_reading_open_objectives_leaves_no_entry(reads: Reads, persona: str, url: Url) -> None:
    response = client_for(reads.world.persona(persona)).get(url(reads))
    assert response.status_code == 200
    assert _entries() == []


def test_the_api_reading_open_objectives_leaves_no_entry(reads: Reads) -> None:
    api = Api(personal_token(reads.world.member_b))
    for path in ["/objectives", "/key-results", f"/objectives/{reads.world.objective_b.pk}"]:
        assert api.get(path).status_code == 200
    assert _entries() == []


# Refused reads: hidden (404) or forbidden (403); nothing is logged.
REFUSED_READS: list[tuple[str, str, Url, int]] = [
    (
        "objective",
        "outsider",
        lambda r: reverse("okrs:objective", args=[r.world.restricted_a.pk]),
        404,
    ),
    (
        "check_in_form",
        "member_b",
        lambda r: reverse("checkins:new", args=[r.restricted_kr.pk]),
        404,
    ),
    ("retrospective", "outsider", _team_retro, 404),
    ("person", "member", lambda r: reverse("privacy:person", args=[r.world.member_b.pk]), 403),
    ("export", "supervisor", lambda r: reverse("privacy:export", args=[r.world.member.pk]), 403),
    (
        "survey_results",
        "member",
        lambda r: reverse("surveys:results", args=[r.practice.survey.pk]),
        403,
    ),
    ("dashboard", "member", lambda r: reverse("dashboard:index"), 403),
]


@pytest.mark.parametrize(
    ("persona", "url", "status"), [pytest.param(*case[1:], id=case[0]) for case in REFUSED_READS]
)
def test_a_refused_read_leaves_no_entry(reads: Reads, persona: str, url: Url, status: int) -> None:
    assert client_for(reads.world.persona(persona)).get(url(reads)).status_code == status
    assert _entries() == []


def test_a_refused_api_read_leaves_no_entry(reads: Reads) -> None:
    api = Api(personal_token(reads.world.outsider))
    assert api.get(f"/objectives/{reads.world.restricted_a.pk}").status_code == 404
    assert api.get(f"/key-results/{reads.restricted_kr.pk}").status_code == 404
    assert api.get(f"/surveys/{reads.practice.survey.pk}/results").status_code == 403
    assert _entries() == []


@pytest.mark.parametrize(
    ("persona", "url"),
    [pytest.param(case[1], case[2], id=case[0]) for case in PAGE_READS],
)
def test_a_log_that_cannot_be_written_does_not_fail_the_page(
    reads: Reads, persona: str, url: Url, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(AccessRecord.objects, "bulk_create", broken)
    assert client_for(reads.world.persona(persona)).get(url(reads)).status_code == 200
    assert _entries() == []


def test_the_log_adds_one_insert_only_when_restricted_objectives_are_shown(
    reads: Reads,
) -> None:
    """The team page's queries with the restricted objective shown are those without it, plus
    the one insert (and the savepoint around it that only tests see)."""
    world = reads.world
    client = client_for(world.member)
    url = reverse("okrs:unit", args=[world.team_a.pk])

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    with_restricted = statements()
    Objective.objects.filter(pk=world.restricted_a.pk).update(visibility=Objective.Visibility.OPEN)
    without = statements()
    inserts = [sql for sql in with_restricted if sql.startswith('INSERT INTO "audit_accessrecord"')]
    assert len(inserts) == 1
    assert len(with_restricted) == len(without) + 3  # savepoint, insert, release
    assert not [sql for sql in without if "audit_accessrecord" in sql]
