"""Signed-in people for `make bench` (bench/run.py): real sessions and API tokens for people of
the demo organization, and the addresses of the pages they open, written as JSON for the load
generator, which knows nothing of Django.

The sessions are made the way signing in makes them (django.contrib.auth.login through the
session engine, so they carry the sign-in stamps that SessionLifetimeMiddleware checks), and are
signed with the SECRET_KEY of the settings this runs under: the server must use the same one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import RequestFactory
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from soihtu.accounts.models import User
from soihtu.api.models import ApiToken
from soihtu.api.services import token_create
from soihtu.cycles.models import Cycle
from soihtu.okrs.access import can_check_in, objectives_visible_to
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Membership, Unit
from soihtu.organization.roles import Actor, build_actor

Role = Membership.Role
USER_AGENT = "soihtu-bench"
SEARCH = "asiakas"  # a word in many demo unit names
MAX_IDS = 20  # objectives and key results per person: plenty to vary the load


@dataclass(frozen=True)
class Pick:
    """A person chosen for the load, with the team they act in and their role there."""

    user: User
    team: Unit
    role: str


def _teams_with_key_results(cycle: Cycle) -> list[int]:
    rows = KeyResult.objects.filter(
        objective__cycle=cycle, objective__owner_unit__kind=Unit.Kind.TEAM
    ).values_list("objective__owner_unit_id", flat=True)
    return sorted(set(rows))


def _people_per_team(team_ids: list[int]) -> dict[int, list[Membership]]:
    """Each team's torchbearer and members, the torchbearer first."""
    teams: dict[int, list[Membership]] = {team_id: [] for team_id in team_ids}
    memberships = (
        Membership.objects.filter(
            unit_id__in=team_ids,
            role__in=[Role.TORCHBEARER, Role.MEMBER],
            user__is_active=True,
        )
        .select_related("user", "unit")
        .order_by("unit_id", "role", "user_id")  # "member" < "torchbearer"
    )
    for membership in memberships:
        people = teams[membership.unit_id]
        if membership.role == Role.TORCHBEARER:
            people.insert(0, membership)
        else:
            people.append(membership)
    return teams


def _round_robin(teams: list[list[Membership]], count: int) -> list[Pick]:
    """One person of each team in turn, torchbearers and members alternating between teams,
    each person once, until `count` are chosen or everyone is."""
    picks: list[Pick] = []
    seen: set[int] = set()
    rounds = max((len(people) for people in teams), default=0)
    for turn in range(rounds):
        for index, people in enumerate(teams):
            # Even teams start from their torchbearer, odd ones from a member.
            order = people if index % 2 == 0 else people[1:] + people[:1]
            if turn >= len(order) or order[turn].user_id in seen:
                continue
            membership = order[turn]
            seen.add(membership.user_id)
            picks.append(Pick(membership.user, membership.unit, membership.role))
            if len(picks) == count:
                return picks
    return picks


def people_pick(*, count: int, cycle: Cycle, seed: int = 2022) -> list[Pick]:
    """`count` distinct people who are members or torchbearers of teams with key results in
    `cycle`, spread over as many teams as there are people (the same seed, the same people).
    The first one is a torchbearer."""
    team_ids = _teams_with_key_results(cycle)
    random.Random(seed).shuffle(team_ids)  # noqa: S311 - repeatable, not secret
    per_team = _people_per_team(team_ids)
    teams = [per_team[t] for t in team_ids if per_team[t]]
    teams.sort(key=lambda people: people[0].role != Role.TORCHBEARER)  # stable: still shuffled
    return _round_robin(teams, count)


def session_sign_in(user: User) -> str:
    """A signed-in session for `user`, as signing in makes one (with its stamps and its
    security event); returns the session key, the cookie's value."""
    request = RequestFactory().get("/", HTTP_USER_AGENT=USER_AGENT)
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    request.session = store()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session.save()
    key = request.session.session_key
    assert key is not None
    return key


def cookie_header(session_key: str, csrf_secret: str) -> str:
    """The Cookie header a browser would send: the session and the CSRF cookie, by the names
    of these settings (`__Host-` under production settings)."""
    return (
        f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf_secret}"
    )


def _visible_objectives(actor: Actor, cycle: Cycle) -> list[int]:
    """Objectives of the person's units (team and the units above it) for this cycle and its
    year: the line of sight a person follows."""
    objectives = objectives_visible_to(actor).filter(
        Q(cycle=cycle) | Q(cycle__isnull=True, year_id=cycle.year_id),
        owner_unit_id__in=set(actor.unit_ids),
    )
    team_first = sorted(
        objectives.values_list("id", "owner_unit_id"),
        key=lambda row: (row[1] not in actor.roles, row[0]),
    )
    return [objective_id for objective_id, _unit in team_first[:MAX_IDS]]


def _checkable_key_results(actor: Actor, team: Unit, cycle: Cycle) -> list[int]:
    key_results = KeyResult.objects.filter(
        objective__owner_unit=team, objective__cycle=cycle
    ).select_related("objective")
    return [kr.pk for kr in key_results.order_by("id") if can_check_in(actor, kr)][:MAX_IDS]


