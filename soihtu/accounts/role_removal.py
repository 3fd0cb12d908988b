"""What follows when a person stops being an org admin (the OKR office role).

The role is removed in two places, the user admin and single sign-on's group claim, and what
the role gave must go with it in both. The apps that give org admins lasting powers register
here what to undo: the API revokes the service tokens the person created. Accounts sits below
those apps and cannot import them, so they register from their AppConfig.ready(); the rule
"the role's powers go with the role" stays in one function of theirs, called from both places.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from django.http import HttpRequest

from soihtu.accounts.models import User


class RemovedBy(StrEnum):
    """Where the role was removed: the reason recorded with what is undone."""

    ADMIN = "org_admin_removed_in_admin"
    SINGLE_SIGN_ON = "org_admin_removed_by_single_sign_on"


class Undo(Protocol):
    def __call__(
        self, *, user: User, actor: User | None, request: HttpRequest | None, reason: str
    ) -> object: ...


_UNDO: list[Undo] = []


def on_org_admin_removed(undo: Undo) -> None:
    """Have `undo` run whenever a person stops being an org admin (once, however often it is
    registered)."""
    if undo not in _UNDO:
        _UNDO.append(undo)


def org_admin_removed(
    *, user: User, actor: User | None, request: HttpRequest | None, reason: RemovedBy
) -> None:
    """Undo what the role gave `user`. Call it inside the transaction that removed the role,
    so that the role and its powers go together or not at all."""
    for undo in _UNDO:
        undo(user=user, actor=actor, request=request, reason=reason.value)
