from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from soihtu.audit.admin import AuditedAdmin
from soihtu.organization.models import (
    PATH_STEP,
    Membership,
    OrganizationSettings,
    StrategyTheme,
    Unit,
)
from soihtu.organization.services import MEMBERSHIP_FIELDS, THEME_FIELDS, next_child_path


@admin.register(OrganizationSettings)
class OrganizationSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "languages", "default_cycle_months", "year_start_month"]


@admin.register(StrategyTheme)
class StrategyThemeAdmin(AuditedAdmin):
    list_display = ["name_fi", "name_sv", "name_en", "order", "colour"]
    audit_fields = THEME_FIELDS


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving a unit would need its whole subtree re-pathed: not done from the admin.
        return ["parent"] if obj else []

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if not change:
            obj.path = next_child_path(obj.parent)
            obj.depth = len(obj.path) // PATH_STEP - 1
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    audit_fields = MEMBERSHIP_FIELDS