def _api_token(actor: Actor) -> str:
    _token, secret = token_create(
        actor=actor, kind=ApiToken.Kind.PERSONAL, name="make bench", scope=ApiToken.Scope.READ
    )
    return secret


def person_entry(pick: Pick, cycle: Cycle) -> dict[str, Any]:
    """What the load generator needs to act as this person: cookies, an API token, and the
    addresses of their pages."""
    actor = build_actor(pick.user)
    objective_ids = _visible_objectives(actor, cycle)
    key_result_ids = _checkable_key_results(actor, pick.team, cycle)
    return {
        "username": pick.user.username,
        "role": pick.role,
        "cookie": cookie_header(session_sign_in(pick.user), _csrf_secret()),
        "api_token": _api_token(actor),
        "team_id": pick.team.pk,
        "objective_ids": objective_ids,
        "key_result_ids": key_result_ids,
        "urls": {
            "my_okrs": reverse("okrs:my_okrs"),
            "team": reverse("okrs:unit", args=[pick.team.pk]),
            "objectives": [reverse("okrs:objective", args=[pk]) for pk in objective_ids],
            "checkins": [reverse("checkins:new", args=[pk]) for pk in key_result_ids],
            "strategy": reverse("okrs:strategy"),
            "organization": reverse("okrs:organization"),
            "search": f"{reverse('okrs:organization')}?q={SEARCH}",
            "api_list": reverse("api:v1:objective_list"),
        },
    }


def _csrf_secret() -> str:
    # The cookie holds the unmasked secret; the pages' forms carry it masked.
    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def office_entry() -> dict[str, Any] | None:
    """The OKR office (the first active org admin), signed in, or None if there is none."""
    admin = User.objects.filter(is_org_admin=True, is_active=True).order_by("id").first()
    if admin is None:
        return None
    return {
        "username": admin.username,
        "cookie": cookie_header(session_sign_in(admin), _csrf_secret()),
    }


def single_pages(person: dict[str, Any], cycle: Cycle) -> list[dict[str, str]]:
    """Every page a person opens, for one timed request each: `as` says whose request it is
    (the torchbearer `person`, the OKR office, the API token, or nobody)."""
    team = int(person["team_id"])
    urls = person["urls"]

    def page(name: str, url: str, who: str = "person") -> dict[str, str]:
        return {"name": name, "url": url, "as": who}

    pages = [
        page("My OKRs", urls["my_okrs"]),
        page("team page", urls["team"]),
        page("strategy", urls["strategy"]),
        page("organization", urls["organization"]),
        page("organization search", urls["search"]),
        page("practice dashboard", reverse("dashboard:index"), "office"),
        page("learning library", reverse("learning:library")),
        page("successes feed", reverse("successes:feed")),
        page("ideas overview", reverse("ideas:overview")),
        page("team ideas", reverse("ideas:team", args=[team])),
        page("follow-up page", reverse("followup:meeting", args=[team])),
        page("meeting presentation", reverse("followup:present", args=[team])),
        page("meeting print view", reverse("followup:print", args=[team])),
        page("notifications", reverse("notifications:inbox")),
        page("notification settings", reverse("notifications:settings")),
        page("alignment map", reverse("okrs:map")),
        page("alignment map of the team", reverse("okrs:map") + f"?focus=unit:{team}"),
        page("team desk", reverse("desk:team", args=[team])),
        page("planning record", reverse("planning:record", args=[team])),
        page("retrospective", reverse("retrospectives:team", args=[team, cycle.pk])),
        page("survey list", reverse("surveys:rounds"), "office"),
        page("API tokens page", reverse("api:tokens")),
        page("API list", urls["api_list"], "token"),
        page("API docs page", reverse("api:v1:openapi-view"), "nobody"),
    ]
    if urls["objectives"]:
        pages.insert(2, page("objective page", urls["objectives"][0]))
        focus = f"{reverse('okrs:map')}?focus=objective:{person['objective_ids'][0]}"
        pages.append(page("alignment map of an objective", focus))
    if urls["checkins"]:
        pages.insert(3, page("check-in form", urls["checkins"][0]))
    return pages


def bench_people(*, count: int, seed: int = 2022) -> dict[str, Any]:
    """The JSON document `manage.py bench_sessions` writes (see the module docstring)."""
    cycle = Cycle.objects.current()
    if cycle is None:
        raise ValueError("The database has no cycles: generate the demo organization first.")
    people = [
        person_entry(pick, cycle) for pick in people_pick(count=count, cycle=cycle, seed=seed)
    ]
    if not people:
        raise ValueError("No team has key results in the current cycle.")
    torchbearer = next((p for p in people if p["role"] == Role.TORCHBEARER), people[0])
    return {
        "cycle": str(cycle),
        "people": people,
        "office": office_entry(),
        "pages": single_pages(torchbearer, cycle),
        "torchbearer": torchbearer["username"],
    }
