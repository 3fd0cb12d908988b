from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from soihtu.accounts.models import User


def password_login_enabled() -> bool:
    """Whether people may sign in with a username and password (SOIHTU_PASSWORD_LOGIN)."""
    return bool(settings.SOIHTU_PASSWORD_LOGIN)


class OrgAdminBackend(ModelBackend):
    """Password sign-in, and org admins (the OKR office) hold every model permission in the admin.

    With password sign-in turned off it refuses every password, whatever form sends one; it
    still restores sessions, such as the demo's one-click persona sign-in.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not password_login_enabled():
            return None
        return super().authenticate(request, username, password, **kwargs)

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not password_login_enabled():
            return None
        return await super().aauthenticate(request, username, password, **kwargs)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_org_admin", False):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if user_obj.is_active and getattr(user_obj, "is_org_admin", False):
            return True
        return super().has_module_perms(user_obj, app_label)
