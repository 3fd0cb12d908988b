from typing import Any

from django.contrib.auth.backends import ModelBackend


class OrgAdminBackend(ModelBackend):
    """Org admins (the OKR office) hold every model permission in the admin."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_org_admin", False):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_org_admin", False):
            return True
        return super().has_module_perms(user_obj, app_label)
