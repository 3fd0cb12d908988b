"""May this person import from Viva Goals, and open this upload? Views fetch through here only.

The import creates objectives in any unit, so it is for org admins (the OKR office) alone:
everyone else gets 403. An upload is its uploader's own: other admins, and anyone after a
day, get 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.organization.roles import Actor
from soihtu.vivagoals.models import VivaUpload


def require_importer(actor: Actor) -> None:
    """Org admins only; 403 for everyone else."""
    if not actor.is_org_admin:
        raise PermissionDenied


def get_upload_for_importer(actor: Actor, upload_id: int) -> VivaUpload:
    """The person's own upload of the last day: 403 for non-admins, else 404 when missing."""
    require_importer(actor)
    upload = (
        VivaUpload.objects.fresh()
        .select_related("unit", "year", "cycle__year")
        .filter(pk=upload_id, owner=actor.user)
        .first()
    )
    if upload is None:
        raise Http404
    return upload
