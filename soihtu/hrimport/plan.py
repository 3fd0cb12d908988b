"""Comparing a valid HR file with the organization: the diff to preview and the writes to make.

Everything is read with a handful of queries (all units, the people with an employee id, their
memberships) and compared in memory, so the cost does not grow with the number of rows.

The rules (docs/hr-import.md):

- Units are linked by `Unit.code`; the file's root is the organization (the one unit without a
  parent). Units without a code were made in Soihtu and are never changed, though their paths
  follow when a unit above them moves. Units with a code that are not in the file stay as they
  are (listed for information).
- People are linked by `User.employee_id`; people without one are never touched.
- Among the units from HR (with a code), a listed person belongs exactly to the unit the file
  names: supervisor when flagged, otherwise member, keeping a torchbearer role given in Soihtu.
  Memberships in units made in Soihtu are theirs to keep.
- People with an employee id who are not in the file are deactivated and lose their memberships;
  the person running the import never is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.hrimport.diff import (
    PERSON_FIELDS,
    Diff,
    FieldChange,
    PersonCreated,
    PersonLeft,
    PersonMoved,
    PersonReturned,
    PersonUpdated,
    RoleChanged,
    UnitCreated,
    UnitMoved,
    UnitRenamed,
    UnitRetyped,
)
from soihtu.hrimport.parse import HrFile, HrFileError, PersonSpec, Problem
from soihtu.hrimport.tree import UnitNode, assign_paths
from soihtu.hrimport.usernames import UsernameAllocator
from soihtu.organization.models import Membership, Unit

Role = Membership.Role


@dataclass
class PersonRow:
    id: int
    username: str
    employee_id: str
    first_name: str
    last_name: str
    email: str
    is_active: bool
    is_anonymized: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass
class MembershipRow:
    id: int
    user_id: int
    unit_id: int
    role: str


@dataclass
class NewPerson:
    spec: PersonSpec
    username: str
    user: User | None = None  # set when written


@dataclass
class PersonChange:
    row: PersonRow
    values: dict[str, object]  # the new values of PERSON_FIELDS and is_active


@dataclass
class NewMembership:
    node: UnitNode
    role: str
    person_name: str
    user_id: int | None = None
    new_person: NewPerson | None = None


@dataclass
class RoleUpdate:
    membership: MembershipRow
    role: str
    person_name: str
    unit_name: str


@dataclass
class RemovedMembership:
    membership: MembershipRow
    person_name: str
    unit_name: str


@dataclass
class Plan:
    """The diff to show, and the writes that make it true."""

    diff: Diff
    nodes: list[UnitNode]
    new_people: list[NewPerson] = field(default_factory=list)
    person_changes: list[PersonChange] = field(default_factory=list)
    deactivate: list[PersonRow] = field(default_factory=list)
    memberships_removed: list[RemovedMembership] = field(default_factory=list)
    memberships_added: list[NewMembership] = field(default_factory=list)
    role_updates: list[RoleUpdate] = field(default_factory=list)


@dataclass
class State:
    units: list[Unit]
    people: dict[str, PersonRow]  # by employee id
    memberships: dict[int, list[MembershipRow]]  # by user id


def load_state() -> State:
    """Three queries: every unit, the people with an employee id, and their memberships."""
    units = list(Unit.objects.only("id", "name", "code", "kind", "parent_id", "path", "depth"))
    rows = User.objects.exclude(employee_id="").values_list(
        "id",
        "username",
        "employee_id",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "anonymized_at",
    )
    people = {
        employee_id: PersonRow(
            id=pk,
            username=username,
            employee_id=employee_id,
            first_name=first,
            last_name=last,
            email=email,
            is_active=active,
            is_anonymized=anonymized_at is not None,
        )
        for pk, username, employee_id, first, last, email, active, anonymized_at in rows
    }
    memberships: dict[int, list[MembershipRow]] = defaultdict(list)
    membership_rows = Membership.objects.exclude(user__employee_id="").values_list(
        "id", "user_id", "unit_id", "role"
    )
    for membership in membership_rows.order_by("id"):
        memberships[membership[1]].append(MembershipRow(*membership))
    return State(units=units, people=people, memberships=memberships)


def build_plan(hr_file: HrFile, *, actor: User | None) -> Plan:
    """The plan for this file against the organization now; HrFileError when the file, though
    valid on its own, does not fit the organization (listing every such problem)."""
    return _Planner(hr_file, load_state(), actor).plan()


class _Planner:
    def __init__(self, hr_file: HrFile, state: State, actor: User | None) -> None:
        self.file = hr_file
        self.state = state
        self.actor = actor
        self.problems: list[Problem] = []
        self.diff = Diff()
        self.nodes = [UnitNode.existing(unit) for unit in state.units]
        self.by_id = {node.old_id: node for node in self.nodes}
        self.by_code: dict[str, UnitNode] = {}
        self.plan_ = Plan(diff=self.diff, nodes=self.nodes)

    def plan(self) -> Plan:
        self._units()
        if not self.problems:
            self._people()
            self._leavers()
        if self.problems:
            raise HrFileError(self.problems)
        return self.plan_

    # Units

    def _units(self) -> None:
        self._link_units()
        if self.problems:
            return
        for code, spec in self.file.units.items():
            node = self.by_code[code]
            node.name = spec.name
            node.code = code
            node.parent = self.by_code[spec.parent_code] if spec.parent_code else None
            node.kind = self._kind(code)
        for node in self.nodes:
            if not node.in_file and node.old_parent_id is not None:
                node.parent = self.by_id[node.old_parent_id]
        for node in self.nodes:
            if node.parent is not None:
                node.parent.children.append(node)
        for problem_node in assign_paths(self.nodes):
            self.problems.append(Problem(self._line_above(problem_node), too_deep_message()))
        self._unit_diff()

    def _link_units(self) -> None:
        """Find each unit of the file in the organization (by code; the root is the root)."""
        coded = {node.code: node for node in self.nodes if node.code}
        root = next((node for node in self.nodes if node.old_parent_id is None), None)
        root_spec = self.file.units[self.file.root_code]
        if root is not None and root.code and root.code != root_spec.code:
            self.problems.append(Problem(root_spec.line, root_code_message(root.code)))
        holder = coded.get(root_spec.code)
        if holder is not None and holder is not root:
            self.problems.append(
                Problem(root_spec.line, code_taken_message(root_spec.code, holder.old_name))
            )
        for code in self.file.units:
            node = root if code == root_spec.code else coded.get(code)
            if node is None:
                node = UnitNode.new(code)
                self.nodes.append(node)
            node.in_file = True
            self.by_code[code] = node

    def _kind(self, code: str) -> str:
        parent = self.file.units[code].parent_code
        if not parent:
            return Unit.Kind.ORGANIZATION
        if parent == self.file.root_code:
            return Unit.Kind.DIVISION
        return Unit.Kind.UNIT if code in self.file.children else Unit.Kind.TEAM

    def _line_above(self, node: UnitNode) -> int | None:
        """The file line of the nearest unit of the file at or above `node`."""
        current: UnitNode | None = node
        while current is not None and not current.in_file:
            current = current.parent
        return self.file.units[current.code].line if current is not None else None

    def _unit_diff(self) -> None:
        diff = self.diff
        for node in sorted((n for n in self.nodes if n.in_file), key=lambda n: n.code):
            parent_name = node.parent.name if node.parent else ""
            if node.is_new:
                diff.units_created.append(UnitCreated(node.code, node.name, parent_name, node.kind))
                continue
            if node.old_code != node.code:
                diff.root_code = node.code
            if node.old_name != node.name:
                diff.units_renamed.append(UnitRenamed(node.code, node.old_name, node.name))
            if node.parent_changed:
                old_parent = self.by_id[node.old_parent_id].old_name if node.old_parent_id else ""
                diff.units_moved.append(UnitMoved(node.code, node.name, old_parent, parent_name))
            if node.old_kind != node.kind:
                diff.units_retyped.append(
                    UnitRetyped(node.code, node.name, node.old_kind, node.kind)
                )
        diff.units_not_in_file = sorted(n.old_name for n in self.nodes if n.code and not n.in_file)

    # People

    def _people(self) -> None:
        usernames = UsernameAllocator() if self._has_new_people() else None
        for spec in self.file.people:
            row = self.state.people.get(spec.employee_id)
            node = self.by_code[spec.unit_code]
            if row is None:
                assert usernames is not None
                self._new_person(spec, node, usernames)
            elif row.is_anonymized:
                self.problems.append(Problem(spec.line, anonymized_message(spec.employee_id)))
            else:
                self._existing_person(spec, row, node)
        self._sort_people_diff()

    def _has_new_people(self) -> bool:
        return any(spec.employee_id not in self.state.people for spec in self.file.people)

    def _new_person(self, spec: PersonSpec, node: UnitNode, usernames: UsernameAllocator) -> None:
        person = NewPerson(spec=spec, username=usernames.allocate(spec.email, spec.employee_id))
        role = Role.SUPERVISOR if spec.supervisor else Role.MEMBER
        self.plan_.new_people.append(person)
        self.plan_.memberships_added.append(
            NewMembership(node=node, role=role, person_name=spec.full_name, new_person=person)
        )
        self.diff.people_created.append(
            PersonCreated(spec.employee_id, spec.full_name, spec.email, node.name, role)
        )

    def _existing_person(self, spec: PersonSpec, row: PersonRow, node: UnitNode) -> None:
        changes = tuple(
            FieldChange(name, getattr(row, name), getattr(spec, name))
            for name in PERSON_FIELDS
            if getattr(row, name) != getattr(spec, name)
        )
        if changes:
            self.diff.people_updated.append(
                PersonUpdated(spec.employee_id, spec.full_name, changes)
            )
        if not row.is_active:
            self.diff.people_reactivated.append(PersonReturned(spec.employee_id, spec.full_name))
        if changes or not row.is_active:
            values: dict[str, object] = {name: getattr(spec, name) for name in PERSON_FIELDS}
            self.plan_.person_changes.append(PersonChange(row, {**values, "is_active": True}))
        self._placement(spec, row, node)

    def _placement(self, spec: PersonSpec, row: PersonRow, node: UnitNode) -> None:
        """The person's membership in their HR unit, and none in other units from HR."""
        memberships = self.state.memberships.get(row.id, [])
        in_hr_units = [m for m in memberships if self.by_id[m.unit_id].code]
        current = next(
            (m for m in in_hr_units if not node.is_new and m.unit_id == node.old_id), None
        )
        role = self._role(spec, current)
        name = spec.full_name
        for membership in in_hr_units:
            if membership is not current:
                unit_name = self.by_id[membership.unit_id].old_name
                self.plan_.memberships_removed.append(
                    RemovedMembership(membership, name, unit_name)
                )
        if current is None:
            self.plan_.memberships_added.append(
                NewMembership(node=node, role=role, person_name=name, user_id=row.id)
            )
        elif current.role != role:
            self.plan_.role_updates.append(RoleUpdate(current, role, name, node.old_name))
            self.diff.roles_changed.append(
                RoleChanged(spec.employee_id, name, node.name, current.role, role)
            )
        if current is None or len(in_hr_units) > 1:
            from_units = tuple(sorted(self.by_id[m.unit_id].old_name for m in in_hr_units))
            self.diff.people_moved.append(
                PersonMoved(spec.employee_id, name, from_units, node.name, role)
            )

    @staticmethod
    def _role(spec: PersonSpec, current: MembershipRow | None) -> str:
        if spec.supervisor:
            return Role.SUPERVISOR
        if current is not None and current.role == Role.TORCHBEARER:
            return Role.TORCHBEARER  # HR does not know torchbearers; the team chose this one
        return Role.MEMBER

    def _leavers(self) -> None:
        listed = {spec.employee_id for spec in self.file.people}
        for row in sorted(self.state.people.values(), key=_person_order):
            if row.employee_id in listed or not row.is_active or row.is_anonymized:
                continue
            if self.actor is not None and row.id == self.actor.pk:
                self.diff.actor_kept = True
                continue
            memberships = self.state.memberships.get(row.id, [])
            self.plan_.deactivate.append(row)
            for membership in memberships:
                unit_name = self.by_id[membership.unit_id].old_name
                self.plan_.memberships_removed.append(
                    RemovedMembership(membership, row.full_name, unit_name)
                )
            units = tuple(sorted(self.by_id[m.unit_id].old_name for m in memberships))
            self.diff.people_deactivated.append(PersonLeft(row.employee_id, row.full_name, units))

    def _sort_people_diff(self) -> None:
        diff = self.diff
        for items in (
            diff.people_created,
            diff.people_updated,
            diff.people_moved,
            diff.roles_changed,
            diff.people_reactivated,
        ):
            items.sort(key=lambda item: (item.name.lower(), item.employee_id))


def _person_order(row: PersonRow) -> tuple[str, str]:
    return (row.full_name.lower(), row.employee_id)


def root_code_message(code: str) -> str:
    return _(
        "the organization's unit code in Soihtu is %(code)s, but this unit without a parent "
        "has another code: is the file from another organization?"
    ) % {"code": code}


def code_taken_message(code: str, name: str) -> str:
    return _(
        "the unit code %(code)s belongs to the unit “%(name)s” in Soihtu, not to the "
        "organization itself"
    ) % {"code": code, "name": name}


def anonymized_message(employee_id: str) -> str:
    return _(
        "the employee id %(id)s belongs to a former employee whose data was anonymized; it "
        "cannot be used again"
    ) % {"id": employee_id}


def too_deep_message() -> str:
    return _(
        "with the units made in Soihtu below it, the unit tree would be deeper than Soihtu allows"
    )
