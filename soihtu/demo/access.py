"""Whether the demo's one-click persona sign-in exists."""

from __future__ import annotations

from django.conf import settings


def demo_sign_in_enabled() -> bool:
    """Only in demo mode, and never under production settings, even if SOIHTU_DEMO is on
    there (the deploy check reports that as an error: soihtu/demo/checks.py)."""
    return bool(settings.DEMO_MODE) and not settings.PRODUCTION
