"""Writes of the transparency settings: whether the page is published, and which organization
objectives of a year are public. Transactional and audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.cycles.models import Year
from soihtu.organization.models import OrganizationSettings
from soihtu.transparency.selectors import publishable_candidates

DEFAULT_NAME = "Soihtu"  # the name the page header shows for an organization without settings


@transaction.atomic
def transparency_configure(
    *, actor: User, enabled: bool, year: Year, public_ids: Iterable[int]
) -> list[int]:
    """Publish the page or not, and mark public exactly the chosen candidates of the year
    (`publishable_candidates`; other ids are ignored). Only what changes is written and
    audited. Returns the ids of the objectives whose mark changed."""
    settings = OrganizationSettings.objects.select_for_update().first()
    if settings is None:
        settings = OrganizationSettings.objects.create(name=DEFAULT_NAME)
    if settings.transparency_enabled != enabled:
        before = snapshot(settings, ["transparency_enabled"])
        settings.transparency_enabled = enabled
        settings.save(update_fields=["transparency_enabled"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=settings,
            before=before,
            after=snapshot(settings, ["transparency_enabled"]),
        )
    chosen = set(public_ids)
    changed = []
    for objective in publishable_candidates(year).select_for_update(of=("self",)):
        public = objective.pk in chosen
        if objective.is_public == public:
            continue
        before = snapshot(objective, ["is_public"])
        objective.is_public = public
        # The version stays: the mark is not part of the objective's edit form, so an edit in
        # progress need not conflict with it.
        objective.save(update_fields=["is_public"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=objective,
            before=before,
            after=snapshot(objective, ["is_public"]),
            objective_id=objective.pk,
        )
        changed.append(objective.pk)
    return changed
