"""Bad input is answered with errors that name the place, and nothing is written."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from soihtu.accounts.models import User
from soihtu.conftest import World
from soihtu.exchange.export import export_document
from soihtu.exchange.importer import file_import
from soihtu.exchange.tests.helpers import encode, snapshot, wipe
from soihtu.exchange.validation import MAX_ERRORS

Document = dict[str, Any]


@pytest.fixture
def document(world: World) -> Document:
    """The world exported, then the installation emptied: ready for an import."""
    exported = export_document()
    wipe()
    return exported


def _refused(raw: bytes) -> list[str]:
    before = snapshot()
    result = file_import(actor=None, raw=raw)
    assert result.errors, "the import should have been refused"
    assert snapshot() == before
    return result.errors


def test_the_unchanged_document_imports(document: Document) -> None:
    assert file_import(actor=None, raw=encode(document)).errors == []


def test_an_installation_with_data_is_refused(world: World) -> None:
    errors = _refused(encode(export_document()))
    assert errors == [
        "The import works only into an empty installation, and this one already has units, "
        "strategy themes, years or objectives. Nothing was imported."
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b'{"format": "soihtu-okr-export",\n  "version": 1,,\n}',
            "The file is not valid JSON: the first error is at line 2, column 16.",
        ),
        (b"", "The file is not valid JSON: the first error is at line 1, column 1."),
        (b'{"version": NaN}', "The file is not valid JSON."),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not valid JSON."),
        (
            b'{"format": "soihtu-okr-export", "name": "\xe4"}',
            "The file is not UTF-8 text (the first bad byte is at position 41).",
        ),
        (b"[]", "The document must be a JSON object."),
        (
            b'{"format": "viva-goals", "version": 1}',
            "This is not a Soihtu OKR export: “format” must be “soihtu-okr-export”.",
        ),
        (
            b'{"format": "soihtu-okr-export", "version": 2}',
            "Version 2 of the format is not supported; this installation reads version 1.",
        ),
        (
            b'{"format": "soihtu-okr-export", "version": "1"}',
            "Version 1 of the format is not supported; this installation reads version 1.",
        ),
    ],
)
def test_files_that_are_not_an_export_are_refused(db: None, raw: bytes, expected: str) -> None:
    assert _refused(raw) == [expected]


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """A change to one value of the document, by a path like `objectives[0].title`."""

    def change(document: Document) -> None:
        target: Any = document
        steps = path.replace("]", "").replace("[", ".").split(".")
        for step in steps[:-1]:
            target = target[int(step)] if step.isdigit() else target[step]
        last = steps[-1]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()


def _copy_id(key: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document[key][1]["id"] = document[key][0]["id"]

    return change


def _second_torchbearer(document: Document) -> None:
    first = next(m for m in document["memberships"] if m["role"] == "torchbearer")
    other = next(m for m in document["memberships"] if m["unit"] != first["unit"])
    other["unit"], other["role"] = first["unit"], "torchbearer"


def _child_first(document: Document) -> None:
    units = document["units"]
    units[0], units[1] = units[1], units[0]


def _two_roots(document: Document) -> None:
    document["units"][1]["parent"] = document["units"][5]["parent"] = None


def _declined(document: Document) -> None:
    document["proposals"] = [
        {"id": 1, "team": 4, "cycle": 1, "title": "Ehdotus", "status": "declined"}
    ]


CASES: list[tuple[Callable[[Document], None], str]] = [
    (_set("objectives[0].title", 5), "objectives[0].title: must be text"),
    (_set("objectives[0].title", " "), "objectives[0].title: must not be empty"),
    (_set("objectives[0].title", "x" * 201), "objectives[0].title: is longer than 200 characters"),
    (
        _set("objectives[0].description", "a\x00b"),
        "objectives[0].description: contains a NUL character, which cannot be stored",
    ),
    (
        _set("objectives[0].kind", "stretch"),
        "objectives[0].kind: must be one of: “committed”, “aspirational”",
    ),
    (_set("objectives[0].is_public", "yes"), "objectives[0].is_public: must be true or false"),
    (_set("objectives[0].version", 0), "objectives[0].version: must be between 1 and 2147483647"),
    (_set("objectives[0].version", True), "objectives[0].version: must be a whole number"),
    (
        _set("objectives[0].created_at", "2026-11-27T10:00:00"),
        "objectives[0].created_at: must be a date and time with a time zone, "
        "like 2026-11-27T08:00:00Z",
    ),
    (_set("objectives[0].cycle", 17), "objectives[0].cycle: unknown id 17 in cycles"),
    (_set("objectives[0].themes", [1, 1]), "objectives[0].themes: lists the same id twice"),
    (_set("objectives[0].themes", 1), "objectives[0].themes: must be a list of ids"),
    (
        _set("objectives[1].contributes_to", [99]),
        "objectives[1].contributes_to: unknown id 99 in cycles".replace("cycles", "objectives"),
    ),
    (_set("objectives[0].colour", "#fff"), "objectives[0].colour: is not a field of this object"),
    (_set("objectives[0].year", _DELETE), "objectives[0].year: is required"),
    (_set("objectives[0].year", None), "objectives[0].year: must not be null"),
    (
        _set("objectives[0].year", "1"),
        "objectives[0].year: must be the id of an object: a positive whole number",
    ),
    (_set("objectives", {}), "objectives: must be a list"),
    (_set("objectives[0]", []), "objectives[0]: must be an object"),
    (_set("organization", []), "organization: must be an object"),
    (_set("surveys", []), "surveys: is not a part of this format"),
    (_copy_id("units"), "units[1].id: the id 1 is also used by units[0]"),
    (_set("units[0].id", 0), "units[0].id: must be the id of an object: a positive whole number"),
    (
        _child_first,
        "units[0].parent: the parent unit (id 1) must come before its child in the list",
    ),
    (
        _two_roots,
        "units[5].parent: only one unit of each kind may be without a parent (see units[1])",
    ),
    (_second_torchbearer, "repeats the unit of memberships["),
    (_set("key_results[0].weight", 11), "key_results[0].weight: must be between 1 and 10"),
    (
        _set("key_results[0].target_value", "-1"),
        "key_results[0].target_value: an “increase to” key result needs a target above "
        "its start value",
    ),
    (
        _set("key_results[2].start_value", "0.5"),  # a milestone
        "key_results[2].start_value: a milestone has no start or target value: give 0 or "
        "leave it out",
    ),
    (
        _set("key_results[2].target_value", "10"),
        "key_results[2].target_value: a milestone has no start or target value: give 1 or "
        "leave it out",
    ),
    (
        _set("key_results[0].start_value", 12.34567),
        "key_results[0].start_value: has more than 4 decimals",
    ),
    (_set("key_results[0].start_value", "1e20"), "key_results[0].start_value: is too large"),
    (
        _set("key_results[0].start_value", "lots"),
        'key_results[0].start_value: must be a decimal number written as text, like "12.5"',
    ),
    (
        _set("key_results[0].start_value", True),
        'key_results[0].start_value: must be a decimal number written as text, like "12.5"',
    ),
    (_set("years[0].ends_on", "2025-12-31"), "years[0].ends_on: must be after starts_on"),
    (_set("years[0].starts_on", "1.1.2026"), "years[0].starts_on: must be a date like 2026-11-27"),
    (_set("cycles[1].name", "T2"), "cycles[1]: repeats the year, name of cycles[0]"),
    (_set("people[0].email", "not-an-address"), "people[0].email: is not an email address"),
    (
        _set("people[0].username", "has space"),
        "people[0].username: does not have the expected form",
    ),
    (_set("people[1].username", "admin_okr"), "people[1]: repeats the username of people[0]"),
    (
        _set("people[0].anonymized_at", "2026-01-01T00:00:00Z"),
        "people[0].username: an anonymized person carries no personal data",
    ),
    (_declined, "proposals[0].decline_reason: a declined proposal needs a reason"),
    (
        _set(
            "checkins",
            [
                {
                    "id": 1,
                    "key_result": 1,
                    "value": "1",
                    "confidence": 11,
                    "measured_on": "2026-11-01",
                }
            ],
        ),
        "checkins[0].confidence: must be between 0 and 10",
    ),
    (
        _set(
            "retrospectives",
            [
                {
                    "id": 1,
                    "team": 4,
                    "cycle": 1,
                    "objective_reviews": [{"objective": 2, "adjusted_score": "0.5"}],
                    "key_result_scores": [
                        {"key_result": 2, "adjusted_score": "1.5", "reason": "x"}
                    ],
                    "participants": [{"person": 2}, {"person": 2}],
                }
            ],
        ),
        "retrospectives[0].objective_reviews[0].adjust_reason: an adjusted score needs a reason",
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_a_wrong_value_is_refused_with_its_place(
    document: Document, change: Callable[[Document], None], expected: str
) -> None:
    changed = copy.deepcopy(document)
    change(changed)
    errors = _refused(encode(changed))
    assert any(expected in error for error in errors), errors


def test_retrospective_parts_are_checked(document: Document) -> None:
    changed = copy.deepcopy(document)
    _set(
        "retrospectives",
        [
            {
                "id": 1,
                "team": 4,
                "cycle": 1,
                "key_result_scores": [{"key_result": 2, "adjusted_score": "1.5", "reason": "x"}],
                "participants": [{"person": 2}, {"person": 2}],
            }
        ],
    )(changed)
    errors = _refused(encode(changed))
    assert errors == [
        "retrospectives[0].key_result_scores[0].adjusted_score: must be between 0.0 and 1.0",
        "retrospectives[0].participants[1]: repeats the person of "
        "retrospectives[0].participants[0]",
    ]


def test_unit_codes_are_unique(document: Document) -> None:
    changed = copy.deepcopy(document)
    changed["units"][1]["code"] = changed["units"][2]["code"] = "K-1"
    assert _refused(encode(changed)) == ["units[2]: repeats the code of units[1]"]


def test_two_people_meeting_one_existing_person_are_refused(document: Document) -> None:
    User.objects.create_user(username="existing", email="shared@example.org")
    changed = copy.deepcopy(document)
    changed["people"][0]["email"] = changed["people"][1]["email"] = "shared@example.org"
    assert _refused(encode(changed)) == ["people[1]: matches the same existing person as people[0]"]


def test_many_errors_are_cut_short(document: Document) -> None:
    changed = copy.deepcopy(document)
    changed["checkins"] = [{"id": n, "value": True} for n in range(1, 200)]
    errors = _refused(encode(changed))
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1] == f"… and more: only the first {MAX_ERRORS} errors are shown."


def test_the_first_refusal_stops_before_reading_further(document: Document) -> None:
    changed = copy.deepcopy(document)
    changed["version"] = 2
    changed["objectives"] = "not even a list"
    errors = _refused(encode(changed))
    assert len(errors) == 1
