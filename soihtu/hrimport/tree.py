"""The organization tree after an import, in memory: every unit's final parent, kind and
materialized path.

The paths follow the rules of soihtu.organization (PATH_STEP base-36 characters per level): a
unit that keeps its parent keeps its own step, so only moved units and the units below them
get new paths; a moved or new unit takes the next free step under its new parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from soihtu.organization.models import PATH_STEP, Unit

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_PATH = 255  # Unit.path's max_length


@dataclass(eq=False)
class UnitNode:
    """A unit as it is (`old_*`) and as it will be after the import."""

    unit: Unit  # the row; unsaved for a new unit until written
    is_new: bool
    old_id: int | None
    old_name: str
    old_code: str
    old_kind: str
    old_parent_id: int | None
    old_path: str
    name: str
    code: str
    kind: str
    parent: UnitNode | None = None
    path: str = ""
    in_file: bool = False
    children: list[UnitNode] = field(default_factory=list)

    @classmethod
    def existing(cls, unit: Unit) -> UnitNode:
        return cls(
            unit=unit,
            is_new=False,
            old_id=unit.pk,
            old_name=unit.name,
            old_code=unit.code,
            old_kind=unit.kind,
            old_parent_id=unit.parent_id,
            old_path=unit.path,
            name=unit.name,
            code=unit.code,
            kind=unit.kind,
        )

    @classmethod
    def new(cls, code: str) -> UnitNode:
        return cls(
            unit=Unit(code=code),
            is_new=True,
            old_id=None,
            old_name="",
            old_code="",
            old_kind="",
            old_parent_id=None,
            old_path="",
            name="",
            code=code,
            kind="",
        )

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP - 1

    @property
    def parent_changed(self) -> bool:
        new_parent_id = self.parent.old_id if self.parent is not None else None
        return (
            self.is_new
            or (self.parent is not None and self.parent.is_new)
            or (new_parent_id != self.old_parent_id)
        )

    @property
    def row_changed(self) -> bool:
        """An existing unit whose row must be written."""
        return not self.is_new and (
            self.path != self.old_path
            or self.parent_changed
            or (self.name, self.code, self.kind) != (self.old_name, self.old_code, self.old_kind)
        )


def step(number: int) -> str:
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = DIGITS[rest] + out
        if number == 0:
            return out.rjust(PATH_STEP, "0")


def assign_paths(nodes: list[UnitNode]) -> list[UnitNode]:
    """Give every node its final path (children lists and parents must be set); return the
    nodes whose path would be longer than a path can be."""
    roots = [node for node in nodes if node.parent is None]
    assert len(roots) == 1, "an organization has exactly one root"
    root = roots[0]
    root.path = root.old_path or step(1)
    too_deep: list[UnitNode] = []
    queue = [root]
    while queue:
        parent = queue.pop()
        for child, child_step in _child_steps(parent):
            child.path = parent.path + child_step
            if len(child.path) > MAX_PATH:
                too_deep.append(child)
                continue
            queue.append(child)
    return too_deep


def _child_steps(parent: UnitNode) -> list[tuple[UnitNode, str]]:
    kept = [(c, c.old_path[-PATH_STEP:]) for c in parent.children if not c.parent_changed]
    moved = sorted((c for c in parent.children if c.parent_changed), key=_order)
    last = max((int(s, 36) for _c, s in kept), default=0)
    return kept + [(child, step(last + i)) for i, child in enumerate(moved, start=1)]


def _order(node: UnitNode) -> tuple[str, str]:
    return (node.code, node.name)
