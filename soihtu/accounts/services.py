"""Writes to a person's own settings."""

from __future__ import annotations

from django.db import transaction

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the language the person chose, so that their emails follow it; audited."""
    person = User.objects.select_for_update().get(pk=user.pk)
    if person.language == language:
        return person
    before = snapshot(person, ["language"])
    person.language = language
    person.save(update_fields=["language"])
    audit_record(
        actor=person,
        action=AuditEvent.Action.UPDATE,
        instance=person,
        before=before,
        after=snapshot(person, ["language"]),
    )
    return person
