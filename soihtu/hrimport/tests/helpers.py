"""Assertions shared by the HR import tests."""

from __future__ import annotations

from typing import Any

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.services import hr_import_apply, hr_import_stage
from soihtu.organization.models import PATH_STEP, Membership, Unit


def db_state() -> dict[str, Any]:
    """Every row the import could change, to compare before and after a refusal."""
    return {
        "units": sorted(
            Unit.objects.values_list("id", "name", "code", "kind", "parent_id", "path", "depth")
        ),
        "users": sorted(
            User.objects.values_list(
                "id", "username", "first_name", "last_name", "email", "is_active", "employee_id"
            )
        ),
        "memberships": sorted(Membership.objects.values_list("id", "user_id", "unit_id", "role")),
        "audit_events": AuditEvent.objects.count(),
        "imports": HrImport.objects.filter(applied_at__isnull=False).count(),
    }


def assert_tree_consistent() -> None:
    """Every path is its parent's path plus one step, and depths match."""
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for unit in units.values():
        if unit.parent_id is None:
            assert len(unit.path) == PATH_STEP, unit
            assert unit.depth == 0, unit
            continue
        parent = units[unit.parent_id]
        assert unit.path.startswith(parent.path), (unit, unit.path, parent.path)
        assert len(unit.path) == len(parent.path) + PATH_STEP, unit
        assert unit.depth == parent.depth + 1, unit
    assert len({unit.path for unit in units.values()}) == len(units)


def import_as(actor: User, data: bytes) -> dict[str, int]:
    """Upload, preview and confirm, as the upload page does."""
    staged, plan = hr_import_stage(actor=actor, file_name="hr.csv", data=data)
    if staged is None:
        return {}
    return hr_import_apply(actor=actor, hr_import=staged, fingerprint=plan.diff.fingerprint)


def roles_of(user: User) -> dict[str, str]:
    """{unit name: role} of the person's memberships."""
    return dict(Membership.objects.filter(user=user).values_list("unit__name", "role"))
