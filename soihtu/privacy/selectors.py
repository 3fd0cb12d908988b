"""Everything Soihtu holds about a person, found by walking every installed model.

Each model with a foreign key (or many-to-many) to the user model is covered automatically, so
an app added later is part of the export without a change here. A few columns are never exported
(`_secret`: password hashes and token digests; OMITTED: columns that describe other rows and can
name other people), and references to other people are left out.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User

PAGE_SIZE = 25
SEARCH_TERMS = 5
EXPORT_FORMAT = "soihtu-person-export/1"

# What each kind of row means for the person, on the person page and in the export. Kinds not
# named here (an app added later) use their model's plural name.
KIND_LABELS: dict[str, Promise] = {
    "organization.membership": _("Memberships in units"),
    "okrs.objective": _("Objectives created"),
    "okrs.keyresult": _("Key results owned"),
    "checkins.checkin": _("Check-ins"),
    "comments.comment": _("Comments on objectives, key results and check-ins"),
    "comments.commentmention": _("Mentions in comments"),
    "cycles.teamcycle": _("Team cycles whose planning they opened or that they activated"),
    "planning.proposal": _("Proposals made or decided"),
    "planning.proposalauthor": _("Proposals they are an author of"),
    "planning.proposalcomment": _("Comments on proposals"),
    "planning.proposalsupport": _("Supports for proposals"),
    "followup.reminderlog": _("Reminder emails"),
    "followup.followupmeeting": _("Follow-up meetings held"),
    "retrospectives.retrospective": _("Retrospectives started or completed"),
    "retrospectives.retrospectiveparticipant": _("Retrospectives taken part in"),
    "learning.learning": _("Learnings"),
    "successes.success": _("Successes shared"),
    "successes.thanks": _("Thanks given"),
    "ideas.idea": _("Ideas recorded"),
    "ideas.ideastep": _("Idea steps"),
    "surveys.surveyround": _("Survey rounds created"),
    "surveys.respondent": _("Survey rounds answered (never the answers)"),
    "surveys.invitation": _("Survey invitations"),
    "audit.auditevent": _("Changes in the audit trail"),
    "admin.logentry": _("Changes in the admin site"),
    "api.apitoken": _("API tokens"),
    "hrimport.hrimport": _("HR imports uploaded or applied"),
    "notifications.teamwebhook": _("Team webhooks added"),
    "notifications.notification": _("Notifications received"),
    "notifications.notificationpreference": _("Notification settings"),
    "notifications.digestlog": _("Daily notification digests sent"),
    "vivagoals.vivaupload": _("Viva Goals uploads"),
}

# Columns that describe another row, not the person, and may name other people (the audit
# trail's snapshot of a membership names its member): the export gives the changed field names.
OMITTED: dict[str, frozenset[str]] = {
    "audit.auditevent": frozenset({"target_repr", "before", "after"}),
    "admin.logentry": frozenset({"object_repr", "change_message"}),
    # Files uploaded for import hold everybody's data; a webhook's address holds its key.
    "hrimport.hrimport": frozenset({"content"}),
    "vivagoals.vivaupload": frozenset({"content", "columns"}),
    "notifications.teamwebhook": frozenset({"url"}),
}

# Models whose rows are a person's only through some of their references to people: a
# notification is its recipient's; the person who caused it (`actor`) would otherwise get
# everyone's notifications about what they did (a survey round opened for thousands).
BELONGS_BY: dict[str, tuple[str, ...]] = {"notifications.notification": ("recipient",)}

# Models with a reference to a person that the export leaves out on purpose, with the reason.
EXPORT_EXCLUDED: dict[str, str] = {}

# Related rows whose name is shown next to their id in the export, to make it readable. Only
# models whose name is never a person's.
LABELLED = frozenset(
    {
        "organization.unit",
        "organization.strategytheme",
        "okrs.objective",
        "okrs.keyresult",
        "surveys.surveyround",
        "planning.proposal",
        "successes.success",
        "ideas.idea",
    }
)

_SECRET = re.compile(r"password|hash|secret|digest|^token$|^key$")


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def kind_label(model: type[models.Model]) -> str:
    return str(KIND_LABELS.get(label_of(model), model._meta.verbose_name_plural))


def refers_to_person(field: Any) -> bool:
    """A field of the model itself (not a reverse relation) that points at the user model."""
    if field.related_model is not User:
        return False
    if isinstance(field, models.ManyToManyField):
        return True
    return bool(field.concrete and (field.many_to_one or field.one_to_one))


@dataclass(frozen=True)
class Reference:
    """A model and its fields that point at a person."""

    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return label_of(self.model)


def person_references() -> list[Reference]:
    """Every installed model with a foreign key, one-to-one or many-to-many to the user model,
    in a stable order (the user model's own groups and permissions are the person's row)."""
    found = []
    for model in apps.get_models():
        if model is User:
            continue
        names = tuple(field.name for field in model._meta.get_fields() if refers_to_person(field))
        names = BELONGS_BY.get(label_of(model), names)
        if names:
            found.append(Reference(model, names))
    return sorted(found, key=lambda ref: ref.label)


def _extra(reference: Reference, person_id: int | OuterRef) -> Q:
    """Rows about the person that point at them by other means than a foreign key."""
    if reference.label == "audit.auditevent":
        return Q(target_type=User._meta.model_name, target_id=person_id)
    return Q()


def _rows_about(reference: Reference, person_id: int | OuterRef) -> Q:
    condition = Q()
    for name in reference.fields:
        condition |= Q(**{name: person_id})
    extra = _extra(reference, person_id)
    return condition | extra if extra else condition


def person_rows(reference: Reference, person_id: int) -> QuerySet[models.Model]:
    return reference.model._default_manager.filter(_rows_about(reference, person_id)).distinct()


@dataclass
class Holding:
    label: str
    count: int


def holdings(person: User) -> list[Holding]:
    """How many rows of each kind refer to the person, kinds with none left out: one query."""
    references = [r for r in person_references() if r.label not in EXPORT_EXCLUDED]
    counts: dict[str, Subquery | Coalesce] = {}
    for index, reference in enumerate(references):
        rows = (
            reference.model._default_manager.filter(_rows_about(reference, OuterRef("pk")))
            .order_by()
            .annotate(one=models.Value(1))
            .values("one")
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        counts[f"kind_{index}"] = Coalesce(Subquery(rows, output_field=IntegerField()), 0)
    if not counts:
        return []
    values = User.objects.filter(pk=person.pk).annotate(**counts).values_list(*counts).get()
    found = [
        Holding(kind_label(reference.model), int(count))
        for reference, count in zip(references, values, strict=True)
        if count
    ]
    return sorted(found, key=lambda holding: holding.label)


def search_people(query: str, page_number: str | int | None) -> Page[User]:
    """People whose name, email, username or employee id contains every word of the query,
    ordered by name, a page at a time: two queries."""
    people = User.objects.all()
    for term in query.split()[:SEARCH_TERMS]:
        people = people.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(username__icontains=term)
            | Q(employee_id__icontains=term)
        )
    return Paginator(people.order_by("last_name", "first_name", "id"), PAGE_SIZE).get_page(
        page_number
    )


PROFILE_FIELDS = [
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "employee_id",
    "is_active",
    "is_org_admin",
    "reminders_enabled",
    "date_joined",
    "last_login",
    "anonymized_at",
]


def _value(value: Any) -> Any:
    """A column's value as JSON: dates as ISO text, decimals and UUIDs as text; secrets in a
    JSON column's keys are left out."""
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items() if not _SECRET.search(str(k))}
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _serialize(row: models.Model, reference: Reference, person_id: int) -> dict[str, Any]:
    """One row as JSON: its columns, except secrets and OMITTED ones; references to the person
    as their id, to anyone else as null; readable names of LABELLED related rows."""
    omitted = OMITTED.get(reference.label, frozenset())
    data: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.name in omitted or _SECRET.search(field.name):
            continue
        if field.is_relation:
            related_id = getattr(row, field.attname)
            if field.related_model is User:
                related_id = related_id if related_id == person_id else None
            data[field.name] = _value(related_id)
            related = field.related_model
            if related is not None and related is not User and label_of(related) in LABELLED:
                target = getattr(row, field.name)
                data[f"{field.name}_label"] = None if target is None else str(target)
        else:
            data[field.name] = _value(getattr(row, field.attname))
    data["refers_to_person_as"] = [
        name for name in reference.fields if _refers(row, name, person_id)
    ] or ["subject"]
    return data


