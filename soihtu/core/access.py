"""Who may change the site-wide pages: the OKR office (org admins) only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from soihtu.accounts.models import User


def require_org_admin(request: HttpRequest) -> User:
    """The signed-in org admin of the request; 403 for everyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_org_admin:
        raise PermissionDenied
    return user
