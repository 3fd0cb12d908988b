from functools import cache
from typing import Any

from django.http import HttpRequest

from soihtu.demo.access import demo_sign_in_enabled
from soihtu.notifications.inbox import unread_count
from soihtu.organization.models import OrganizationSettings


def soihtu(request: HttpRequest) -> dict[str, Any]:
    """The organization's name, the demo flag and the bell's unread count, for the page header
    (lazily: one query each, and only on pages that show them)."""

    def org_name() -> str:
        org = OrganizationSettings.objects.only("name").first()
        return org.name if org else "Soihtu"

    @cache
    def unread_notifications() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {
        "org_name": org_name,
        "demo_mode": demo_sign_in_enabled(),
        "unread_notifications": unread_notifications,
    }
