"""What an HR import would change, as plain data: shown on the preview, printed by the command,
and fingerprinted so that confirming applies exactly what was previewed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from soihtu.accounts.models import User
from soihtu.organization.models import Membership, Unit

PERSON_FIELDS = ("first_name", "last_name", "email")
StrOrPromise = str | Promise


def role_label(role: str) -> str:
    return str(Membership.Role(role).label)


def kind_label(kind: str) -> str:
    return str(Unit.Kind(kind).label)


@dataclass(frozen=True)
class UnitCreated:
    code: str
    name: str
    parent: str  # the parent unit's name ("" for the organization)
    kind: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class UnitRenamed:
    code: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class UnitMoved:
    code: str
    name: str
    old_parent: str
    new_parent: str


@dataclass(frozen=True)
class UnitRetyped:
    code: str
    name: str
    old_kind: str
    new_kind: str

    @property
    def old_kind_label(self) -> str:
        return kind_label(self.old_kind)

    @property
    def new_kind_label(self) -> str:
        return kind_label(self.new_kind)


@dataclass(frozen=True)
class PersonCreated:
    employee_id: str
    name: str
    email: str
    unit: str
    role: str

    @property
    def role_label(self) -> str:
        return role_label(self.role)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(User._meta.get_field(self.field).verbose_name)  # type: ignore[union-attr]


@dataclass(frozen=True)
class PersonUpdated:
    employee_id: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class PersonMoved:
    employee_id: str
    name: str
    from_units: tuple[str, ...]  # HR units the person belongs to now (none: not placed yet)
    to_unit: str
    role: str

    @property
    def role_label(self) -> str:
        return role_label(self.role)


@dataclass(frozen=True)
class RoleChanged:
    employee_id: str
    name: str
    unit: str
    old_role: str
    new_role: str

    @property
    def old_role_label(self) -> str:
        return role_label(self.old_role)

    @property
    def new_role_label(self) -> str:
        return role_label(self.new_role)


@dataclass(frozen=True)
class PersonLeft:
    employee_id: str
    name: str
    units: tuple[str, ...]  # memberships removed


@dataclass(frozen=True)
class PersonReturned:
    employee_id: str
    name: str


@dataclass
class Diff:
    """The changes, each list sorted so that the same file and data give the same diff."""

    root_code: str = ""  # set when the organization unit gets its HR code
    units_created: list[UnitCreated] = field(default_factory=list)
    units_renamed: list[UnitRenamed] = field(default_factory=list)
    units_moved: list[UnitMoved] = field(default_factory=list)
    units_retyped: list[UnitRetyped] = field(default_factory=list)
    people_created: list[PersonCreated] = field(default_factory=list)
    people_updated: list[PersonUpdated] = field(default_factory=list)
    people_moved: list[PersonMoved] = field(default_factory=list)
    roles_changed: list[RoleChanged] = field(default_factory=list)
    people_deactivated: list[PersonLeft] = field(default_factory=list)
    people_reactivated: list[PersonReturned] = field(default_factory=list)
    # Information only, never written:
    units_not_in_file: list[str] = field(default_factory=list)
    actor_kept: bool = False  # the person importing is not in the file but stays active

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in COUNT_LABELS}

    @property
    def is_empty(self) -> bool:
        return not self.root_code and not any(self.counts().values())

    @property
    def fingerprint(self) -> str:
        """A hash of everything that would be written (not of the information)."""
        data = asdict(self)
        data.pop("units_not_in_file")
        data.pop("actor_kept")
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()


def count_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(key, label, count) for each kind of change, in the order the preview lists them."""
    return [(name, str(label), counts.get(name, 0)) for name, label in COUNT_LABELS.items()]


COUNT_LABELS: dict[str, StrOrPromise] = {
    "units_created": gettext_lazy("Units created"),
    "units_renamed": gettext_lazy("Units renamed"),
    "units_moved": gettext_lazy("Units moved under another unit"),
    "units_retyped": gettext_lazy("Units whose kind changes"),
    "people_created": gettext_lazy("People added"),
    "people_updated": gettext_lazy("People whose name or email changes"),
    "people_moved": gettext_lazy("People moved to another unit"),
    "roles_changed": gettext_lazy("Roles changed"),
    "people_deactivated": gettext_lazy("People deactivated (left)"),
    "people_reactivated": gettext_lazy("People reactivated (returned)"),
}
