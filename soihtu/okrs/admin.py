from typing import Any

from django.contrib import admin

from soihtu.audit.admin import AuditedAdmin
from soihtu.okrs.models import KeyResult, Objective
from soihtu.okrs.services import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS


class KeyResultInline(admin.TabularInline):  # type: ignore[type-arg]
    model = KeyResult
    extra = 0
    fields = ["title", "kind", "start_value", "target_value", "unit_of_measure", "weight"]
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(AuditedAdmin):
    list_display = ["title", "owner_unit", "year", "cycle", "kind", "status", "visibility"]
    list_filter = ["year", "cycle", "kind", "status", "visibility", "themes"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["owner_unit", "contributes_to"]
    filter_horizontal = ["themes"]
    audit_fields = OBJECTIVE_FIELDS

    def _objective_id(self, obj: Any) -> int | None:
        return int(obj.pk) if obj.pk else None


@admin.register(KeyResult)
class KeyResultAdmin(AuditedAdmin):
    list_display = ["title", "objective", "kind", "target_value", "weight"]
    list_filter = ["kind"]
    search_fields = ["title"]
    autocomplete_fields = ["objective", "owner"]
    audit_fields = KEY_RESULT_FIELDS

    def _objective_id(self, obj: Any) -> int | None:
        return int(obj.objective_id)
