import ipaddress
from contextlib import suppress
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User
from soihtu.audit.models import AccessRecord, AuditEvent, SecurityEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.core.admin_site import ReadOnlyAdmin


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records every admin create, update and delete in the audit trail."""

    audit_fields: list[str] = []

    def _objective_id(self, obj: Any) -> int | None:
        return None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        old = type(obj).objects.filter(pk=obj.pk).first() if change else None
        before = snapshot(old, self.audit_fields) if old else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            instance=obj,
            before=before,
            after=snapshot(obj, self.audit_fields),
            objective_id=self._objective_id(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEvent.Action.DELETE,
            instance=obj,
            before=snapshot(obj, self.audit_fields),
            after=None,
            objective_id=self._objective_id(obj),
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


class ReadOnlyLogAdmin(ReadOnlyAdmin):
    """A log the OKR office searches but nobody changes (entries go only by age)."""

    date_hierarchy = "at"
    list_select_related = ["user"]
    show_full_result_count = False  # counting two years of entries on every page is slow

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """Searches only what an index finds quickly over two years of entries (`search`)."""
        term = search_term.strip()
        return (self.search(queryset, term) if term else queryset), False

    def search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        return queryset.none()


def people_matching(term: str) -> list[int]:
    """Ids of the people a search term names: a username, a last name or a full name (the
    people table is small, so this is one quick query)."""
    first, _space, last = term.partition(" ")
    named = Q(username__iexact=term) | Q(last_name__iexact=term)
    if last:
        named |= Q(first_name__iexact=first, last_name__iexact=last)
    return list(User.objects.filter(named).values_list("pk", flat=True)[:50])


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyLogAdmin):
    """Searched by a person (username or name), a username someone tried, or an address."""

    list_display = ["at", "kind", "username", "user", "address", "status", "path"]
    list_filter = ["kind"]
    search_fields = ["username"]  # shows the search box; the search itself is below
    search_help_text = _("A username, a person's name or a client address.")

    def search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        found = Q(username=term) | Q(user_id__in=people_matching(term))
        with suppress(ValueError):
            found |= Q(address=str(ipaddress.ip_address(term)))
        return queryset.filter(found)


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyLogAdmin):
    """Searched by who read (username or name) or by the object's id; every search uses an
    index, so it stays quick over two years of entries."""

    list_display = ["at", "user", "kind", "object_repr", "object_id", "address"]
    list_filter = ["kind"]
    search_fields = ["object_repr"]  # shows the search box; the search itself is below
    search_help_text = _("A reader's username or name, or the id of the object read.")

    def search(self, queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
        if term.isdigit():
            return queryset.filter(object_id=int(term))
        return queryset.filter(user_id__in=people_matching(term))
