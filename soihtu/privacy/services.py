"""Anonymizing a person who has left: their personal details go, their OKR history stays.

What happens to each kind of row that refers to the person is decided in ANONYMIZE_POLICY, one
line per model with a reason; a test fails when a model with a reference to a person has no
line, so a new app cannot be forgotten. Survey answers are never touched: they are anonymous by
design and cannot be linked to anyone.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AccessRecord, AuditEvent, SecurityEvent
from soihtu.audit.services import audit_record
from soihtu.comments.services import mentions_anonymize
from soihtu.privacy.selectors import person_references


class Treatment(StrEnum):
    KEEP = "keep"  # history: the row stays and shows "former employee"
    DELETE = "delete"  # only about the person, of no use to the teams once they have left


@dataclass(frozen=True)
class Rule:
    """What anonymizing does to a kind of row, and why. DELETE deletes the rows whose
    `delete_by` field is the person (rows pointing at them otherwise stay)."""

    treatment: Treatment
    reason: str
    delete_by: str = ""


def _keep(reason: str) -> Rule:
    return Rule(Treatment.KEEP, reason)


def _delete(reason: str, field: str) -> Rule:
    return Rule(Treatment.DELETE, reason, field)


ANONYMIZE_POLICY: dict[str, Rule] = {
    "accounts.signinsession": _delete("the person is signed out everywhere", "user"),
    "admin.logentry": _keep("history of the admin site; its texts are scrubbed"),
    "api.apitoken": _delete("a leaver's tokens must stop working", "created_by"),
    "audit.accessrecord": _keep("the access log is kept by law; the person's name is scrubbed"),
    "audit.auditevent": _keep("the audit trail; its texts and snapshots are scrubbed"),
    "audit.securityevent": _keep("the security log is kept; the person's username is scrubbed"),
    "checkins.checkin": _keep("the key results' history"),
    "comments.comment": _keep("the conversation on goals; kept as written, like notes"),
    "comments.commentmention": _keep("who was mentioned; their handles in the texts are replaced"),
    "cycles.teamcycle": _keep("who opened planning or activated the cycle"),
    "followup.followupmeeting": _keep("the team's meeting history"),
    "followup.reminderlog": _delete("emails sent to the person, of no use to a team", "user"),
    "hrimport.hrimport": _keep("who ran an import; the file's text is kept only until applied"),
    "ideas.idea": _keep("the team's ideas"),
    "ideas.ideastep": _keep("the ideas' history"),
    "learning.learning": _keep("the learning library"),
    "notifications.digestlog": _delete("the person's own digest log", "user"),
    "notifications.notification": _delete("the person's own notifications", "recipient"),
    "notifications.notificationpreference": _delete("the person's own settings", "user"),
    "notifications.teamwebhook": _keep("the team's webhook keeps working"),
    "okrs.keyresult": _keep("owned by a former employee until the team reassigns it"),
    "okrs.objective": _keep("the OKR history"),
    "organization.membership": _delete("a person who has left belongs to no unit", "user"),
    "planning.proposal": _keep("the planning history"),
    "planning.proposalauthor": _keep("the planning history"),
    "planning.proposalcomment": _keep("the planning discussion"),
    "planning.proposalsupport": _keep("the support counts of proposals"),
    "retrospectives.retrospective": _keep("the retrospective history"),
    "retrospectives.retrospectiveparticipant": _keep("participation counts"),
    "successes.success": _keep("the teams' successes"),
    "successes.thanks": _keep("the thanks counts"),
    "surveys.invitation": _keep("that an invitation was sent (a leaver gets no new ones)"),
    "surveys.respondent": _keep("the round's response rate; never linked to answers"),
    "surveys.surveyround": _keep("the survey history"),
    "vivagoals.vivaupload": _delete("an unfinished upload of the person's", "owner"),
}

# Values of these keys in an audit snapshot of the person's own row are cleared.
PERSONAL_KEYS = frozenset(
    {
        "username",
        "first_name",
        "last_name",
        "email",
        "employee_id",
        "password",
        "last_login",
        "oidc_issuer",
        "oidc_subject",
    }
)
MIN_SEARCHED = 3  # shorter texts are not searched for: they would match too much


def refusal(*, actor: User | None, person: User) -> str | None:
    """Why the person may not be anonymized now, in words the OKR office can act on; None
    when they may be."""
    if person.is_anonymized:
        return _("This person has already been anonymized.")
    if actor is not None and actor.pk == person.pk:
        return _("You cannot anonymize yourself.")
    if person.is_active:
        return _(
            "Only a person who has left is anonymized. Deactivate the person first (the HR "
            "import does it for people who have left), then come back here."
        )
    others = User.objects.filter(is_org_admin=True, is_active=True).exclude(pk=person.pk)
    if person.is_org_admin and not others.exists():
        return _("This person is the last OKR office member. Make someone else one first.")
    return None


def _label() -> str:
    """The stored stand-in for the person's name, in the organization's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("former employee")


