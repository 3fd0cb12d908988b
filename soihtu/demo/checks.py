"""`manage.py check --deploy`: demo mode has no place under production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_in_production(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """SOIHTU_DEMO with SOIHTU_ENV=production is an error (the persona sign-in stays off)."""
    if settings.PRODUCTION and settings.DEMO_MODE:
        return [
            checks.Error(
                "Demo mode (SOIHTU_DEMO) is on under production settings (SOIHTU_ENV=production).",
                hint="Remove SOIHTU_DEMO from the production environment. The one-click "
                "persona sign-in does not exist in production either way.",
                id="soihtu.demo.E001",
            )
        ]
    return []
