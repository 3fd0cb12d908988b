"""Who may see the public page and who may publish it. Views decide through here only.

The public page and its open data are for anyone, signed in or not, but only while the
organization publishes them: otherwise they answer 404, as if they did not exist. Org admins may
preview the page before publishing it. Only org admins change the settings.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from soihtu.organization.models import OrganizationSettings
from soihtu.organization.roles import Actor
from soihtu.transparency.selectors import organization_settings


def get_published_settings() -> OrganizationSettings:
    """The organization settings when the page is published, else 404."""
    settings = organization_settings()
    if settings is None or not settings.transparency_enabled:
        raise Http404
    return settings


def get_settings_for_page(request: HttpRequest) -> tuple[OrganizationSettings, bool]:
    """The settings and whether this is an org admin's preview of an unpublished page.

    Everyone else gets 404 while the page is not published. The signed-in person is looked up
    only then, so a published page never touches the visitor's session.
    """
    settings = organization_settings()
    if settings is not None and settings.transparency_enabled:
        return settings, False
    if settings is not None and getattr(request.user, "is_org_admin", False):
        return settings, True
    raise Http404


def require_org_admin(actor: Actor) -> None:
    """Publishing is the OKR office's decision: 403 for everyone else."""
    if not actor.is_org_admin:
        raise PermissionDenied
