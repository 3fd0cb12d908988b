from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from soihtu.accounts.models import User


@admin.register(User)
class SoihtuUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "email", "is_org_admin", "is_active"]
    list_filter = ["is_org_admin", "is_active"]
    fieldsets = [
        *(UserAdmin.fieldsets or []),
        ("Soihtu", {"fields": ["is_org_admin"]}),
    ]