def _refers(row: models.Model, name: str, person_id: int) -> bool:
    field = row._meta.get_field(name)
    if field.many_to_many:
        return any(user.pk == person_id for user in getattr(row, name).all())
    return bool(getattr(row, f"{name}_id") == person_id)


def _audit_details(row: models.Model, data: dict[str, Any], person_id: int) -> None:
    """An audit event gives the names of the changed fields; an event about the person's own
    row (their profile) gives the values too."""
    before = getattr(row, "before", None) or {}
    after = getattr(row, "after", None) or {}
    data["changed_fields"] = sorted(k for k in set(before) | set(after) if not _SECRET.search(k))
    about_person = (
        getattr(row, "target_type", "") == User._meta.model_name
        and getattr(row, "target_id", None) == person_id
    )
    if about_person:
        data["before"] = _value(before) if before else None
        data["after"] = _value(after) if after else None


def _comment_details(row: models.Model, data: dict[str, Any], person_id: int) -> None:
    """A comment: the title of what it is on (a check-in's key result)."""
    data["target_title"] = getattr(row, "target_title", None)


def _mention_details(row: models.Model, data: dict[str, Any], person_id: int) -> None:
    """Where the person was mentioned: what the comment is on and when, not its words (they
    are someone else's)."""
    comment = getattr(row, "comment", None)
    data["comment_target_title"] = getattr(comment, "target_title", None)
    data["comment_created_at"] = _value(getattr(comment, "created_at", None))


