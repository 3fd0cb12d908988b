"""Demo and production never meet: under production settings demo mode is a deploy-check
error, the persona sign-in does not exist (not even routed), and demo_generate refuses unless
told the database's name."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse
from pytest_django.fixtures import Settings

from soihtu.accounts.models import User
from soihtu.conftest import make_user
from soihtu.organization.models import Unit


def _deploy_check_ids() -> set[str]:
    return {
        message.id or ""
        for message in checks.run_checks(include_deployment_checks=True)
        if message.is_serious(checks.ERROR)
    }


def _reload_urls() -> None:
    import soihtu.urls

    importlib.reload(soihtu.urls)
    clear_url_caches()


@pytest.fixture
def production(settings: Settings) -> Iterator[None]:
    """Production settings with SOIHTU_DEMO=1 slipped in; the URLs as production loads them."""
    settings.PRODUCTION = True
    settings.DEMO_MODE = True
    _reload_urls()
    yield
    settings.PRODUCTION = False
    _reload_urls()


@pytest.mark.django_db
def test_demo_mode_is_a_deploy_check_error_in_production(settings: Settings) -> None:
    settings.PRODUCTION = True
    settings.SOIHTU_BASE_URL = "https://okr.example.fi"
    settings.DEMO_MODE = True
    assert "soihtu.demo.E001" in _deploy_check_ids()
    assert not any(m.id == "soihtu.demo.E001" for m in checks.run_checks())  # deploy only
    settings.DEMO_MODE = False
    assert "soihtu.demo.E001" not in _deploy_check_ids()


@pytest.mark.django_db
def test_demo_mode_in_development_passes_the_deploy_check(settings: Settings) -> None:
    settings.DEMO_MODE = True
    assert "soihtu.demo.E001" not in _deploy_check_ids()


@pytest.mark.django_db
def test_the_persona_sign_in_is_not_routed_in_production(production: None) -> None:
    make_user("jasen")
    with pytest.raises(NoReverseMatch):
        reverse("demo:personas")
    client = Client(headers={"Accept-Language": "en"})
    assert client.get("/demo/").status_code == 404
    assert client.post("/demo/", {"username": "jasen"}).status_code == 404
    assert SESSION_KEY not in client.session
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert "/demo/" not in page.content.decode()


@pytest.mark.django_db
def test_the_persona_view_refuses_in_production_even_if_reached(settings: Settings) -> None:
    make_user("jasen")
    url = reverse("demo:personas")  # development URLs, production settings
    settings.PRODUCTION = True
    settings.DEMO_MODE = True
    client = Client()
    assert client.get(url).status_code == 404
    assert client.post(url, {"username": "jasen"}).status_code == 404
    assert SESSION_KEY not in client.session


def _database_name() -> str:
    return str(settings.DATABASES["default"]["NAME"])


@pytest.mark.django_db
@pytest.mark.parametrize("flag", [None, "someone-elses-database"])
def test_demo_generate_refuses_in_production_without_the_databases_name(
    settings: Settings, flag: str | None
) -> None:
    settings.PRODUCTION = True
    options = {} if flag is None else {"yes_overwrite_database": flag}
    with pytest.raises(CommandError) as refused:
        call_command("demo_generate", people=20, stdout=StringIO(), **options)
    message = str(refused.value)
    assert "--yes-overwrite-database=" in message
    assert _database_name() in message
    assert not Unit.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_generate_runs_in_production_when_told_the_databases_name(
    settings: Settings,
) -> None:
    settings.PRODUCTION = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command(
        "demo_generate", people=20, yes_overwrite_database=_database_name(), stdout=StringIO()
    )
    assert Unit.objects.exists()


@pytest.mark.django_db
def test_demo_generate_needs_no_flag_in_development(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_generate", people=20, stdout=StringIO())
    assert Unit.objects.exists()
