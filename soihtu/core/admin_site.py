from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SoihtuAdminSite(admin.AdminSite):
    """Django admin for the OKR office: org admins may enter, nobody else."""

    site_header = "Soihtu"
    site_title = "Soihtu"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_org_admin", False))


class SoihtuAdminConfig(AdminConfig):
    default_site = "soihtu.core.admin_site.SoihtuAdminSite"
