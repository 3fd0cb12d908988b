"""soihtu/settings.py read again under another environment (production, say), for tests of
what the settings file decides, without touching the settings the tests run with."""

from __future__ import annotations

import os
import runpy
from typing import Any

import pytest

import soihtu.settings

SETTINGS_FILE = soihtu.settings.__file__


def settings_module(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, Any]:
    """soihtu/settings.py as it reads `environment`, without touching the running settings."""
    monkeypatch.delenv("DEBUG", raising=False)
    for name, value in environment.items():
        monkeypatch.setitem(os.environ, name, value)
    return runpy.run_path(SETTINGS_FILE)


def production_settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, Any]:
    """The settings of a production installation (SOIHTU_ENV=production)."""
    return settings_module(
        monkeypatch,
        SOIHTU_ENV="production",
        SECRET_KEY="production-like-test-key-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        SOIHTU_BASE_URL="https://testserver",
        **environment,
    )