DETAILS: dict[str, Callable[[models.Model, dict[str, Any], int], None]] = {
    "audit.auditevent": _audit_details,
    "comments.comment": _comment_details,
    "comments.commentmention": _mention_details,
}
# Relations the DETAILS above read, loaded with the rows (one query per kind of row).
DETAIL_RELATED: dict[str, tuple[str, ...]] = {
    "comments.comment": ("checkin__key_result",),
    "comments.commentmention": (
        "comment__objective",
        "comment__key_result",
        "comment__checkin__key_result",
    ),
}


def _export_rows(reference: Reference, person: User) -> list[dict[str, Any]]:
    model = reference.model
    labelled = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model is not None
        and not f.many_to_many
        and label_of(f.related_model) in LABELLED
    ]
    rows = person_rows(reference, person.pk).order_by("pk")
    related = [*labelled, *DETAIL_RELATED.get(reference.label, ())]
    if related:
        rows = rows.select_related(*related)
    m2m = [name for name in reference.fields if model._meta.get_field(name).many_to_many]
    if m2m:
        rows = rows.prefetch_related(*m2m)
    exported = []
    for row in rows:
        data = _serialize(row, reference, person.pk)
        details = DETAILS.get(reference.label)
        if details is not None:
            details(row, data, person.pk)
        exported.append(data)
    return exported


def person_export(person: User) -> dict[str, Any]:
    """Everything Soihtu holds about the person, as JSON-able data (docs/privacy.md): their
    profile, and every row of every model that refers to them. One query per kind of row."""
    records: dict[str, Any] = {}
    for reference in person_references():
        if reference.label in EXPORT_EXCLUDED:
            continue
        records[reference.label] = {
            "kind": kind_label(reference.model),
            "fields_referring_to_person": list(reference.fields),
            "rows": _export_rows(reference, person),
        }
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person": {name: _value(getattr(person, name)) for name in PROFILE_FIELDS},
        "groups": sorted(person.groups.values_list("name", flat=True)),
        "records": records,
    }
