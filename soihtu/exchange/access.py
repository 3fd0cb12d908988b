"""Who may export and import the organization's OKR data.

The JSON export holds every person's name and email and every restricted objective, and the
import fills an empty installation: both are the OKR office's (org admins') alone. The CSV
exports list restricted objectives too, so they are org admins' as well. Everyone else gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from soihtu.organization.roles import Actor


def may_exchange(actor: Actor) -> bool:
    return actor.is_org_admin


def require_exchange(actor: Actor) -> None:
    """403 unless the person is an org admin."""
    if not may_exchange(actor):
        raise PermissionDenied
