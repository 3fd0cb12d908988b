"""Reading an uploaded export: the JSON itself, then every object, field and reference.

Nothing is written here. The result is a `Plan`: the document's values converted to Python
(dates, decimals, ids), ready for the importer; or a `DocumentError` listing what is wrong,
each message starting with the place in the document, e.g.
`objectives[3].cycle: unknown id 17 in cycles` (list positions count from 0).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.exchange.schema import (
    FORMAT,
    LISTS,
    ORGANIZATION,
    PERSONAL_FIELDS,
    REQUIRED,
    TOP_LEVEL_KEYS,
    VERSION,
    Field,
    ListSpec,
    Nested,
    Type,
)
from soihtu.organization.models import PATH_STEP, Membership

MAX_ERRORS = 100
MAX_ID = 2**62
MAX_DEPTH = 255 // PATH_STEP  # Unit.path holds this many levels

Item = dict[str, Any]


class DocumentError(Exception):
    """The document cannot be imported; `errors` say why, in the reader's language."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class _TooManyErrorsError(Exception):
    pass


class _InvalidValueError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Plan:
    """A valid document, converted: what the importer writes."""

    organization: Item | None
    lists: dict[str, list[Item]]
    existing_people: dict[int, int] = field(default_factory=dict)  # document id -> user pk

    def counts(self) -> dict[str, int]:
        return {key: len(items) for key, items in self.lists.items()}


def _reject_constant(name: str) -> None:
    raise ValueError(name)


