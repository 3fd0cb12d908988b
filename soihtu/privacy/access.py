"""Who may see and act on a person's data: the OKR office (org admins) only.

Everyone else gets 403, also for people who do not exist, so the pages reveal nothing to them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.accounts.models import User
from soihtu.organization.roles import Actor


def require_org_admin(actor: Actor) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied


def get_person_for_admin(actor: Actor, person_id: int) -> User:
    """The person, for an org admin: 403 for everyone else, 404 when there is no such person."""
    require_org_admin(actor)
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person