def personal_strings(person: User) -> list[str]:
    """The texts that identify the person in free text, longest first: their name (both ways
    round), email, and username and employee id unless they are short or only digits (a
    number like 100001 could as well be a key result's value)."""
    found = {
        person.get_full_name(),
        f"{person.last_name} {person.first_name}".strip(),
        person.email,
    }
    found |= {
        code
        for code in (person.username, person.employee_id)
        if len(code) >= MIN_SEARCHED and not code.isdigit()
    }
    return sorted((s for s in found if len(s.strip()) >= MIN_SEARCHED), key=len, reverse=True)


def _replace(value: Any, needles: list[str], label: str) -> Any:
    """The value with every needle, as a whole word, replaced by the label, through JSON
    structures ("Ann" in "Annual plan" stays)."""
    if isinstance(value, dict):
        return {k: _replace(v, needles, label) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, needles, label) for v in value]
    if not isinstance(value, str):
        return value
    for needle in needles:
        pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.IGNORECASE)
        value = pattern.sub(lambda _match: label, value)
    return value


def _mentions(fields: list[str], needles: list[str]) -> Q:
    """Rows where any of the text fields contains a needle (as written, or JSON-escaped)."""
    condition = Q()
    for needle in needles:
        for form in {needle, json.dumps(needle)[1:-1]}:
            for name in fields:
                condition |= Q(**{f"{name}__icontains": form})
    return condition


def _scrub_audit_trail(person: User, needles: list[str], label: str) -> None:
    """Replace the person's details in the audit trail's texts and snapshots; clear them from
    the snapshots of their own row."""
    events = AuditEvent.objects.annotate(
        before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
    ).filter(
        Q(target_type=User._meta.model_name, target_id=person.pk)
        | _mentions(["target_repr", "before_text", "after_text"], needles)
    )
    for event in events.select_for_update(of=("self",)):
        if event.target_type == User._meta.model_name and event.target_id == person.pk:
            event.target_repr = label
            for snapshot in (event.before, event.after):
                if isinstance(snapshot, dict):
                    for key in PERSONAL_KEYS & set(snapshot):
                        snapshot[key] = None
        event.target_repr = _replace(event.target_repr, needles, label)[:255]
        event.before = _replace(event.before, needles, label)
        event.after = _replace(event.after, needles, label)
        event.save(update_fields=["target_repr", "before", "after"])


def _scrub_admin_log(person: User, needles: list[str], label: str) -> None:
    user_type = ContentType.objects.get_for_model(User)
    entries = LogEntry.objects.filter(
        Q(content_type=user_type, object_id=str(person.pk))
        | _mentions(["object_repr", "change_message"], needles)
    )
    for entry in entries:
        if entry.content_type_id == user_type.pk and entry.object_id == str(person.pk):
            entry.object_repr = label
        entry.object_repr = _replace(entry.object_repr, needles, label)[:200]
        entry.change_message = _replace(entry.change_message, needles, label)
        entry.save(update_fields=["object_repr", "change_message"])


def _delete_rows(person: User) -> None:
    """Delete the rows ANONYMIZE_POLICY says to delete, for the models that are installed."""
    for reference in person_references():
        rule = ANONYMIZE_POLICY.get(reference.label)
        if rule is not None and rule.treatment == Treatment.DELETE:
            reference.model._default_manager.filter(**{rule.delete_by: person}).delete()


def _scrub_security_logs(person: User, label: str) -> None:
    """The security events and the access log stay (who read what is kept by law), without the
    person's username or name."""
    SecurityEvent.objects.filter(Q(user=person) | Q(username__iexact=person.username)).update(
        username=label
    )
    AccessRecord.objects.filter(
        kind__in=[AccessRecord.Kind.PERSON, AccessRecord.Kind.PERSON_EXPORT], object_id=person.pk
    ).update(object_repr=label)


def _clear_profile(person: User) -> None:
    person.username = f"former-{secrets.token_hex(8)}"
    person.first_name = ""
    person.last_name = ""
    person.email = ""
    person.employee_id = ""
    person.oidc_issuer = ""  # the provider's subject is a pseudonym of the person
    person.oidc_subject = ""
    person.language = ""
    person.set_unusable_password()
    person.is_active = False
    person.is_org_admin = False
    person.is_staff = False
    person.is_superuser = False
    person.reminders_enabled = False
    person.last_login = None
    person.anonymized_at = timezone.now()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()


@transaction.atomic
def person_anonymize(*, actor: User | None, person: User) -> User:
    """Anonymize a person who has left, in one transaction (ValidationError, and nothing
    changes, when `refusal` gives a reason).

    Their name, email, username, employee id and password go, also from the audit trail and the
    admin log; their memberships, reminder log, API tokens and sessions are deleted; everything
    else they did stays and shows "former employee". The event recorded names no one.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    reason = refusal(actor=actor, person=person)
    if reason is not None:
        raise ValidationError(reason)
    needles = personal_strings(person)
    label = _label()
    _scrub_audit_trail(person, needles, label)
    _scrub_admin_log(person, needles, label)
    _scrub_security_logs(person, label)
    # Comments that mention the person by name say "former employee" instead.
    mentions_anonymize(person=person, label=label)
    _delete_rows(person)
    _clear_profile(person)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=person,
        before={"anonymized": False},
        after={"anonymized": True},
    )
    return person
