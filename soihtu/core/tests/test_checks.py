"""`manage.py check --deploy` under production settings: SOIHTU_BASE_URL is required, an
absolute address, and should be HTTPS."""

from __future__ import annotations

import pytest
from django.core import checks
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db


def _deploy_ids() -> set[str]:
    return {m.id or "" for m in checks.run_checks(include_deployment_checks=True)}


@pytest.fixture
def production(settings: Settings) -> None:
    settings.PRODUCTION = True
    settings.DEMO_MODE = False


@pytest.mark.parametrize("value", ["", "okr.example.fi", "ftp://okr.example.fi", "https://"])
def test_a_missing_or_relative_base_url_is_an_error_in_production(
    settings: Settings, production: None, value: str
) -> None:
    settings.SOIHTU_BASE_URL = value
    messages = checks.run_checks(include_deployment_checks=True)
    [error] = [m for m in messages if m.id == "soihtu.core.E001"]
    assert error.is_serious(checks.ERROR)
    assert "SOIHTU_BASE_URL" in error.msg


def test_a_plain_http_base_url_is_a_warning_in_production(
    settings: Settings, production: None
) -> None:
    settings.SOIHTU_BASE_URL = "http://okr.example.fi"
    ids = _deploy_ids()
    assert "soihtu.core.W001" in ids
    assert "soihtu.core.E001" not in ids


def test_an_https_base_url_passes(settings: Settings, production: None) -> None:
    settings.SOIHTU_BASE_URL = "https://okr.example.fi"
    assert not _deploy_ids() & {"soihtu.core.E001", "soihtu.core.W001"}


def test_development_needs_no_base_url(settings: Settings) -> None:
    settings.SOIHTU_BASE_URL = ""
    assert not _deploy_ids() & {"soihtu.core.E001", "soihtu.core.W001"}
    assert not {m.id for m in checks.run_checks()} & {"soihtu.core.E001", "soihtu.core.W001"}
