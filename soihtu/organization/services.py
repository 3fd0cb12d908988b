"""Writes of the organization tree, memberships and strategy themes."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, audited_save, snapshot
from soihtu.organization.models import PATH_STEP, Membership, StrategyTheme, Unit

MEMBERSHIP_FIELDS = ["user", "unit", "role"]
THEME_FIELDS = [
    "order",
    "name_fi",
    "name_sv",
    "name_en",
    "description_fi",
    "description_sv",
    "description_en",
    "colour",
]


def next_child_path(parent: Unit | None) -> str:
    """The materialized path for a new child of `parent` (or for the root)."""
    prefix = parent.path if parent else ""
    siblings = Unit.objects.filter(parent=parent) if parent else Unit.objects.filter(depth=0)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = int(last[-PATH_STEP:], 36) + 1 if last else 1
    return prefix + _base36(number).rjust(PATH_STEP, "0")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


@transaction.atomic
def unit_create(*, name: str, kind: str, parent: Unit | None) -> Unit:
    """Add a unit under `parent` (None for the organization itself)."""
    path = next_child_path(parent)
    return Unit.objects.create(
        name=name, kind=kind, parent=parent, path=path, depth=len(path) // PATH_STEP - 1
    )


@transaction.atomic
def membership_set(*, actor: User | None, user: User, unit: Unit, role: str) -> Membership:
    """Make `user` a member of `unit` with `role` (creating or changing the membership)."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    before = snapshot(membership, MEMBERSHIP_FIELDS) if membership else None
    if membership is None:
        membership = Membership.objects.create(user=user, unit=unit, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        instance=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def membership_delete(*, actor: User | None, membership: Membership) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=membership,
        before=snapshot(membership, MEMBERSHIP_FIELDS),
        after=None,
    )
    membership.delete()


@transaction.atomic
def theme_save(*, actor: User | None, theme: StrategyTheme) -> StrategyTheme:
    """Create or update a strategy theme (the admin's form fills `theme`)."""
    old = StrategyTheme.objects.filter(pk=theme.pk).first() if theme.pk else None
    before = snapshot(old, THEME_FIELDS) if old else None
    audited_save(actor=actor, instance=theme, fields=THEME_FIELDS, before=before)
    return theme


@transaction.atomic
def theme_delete(*, actor: User | None, theme: StrategyTheme) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=theme,
        before=snapshot(theme, THEME_FIELDS),
        after=None,
    )
    theme.delete()
