from typing import Any

from django.http import HttpRequest

from soihtu.demo.access import demo_sign_in_enabled
from soihtu.organization.models import OrganizationSettings


def soihtu(request: HttpRequest) -> dict[str, Any]:
    """The organization's name and the demo flag, for the page header (lazily: one query)."""

    def org_name() -> str:
        org = OrganizationSettings.objects.only("name").first()
        return org.name if org else "Soihtu"

    return {"org_name": org_name, "demo_mode": demo_sign_in_enabled()}
