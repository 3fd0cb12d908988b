from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from soihtu.audit.models import AccessRecord, AuditEvent, SecurityEvent
from soihtu.audit.services import audit_record, snapshot


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
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A log the OKR office searches but nobody changes (entries go only by age)."""

    date_hierarchy = "at"
    list_select_related = ["user"]
    show_full_result_count = False  # counting two years of entries on every page is slow

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "kind", "username", "user", "address", "status", "path"]
    list_filter = ["kind"]
    # "=" matches exactly, so that a search uses the indexes: a username, an address.
    search_fields = ["=username", "=address", "=user__username", "user__last_name"]


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "user", "kind", "object_repr", "object_id", "address"]
    list_filter = ["kind"]
    search_fields = ["=user__username", "user__last_name", "=object_id", "object_repr"]
