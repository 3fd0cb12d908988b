from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class SoihtuAdminSite(admin.AdminSite):
    """Django admin for the OKR office: org admins may enter, nobody else."""

    site_header = "Soihtu"
    site_title = "Soihtu"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_org_admin", False))

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """Django's admin sign-in with the sign-in page's throttle (429 while waiting)."""
        # Imported here: this module is loaded before the apps' models are.
        from soihtu.accounts.forms import AdminSignInForm, is_throttled

        self.login_form = AdminSignInForm
        response = super().login(request, extra_context)
        if is_throttled(getattr(response, "context_data", {}).get("form")):
            response.status_code = 429
        return response


class SoihtuAdminConfig(AdminConfig):
    default_site = "soihtu.core.admin_site.SoihtuAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin page that lists and shows rows nobody may add, change or delete there: logs,
    counters and records that change only through their own services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