def parse_json(raw: bytes) -> Any:
    """The JSON value of an uploaded file, or a DocumentError saying where it breaks."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            [
                _("The file is not UTF-8 text (the first bad byte is at position %(position)s).")
                % {"position": error.start}
            ]
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise DocumentError(
            [
                _(
                    "The file is not valid JSON: the first error is at line %(line)s, "
                    "column %(column)s."
                )
                % {"line": error.lineno, "column": error.colno}
            ]
        ) from None
    except (ValueError, RecursionError):
        # NaN or Infinity, a number too long to read, or nesting too deep to follow.
        raise DocumentError([_("The file is not valid JSON.")]) from None


# --- one value ---------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string(spec: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise _InvalidValueError(_("must be text"))
    if "\x00" in value:
        raise _InvalidValueError(_("contains a NUL character, which cannot be stored"))
    if spec.max_length and len(value) > spec.max_length:
        raise _InvalidValueError(_("is longer than %(max)s characters") % {"max": spec.max_length})
    if not spec.blank and not value.strip():
        raise _InvalidValueError(_("must not be empty"))
    if spec.choices and value not in spec.choices:
        raise _InvalidValueError(_("must be one of: %(choices)s") % {"choices": _choices(spec)})
    if spec.pattern and value and not re.match(spec.pattern, value):
        raise _InvalidValueError(_("does not have the expected form"))
    return value


def _choices(spec: Field) -> str:
    return ", ".join(f"“{c}”" if c != "" else "“”" for c in spec.choices)


def _range(spec: Field, value: int | Decimal) -> None:
    low, high = spec.minimum, spec.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise _InvalidValueError(
            _("must be between %(min)s and %(max)s") % {"min": low, "max": high}
        )


def _integer(spec: Field, value: Any) -> int:
    if not _is_int(value):
        raise _InvalidValueError(_("must be a whole number"))
    if spec.choices and value not in spec.choices:
        raise _InvalidValueError(_("must be one of: %(choices)s") % {"choices": _choices(spec)})
    _range(spec, value)
    return int(value)


def _decimal(spec: Field, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _InvalidValueError(_('must be a decimal number written as text, like "12.5"'))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _InvalidValueError(
            _('must be a decimal number written as text, like "12.5"')
        ) from None
    if not number.is_finite():
        raise _InvalidValueError(_('must be a decimal number written as text, like "12.5"'))
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -spec.places:
        raise _InvalidValueError(_("has more than %(places)s decimals") % {"places": spec.places})
    if abs(number) >= Decimal(10) ** (spec.digits - spec.places):
        raise _InvalidValueError(_("is too large"))
    _range(spec, number)
    return number


def _date(value: Any) -> datetime.date:
    try:
        if isinstance(value, str) and len(value) == 10:
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise _InvalidValueError(_("must be a date like 2026-11-27"))


def _datetime(value: Any) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or len(value) < 19:
        raise _InvalidValueError(
            _("must be a date and time with a time zone, like 2026-11-27T08:00:00Z")
        )
    return moment


def _ref(value: Any) -> int:
    if not _is_int(value) or not 1 <= value <= MAX_ID:
        raise _InvalidValueError(_("must be the id of an object: a positive whole number"))
    return int(value)


def _refs(value: Any) -> list[int]:
    if not isinstance(value, list):
        raise _InvalidValueError(_("must be a list of ids"))
    ids = [_ref(v) for v in value]
    if len(set(ids)) != len(ids):
        raise _InvalidValueError(_("lists the same id twice"))
    return ids


def convert(spec: Field, value: Any) -> Any:
    """The Python value of one field, or _InvalidValueError with what is wrong."""
    if value is None:
        if spec.null:
            return None
        raise _InvalidValueError(_("must not be null"))
    match spec.type:
        case Type.ID | Type.REF:
            return _ref(value)
        case Type.STRING | Type.TEXT:
            return _string(spec, value)
        case Type.BOOLEAN:
            if not isinstance(value, bool):
                raise _InvalidValueError(_("must be true or false"))
            return value
        case Type.INTEGER:
            return _integer(spec, value)
        case Type.DECIMAL:
            return _decimal(spec, value)
        case Type.DATE:
            return _date(value)
        case Type.DATETIME:
            return _datetime(value)
        case Type.REFS:
            return _refs(value)
    return value  # Type.NUMBER is read-only and never converted


# --- the document ------------------------------------------------------------------------------


class _Validator:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.ids: dict[str, dict[int, str]] = {}  # list -> document id -> path of its object

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")
        if len(self.errors) >= MAX_ERRORS:
            raise _TooManyErrorsError

    def run(self, document: Any) -> Plan:
        if not isinstance(document, dict):
            raise DocumentError([_("The document must be a JSON object.")])
        self.header(document)
        for key in document:
            if key not in TOP_LEVEL_KEYS:
                self.error(key, _("is not a part of this format"))
        organization = self.organization(document.get("organization"))
        lists = {spec.key: self.items_of(spec, document.get(spec.key, [])) for spec in LISTS}
        for spec in LISTS:
            self.references(spec, lists[spec.key])
            self.unique(spec, lists[spec.key])
        _Rules(self, lists).check()
        return Plan(organization=organization, lists=lists)

    def header(self, document: dict[str, Any]) -> None:
        if document.get("format") != FORMAT:
            message = _("This is not a Soihtu OKR export: “format” must be “%(format)s”.")
            raise DocumentError([message % {"format": FORMAT}])
        version = document.get("version")
        if not _is_int(version) or version != VERSION:
            message = _(
                "Version %(version)s of the format is not supported; this installation reads "
                "version %(supported)s."
            )
            raise DocumentError([message % {"version": version, "supported": VERSION}])

    def organization(self, value: Any) -> Item | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error("organization", _("must be an object"))
            return None
        return self.fields("organization", ORGANIZATION, value)

    def fields(
        self,
        path: str,
        fields: tuple[Field, ...],
        value: dict[str, Any],
        nested: tuple[Nested, ...] = (),
    ) -> Item:
        known = {f.name for f in fields} | {n.key for n in nested}
        for key in value:
            if key not in known:
                self.error(f"{path}.{key}", _("is not a field of this object"))
        item: Item = {}
        for spec in fields:
            if spec.read_only:
                continue
            if spec.name not in value:
                if spec.default is REQUIRED:
                    self.error(f"{path}.{spec.name}", _("is required"))
                item[spec.name] = spec.default_value()
                continue
            try:
                item[spec.name] = convert(spec, value[spec.name])
            except _InvalidValueError as invalid:
                self.error(f"{path}.{spec.name}", invalid.message)
                item[spec.name] = None
        return item

    def items_of(self, spec: ListSpec, value: Any) -> list[Item]:
        ids = self.ids.setdefault(spec.key, {})
        if not isinstance(value, list):
            self.error(spec.key, _("must be a list"))
            return []
        items = []
        for index, raw in enumerate(value):
            path = f"{spec.key}[{index}]"
            if not isinstance(raw, dict):
                self.error(path, _("must be an object"))
                continue
            item = self.fields(path, spec.fields, raw, spec.nested)
            item["_path"] = path
            ident = item.get("id")
            if ident is not None:
                if ident in ids:
                    self.error(
                        f"{path}.id",
                        _("the id %(id)s is also used by %(path)s")
                        % {"id": ident, "path": ids[ident]},
                    )
                else:
                    ids[ident] = path
            for nested in spec.nested:
                item[nested.key] = self.nested(path, nested, raw.get(nested.key, []))
            items.append(item)
        return items

    def nested(self, path: str, spec: Nested, value: Any) -> list[Item]:
        path = f"{path}.{spec.key}"
        if not isinstance(value, list):
            self.error(path, _("must be a list"))
            return []
        items = []
        for index, raw in enumerate(value):
            if not isinstance(raw, dict):
                self.error(f"{path}[{index}]", _("must be an object"))
                continue
            item = self.fields(f"{path}[{index}]", spec.fields, raw)
            item["_path"] = f"{path}[{index}]"
            items.append(item)
        return items

    def references(self, spec: ListSpec, items: list[Item]) -> None:
        for item in items:
            self.item_references(item, spec.fields)
            for nested in spec.nested:
                for child in item[nested.key]:
                    self.item_references(child, nested.fields)

    def item_references(self, item: Item, fields: tuple[Field, ...]) -> None:
        for spec in fields:
            if spec.type == Type.REF and item.get(spec.name) is not None:
                values = [item[spec.name]]
            elif spec.type == Type.REFS and item.get(spec.name):
                values = item[spec.name]
            else:
                continue
            for value in values:
                if value not in self.ids[spec.target]:
                    self.error(
                        f"{item['_path']}.{spec.name}",
                        _("unknown id %(id)s in %(list)s") % {"id": value, "list": spec.target},
                    )

    def unique(self, spec: ListSpec, items: list[Item]) -> None:
        for names in spec.unique:
            self.unique_among(items, names)
        for nested in spec.nested:
            if nested.unique:
                for item in items:
                    self.unique_among(item[nested.key], nested.unique)

    def unique_among(self, items: list[Item], names: tuple[str, ...]) -> None:
        """At most one object with the same values (empty values are never the same)."""
        seen: dict[tuple[Any, ...], str] = {}
        for item in items:
            key = tuple(item.get(name) for name in names)
            if any(v is None or v == "" for v in key):
                continue
            if key in seen:
                self.error(
                    item["_path"],
                    _("repeats the %(fields)s of %(path)s")
                    % {"fields": ", ".join(names), "path": seen[key]},
                )
            else:
                seen[key] = item["_path"]


class _Rules:
    """What the models' constraints and the product's rules ask beyond single fields."""

    def __init__(self, validator: _Validator, lists: dict[str, list[Item]]) -> None:
        self.v = validator
        self.lists = lists

    def check(self) -> None:
        self.people()
        self.units()
        self.torchbearers()
        self.periods("years")
        self.periods("cycles")
        self.key_results()
        self.reviews()
        self.proposals()
        self.comments()

    def people(self) -> None:
        for item in self.lists["people"]:
            path = item["_path"]
            if item.get("anonymized_at") is not None:
                for name in PERSONAL_FIELDS:
                    if item.get(name):
                        self.v.error(
                            f"{path}.{name}", _("an anonymized person carries no personal data")
                        )
            elif not item.get("username"):
                self.v.error(f"{path}.username", _("is required"))
            email = item.get("email")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.v.error(f"{path}.email", _("is not an email address"))
        self.v.unique_among(self.lists["people"], ("username",))
        self.v.unique_among(self.lists["people"], ("employee_id",))

    def units(self) -> None:
        seen: dict[int, int] = {}  # id -> depth
        roots: dict[str, str] = {}
        for item in self.lists["units"]:
            parent = item.get("parent")
            path = item["_path"]
            if parent is None:
                if item["kind"] in roots:
                    message = _("only one unit of each kind may be without a parent (see %(path)s)")
                    self.v.error(f"{path}.parent", message % {"path": roots[item["kind"]]})
                roots.setdefault(item["kind"], path)
                depth = 1
            elif parent not in seen:
                if parent in self.v.ids["units"]:
                    message = _(
                        "the parent unit (id %(id)s) must come before its child in the list"
                    )
                    self.v.error(f"{path}.parent", message % {"id": parent})
                continue
            else:
                depth = seen[parent] + 1
            if depth > MAX_DEPTH:
                message = _("the unit tree is deeper than %(max)s levels")
                self.v.error(path, message % {"max": MAX_DEPTH})
            if item.get("id") is not None:
                seen[item["id"]] = depth
        self.v.unique_among(self.lists["units"], ("code",))

    def torchbearers(self) -> None:
        torchbearers = [
            m for m in self.lists["memberships"] if m.get("role") == Membership.Role.TORCHBEARER
        ]
        self.v.unique_among(torchbearers, ("unit",))

    def periods(self, key: str) -> None:
        for item in self.lists[key]:
            starts, ends = item.get("starts_on"), item.get("ends_on")
            if starts and ends and ends <= starts:
                self.v.error(f"{item['_path']}.ends_on", _("must be after starts_on"))

    def key_results(self) -> None:
        for item in self.lists["key_results"]:
            start, target = item.get("start_value"), item.get("target_value")
            if item.get("kind") == "milestone":
                self.milestone(item)
            if start is None or target is None:
                continue
            if item.get("kind") == "increase" and not target > start:
                message = _("an “increase to” key result needs a target above its start value")
                self.v.error(f"{item['_path']}.target_value", message)
            if item.get("kind") == "decrease" and not target < start:
                message = _("a “decrease to” key result needs a target below its start value")
                self.v.error(f"{item['_path']}.target_value", message)

    def milestone(self, item: Item) -> None:
        """A milestone has no start or target: its columns hold 0 and 1 (not done, done)."""
        for name, stored in [("start_value", Decimal(0)), ("target_value", Decimal(1))]:
            if item.get(name) not in (None, stored):
                message = _(
                    "a milestone has no start or target value: give %(value)s or leave it out"
                )
                self.v.error(f"{item['_path']}.{name}", message % {"value": stored})

    def reviews(self) -> None:
        for retrospective in self.lists["retrospectives"]:
            for review in retrospective["objective_reviews"]:
                if review.get("adjusted_score") is not None and not review.get("adjust_reason"):
                    message = _("an adjusted score needs a reason")
                    self.v.error(f"{review['_path']}.adjust_reason", message)

    def proposals(self) -> None:
        for item in self.lists["proposals"]:
            if item.get("status") == "declined" and not (item.get("decline_reason") or "").strip():
                message = _("a declined proposal needs a reason")
                self.v.error(f"{item['_path']}.decline_reason", message)

    def comments(self) -> None:
        """On exactly one target; a reply answers a top-level comment on the same target."""
        items = self.lists["comments"]
        by_id = {item["id"]: item for item in items if item.get("id") is not None}
        for item in items:
            path = item["_path"]
            targets = [item.get(name) for name in COMMENT_TARGETS]
            if sum(value is not None for value in targets) != 1:
                message = _("a comment is on exactly one of objective, key_result and checkin")
                self.v.error(path, message)
            parent = by_id.get(item.get("parent"))
            if parent is not None:
                same = all(parent.get(name) == item.get(name) for name in COMMENT_TARGETS)
                if parent.get("parent") is not None or not same:
                    message = _(
                        "a reply answers a comment on the same target that is not a reply itself"
                    )
                    self.v.error(f"{path}.parent", message)
            if item.get("deleted_at") is None and not (item.get("body") or "").strip():
                self.v.error(f"{path}.body", _("only a deleted comment is without a body"))


COMMENT_TARGETS = ("objective", "key_result", "checkin")


def match_people(plan: Plan) -> list[str]:
    """Map the document's people to existing users (same employee id, else same email, else
    same username): one query. Errors when two people of the document meet the same user."""
    by_employee: dict[str, int] = {}
    by_email: dict[str, int] = {}
    by_username: dict[str, int] = {}
    for user_pk, username, email, employee_id in User.objects.values_list(
        "pk", "username", "email", "employee_id"
    ):
        if employee_id:
            by_employee[employee_id] = user_pk
        if email:
            by_email.setdefault(email.lower(), user_pk)
        by_username[username] = user_pk
    claimed: dict[int, str] = {}
    errors = []
    for item in plan.lists["people"]:
        if item.get("anonymized_at") is not None:
            continue
        pk = (
            by_employee.get(item["employee_id"])
            or by_email.get(item["email"].lower())
            or by_username.get(item["username"])
        )
        if pk is None:
            continue
        if pk in claimed:
            message = _("matches the same existing person as %(path)s")
            errors.append(f"{item['_path']}: {message % {'path': claimed[pk]}}")
            continue
        claimed[pk] = item["_path"]
        plan.existing_people[item["id"]] = pk
    return errors


def validate_document(document: Any) -> Plan:
    """Check the whole document; a Plan when it can be imported, else DocumentError."""
    validator = _Validator()
    try:
        plan = validator.run(document)
    except _TooManyErrorsError:
        validator.errors.append(
            _("… and more: only the first %(max)s errors are shown.") % {"max": MAX_ERRORS}
        )
    if validator.errors:
        raise DocumentError(validator.errors)
    errors = match_people(plan)
    if errors:
        raise DocumentError(errors)
    return plan
