"""`manage.py bench_sessions` (make bench): the people it signs in are really signed in (their
cookies open the pages, their check-in form posts, their API tokens read the API), it chooses
them over teams with a torchbearer first, and it refuses a database that is not a demo."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from bench.forms import check_in_data
from soihtu.accounts import sessions
from soihtu.accounts.models import SignInSession
from soihtu.api.models import ApiToken
from soihtu.checkins.models import CheckIn
from soihtu.conftest import World

pytestmark = pytest.mark.django_db


def _bench_sessions(path: Path, count: int = 3, **options: Any) -> dict[str, Any]:
    call_command("bench_sessions", count=count, output=str(path), stdout=StringIO(), **options)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def demo(settings: Settings) -> None:
    settings.DEMO_MODE = True


def _client(cookie: str) -> Client:
    """A browser that sends exactly the Cookie header the load generator sends."""
    return Client(enforce_csrf_checks=True, headers={"Cookie": cookie})


def test_people_are_spread_over_teams_with_a_torchbearer_first(
    world: World, demo: None, tmp_path: Path
) -> None:
    people = _bench_sessions(tmp_path / "s.json")["people"]
    assert people[0]["username"] == world.torchbearer.username
    assert people[0]["role"] == "torchbearer"
    assert people[1]["team_id"] == world.team_b.pk  # the next team before a second of team A
    assert len({p["username"] for p in people}) == 3
    assert world.supervisor.username not in {p["username"] for p in people}
    assert world.outsider.username not in {p["username"] for p in people}  # team C has no KRs


def test_each_cookie_signs_its_person_in_with_the_session_stamps(
    world: World, demo: None, tmp_path: Path
) -> None:
    document = _bench_sessions(tmp_path / "s.json")
    for person in [*document["people"], document["office"]]:
        response = _client(person["cookie"]).get(reverse("okrs:my_okrs"))
        assert response.status_code == 200
        assert response.wsgi_request.user.get_username() == person["username"]
    stored = SignInSession.objects.get(user=world.torchbearer)
    data = stored.get_decoded()
    assert data[SESSION_KEY] == str(world.torchbearer.pk)
    assert isinstance(data[sessions.SIGNED_IN_AT_KEY], float)
    assert stored.signed_in_at is not None
    assert stored.user_agent == "soihtu-bench"
    assert document["office"]["username"] == world.admin.username


def test_the_check_in_form_the_load_sends_is_recorded(
    world: World, demo: None, tmp_path: Path
) -> None:
    person = _bench_sessions(tmp_path / "s.json", count=1)["people"][0]
    assert sorted(person["key_result_ids"])[:2] == [world.kr_a1.pk, world.kr_a2.pk]
    client = _client(person["cookie"])
    for url in person["urls"]["checkins"]:
        page = client.get(url)
        data = check_in_data(page.content.decode(), url)
        assert data is not None
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert CheckIn.objects.filter(author=world.torchbearer).count() == len(person["key_result_ids"])
    world.kr_a2.refresh_from_db()
    assert world.kr_a2.current_value == 1  # the milestone is done


def test_every_page_of_the_single_requests_answers_its_person(
    world: World, demo: None, tmp_path: Path
) -> None:
    document = _bench_sessions(tmp_path / "s.json", count=1)
    person = document["people"][0]
    cookies = {"person": person["cookie"], "office": document["office"]["cookie"]}
    for page in document["pages"]:
        if page["as"] == "token":
            client = Client(headers={"Authorization": f"Bearer {person['api_token']}"})
        else:
            client = _client(cookies.get(page["as"], ""))
        assert client.get(page["url"]).status_code == 200, page


def test_each_person_gets_a_personal_read_only_api_token(
    world: World, demo: None, tmp_path: Path
) -> None:
    people = _bench_sessions(tmp_path / "s.json")["people"]
    tokens = ApiToken.objects.filter(name="make bench")
    assert tokens.count() == len(people)
    assert {t.kind for t in tokens} == {ApiToken.Kind.PERSONAL}
    assert {t.scope for t in tokens} == {ApiToken.Scope.READ}
    answer = Client(headers={"Authorization": f"Bearer {people[0]['api_token']}"}).get(
        people[0]["urls"]["api_list"]
    )
    assert answer.status_code == 200
    assert answer.json()["count"] >= 1


def _database_name() -> str:
    return str(settings.DATABASES["default"]["NAME"])


@pytest.mark.parametrize(("production", "demo_mode"), [(True, True), (False, False)])
def test_refuses_unless_demo_or_told_the_databases_name(
    world: World, settings: Settings, tmp_path: Path, production: bool, demo_mode: bool
) -> None:
    settings.PRODUCTION = production
    settings.DEMO_MODE = demo_mode
    output = tmp_path / "s.json"
    with pytest.raises(CommandError) as refused:
        _bench_sessions(output, yes_database="someone-elses-database")
    assert f"--yes-database={_database_name()}" in str(refused.value)
    assert not output.exists()
    assert not SignInSession.objects.exists()
    assert not ApiToken.objects.exists()


def test_runs_under_production_settings_when_told_the_databases_name(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    settings.PRODUCTION = True
    people = _bench_sessions(tmp_path / "s.json", yes_database=_database_name())["people"]
    assert len(people) == 3
    assert people[0]["cookie"].startswith(f"{settings.SESSION_COOKIE_NAME}=")
