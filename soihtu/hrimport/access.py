"""May this person import the HR file? Only org admins (the OKR office) may: the import
changes the whole organization. Views fetch staged imports through here only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.hrimport.models import HrImport
from soihtu.organization.roles import Actor


def require_importer(actor: Actor) -> None:
    """403 for everyone but org admins."""
    if not actor.is_org_admin:
        raise PermissionDenied


def get_import_for_importer(actor: Actor, import_id: int) -> HrImport:
    """A staged or applied import, for org admins only (403 for others, 404 if none)."""
    require_importer(actor)
    hr_import = (
        HrImport.objects.select_related("created_by", "applied_by").filter(pk=import_id).first()
    )
    if hr_import is None:
        raise Http404
    return hr_import
