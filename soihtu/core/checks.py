"""`manage.py check --deploy`: what production settings need beyond Django's own checks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_base_url(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Under production settings SOIHTU_BASE_URL, the site's address for links in emails and
    webhook messages, must be an absolute http(s) address, and should be HTTPS."""
    if not settings.PRODUCTION:
        return []
    parts = urlsplit(str(settings.SOIHTU_BASE_URL))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return [
            checks.Error(
                "SOIHTU_BASE_URL is not set to the site's address: links in emails and "
                "webhook messages would not work.",
                hint="Set SOIHTU_BASE_URL, for example https://okr.example.fi.",
                id="soihtu.core.E001",
            )
        ]
    if parts.scheme != "https":
        return [
            checks.Warning(
                "SOIHTU_BASE_URL is a plain-HTTP address: links in emails and webhook "
                "messages would lead people to the site without HTTPS.",
                hint="Use the https:// address of the site.",
                id="soihtu.core.W001",
            )
        ]
    return []
