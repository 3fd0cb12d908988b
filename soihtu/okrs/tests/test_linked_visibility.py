"""The permission matrix of linked objects: every page, feed, message and API answer that names
a linked objective or key result × every persona. The restricted objective of team A ("Sisäinen
kehitys") and its key results are named only to team A's people and the OKR office; everyone
else sees the page without them, or gets 403/404 for a page that is the team's own.

The links: a key-result proposal for the restricted objective and one accepted into it, a
success, an idea, a shared learning and a check-in note on its key result, and the restricted
objective contributing to the organization objective.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from soihtu.api.tests.helpers import for_user
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, client_for
from soihtu.followup.services import reminders_send
from soihtu.ideas.models import Idea
from soihtu.ideas.services import idea_create
from soihtu.learning.models import Learning
from soihtu.notifications import payloads
from soihtu.okrs.models import KeyResult
from soihtu.organization.roles import build_actor
from soihtu.planning import services as planning
from soihtu.planning.models import Proposal
from soihtu.successes.models import Success
from soihtu.successes.services import success_share

PERSONAS = [
    "admin",
    "supervisor",
    "torchbearer",
    "member",
    "member_b",
    "parent_supervisor",
    "outsider",
]
TEAM_A = {"admin", "supervisor", "torchbearer", "member"}
OBJECTIVE = "Sisäinen kehitys"
KEY_RESULT = "Perehdytys valmis"  # also the start of the accepted key result's title
RESTRICTED = (OBJECTIVE, KEY_RESULT)


@dataclass
class Links:
    world: World
    key_result: KeyResult
    proposal: Proposal
    accepted: Proposal
    success: Success
    idea: Idea
    learning: Learning
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def links(world: World) -> Links:
    restricted = world.restricted_a
    key_result = restricted.key_results.get()
    restricted.contributes_to.add(world.org_objective)
    team = build_actor(world.torchbearer)
    planning.planning_open(actor=world.torchbearer, team=world.team_a, cycle=world.cycle)
    proposal = planning.proposal_create(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        kind=Proposal.Kind.KEY_RESULT,
        title="Mentorit jokaiselle",
        target_objective=restricted,
    )
    accepted = planning.proposal_create(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        kind=Proposal.Kind.KEY_RESULT,
        title="Perehdytyskansio",
        target_objective=restricted,
    )
    accepted = planning.proposal_accept(actor=world.torchbearer, proposal=accepted)
    assert accepted.accepted_key_result is not None
    # The key result was renamed after it was accepted: its name is no longer the proposal's.
    KeyResult.objects.filter(pk=accepted.accepted_key_result.pk).update(
        title=f"{KEY_RESULT} (osa 2)"
    )
    checkin_create(
        author=world.member,
        key_result=key_result,
        value=Decimal(1),
        confidence=4,
        note="Kansio on valmis",
    )
    success = success_share(
        actor=team,
        team=world.team_a,
        title="Uudet tulokkaat pääsivät alkuun",
        story="Kiitos kaikille.",
        objectives=[restricted],
        key_result=key_result,
    )
    idea = idea_create(
        actor=team,
        team=world.team_a,
        title="Kummit uusille",
        objectives=[restricted],
        key_results=[key_result],
    )
    learning = Learning.objects.create(
        text="Kummit auttavat alkuun",
        objective=restricted,
        team=world.team_a,
        cycle=world.cycle,
        internal=False,  # the team chose to share it
    )
    return Links(world, key_result, proposal, accepted, success, idea, learning)


@dataclass
class PageCase:
    name: str
    url: Callable[[Links], str]
    # what team A's people and the OKR office see named (the test checks that it is there)
    names: tuple[str, ...]
    # the status for people who may not open the page at all (the team's own pages), else None
    refused: int | None = None
    opens: frozenset[str] = frozenset(TEAM_A)  # who may open a page that refuses others


def _planning(links: Links) -> str:
    world = links.world
    return reverse("planning:team", args=[world.team_a.pk, world.cycle.pk])


PAGES = [
    PageCase("planning page", _planning, RESTRICTED),
    PageCase(
        "planning page of sibling team B",
        lambda x: reverse("planning:team", args=[x.world.team_b.pk, x.world.cycle.pk]),
        (),
    ),
    PageCase(
        "success page", lambda x: reverse("successes:detail", args=[x.success.pk]), RESTRICTED
    ),
    PageCase("successes feed", lambda x: reverse("successes:feed"), (OBJECTIVE,)),
    PageCase(
        "successes feed of the restricted objective",
        lambda x: reverse("successes:feed") + f"?objective={x.world.restricted_a.pk}",
        (OBJECTIVE,),
    ),
    PageCase(
        "successes feed of the organization objective",
        lambda x: reverse("successes:feed") + f"?objective={x.world.org_objective.pk}",
        (OBJECTIVE,),
    ),
    PageCase(
        "share a success (team A)",
        lambda x: reverse("successes:new", args=[x.world.team_a.pk]),
        (),
        refused=403,
    ),
    PageCase(
        "team's ideas", lambda x: reverse("ideas:team", args=[x.world.team_a.pk]), RESTRICTED, 404
    ),
    PageCase("an idea", lambda x: reverse("ideas:detail", args=[x.idea.pk]), RESTRICTED, 404),
    PageCase("ideas overview", lambda x: reverse("ideas:overview"), ()),
    PageCase("learning library", lambda x: reverse("learning:library"), (OBJECTIVE,)),
    PageCase(
        "retrospective",
        lambda x: reverse("retrospectives:team", args=[x.world.team_a.pk, x.world.cycle.pk]),
        RESTRICTED,
        404,
    ),
    PageCase(
        "follow-up meeting",
        lambda x: reverse("followup:meeting", args=[x.world.team_a.pk]),
        RESTRICTED,
    ),
    PageCase(
        "desk",
        lambda x: reverse("desk:team", args=[x.world.team_a.pk]),
        (),
        403,
        frozenset({"admin", "supervisor", "torchbearer"}),
    ),
    PageCase(
        "organization objective's page",
        lambda x: reverse("okrs:objective", args=[x.world.org_objective.pk]),
        (OBJECTIVE,),
    ),
    PageCase("team A's page", lambda x: reverse("okrs:unit", args=[x.world.team_a.pk]), RESTRICTED),
    PageCase("strategy", lambda x: reverse("okrs:strategy"), ()),
    PageCase(
        "organization search",
        lambda x: reverse("okrs:organization") + "?q=Sis%C3%A4inen",
        (OBJECTIVE,),
    ),
    PageCase("my OKRs", lambda x: reverse("okrs:my_okrs"), ()),
    PageCase("alignment map", lambda x: reverse("okrs:map"), ()),
    PageCase(
        "alignment map of the organization objective",
        lambda x: reverse("okrs:map") + f"?focus=objective:{x.world.org_objective.pk}",
        (OBJECTIVE,),
    ),
    PageCase(
        "alignment map of team A",
        lambda x: reverse("okrs:map") + f"?focus=unit:{x.world.team_a.pk}",
        (OBJECTIVE,),
    ),
    PageCase(
        "alignment map of the restricted objective",
        lambda x: reverse("okrs:map") + f"?focus=objective:{x.world.restricted_a.pk}",
        (OBJECTIVE,),
        refused=404,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.name)
def test_page_names_restricted_links_only_to_team_a(
    links: Links, case: PageCase, persona: str
) -> None:
    response = client_for(links.world.persona(persona)).get(case.url(links))
    html = response.content.decode()
    if case.refused is not None and persona not in case.opens:
        assert response.status_code == case.refused
    else:
        assert response.status_code == 200
    if persona in TEAM_A:
        for name in case.names if response.status_code == 200 else ():
            assert name in html, name
    else:
        for name in RESTRICTED:
            assert name not in html, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_planning_does_not_link_outsiders_to_a_restricted_objective(
    links: Links, persona: str
) -> None:
    html = client_for(links.world.persona(persona)).get(_planning(links)).content.decode()
    link = reverse("okrs:objective", args=[links.world.restricted_a.pk])
    assert (link in html) == (persona in TEAM_A)
    assert "Accepted" in html  # the proposal's outcome is still told


@pytest.mark.parametrize("persona", PERSONAS)
def test_strategy_counts_only_contributing_objectives_the_person_may_see(
    links: Links, persona: str
) -> None:
    html = client_for(links.world.persona(persona)).get(reverse("okrs:strategy")).content.decode()
    expected = "2 contributing objectives" if persona in TEAM_A else "1 contributing objective"
    assert expected in html


SUCCESS = "Uudet tulokkaat pääsivät alkuun"  # linked only to the restricted objective


@pytest.mark.parametrize("persona", PERSONAS)
def test_strategy_counts_successes_only_through_objectives_the_person_may_see(
    links: Links, persona: str
) -> None:
    html = client_for(links.world.persona(persona)).get(reverse("okrs:strategy")).content.decode()
    assert ("1 success<" in html) == (persona in TEAM_A)


@pytest.mark.parametrize("persona", PERSONAS)
def test_feed_of_an_objective_follows_only_links_the_person_may_see(
    links: Links, persona: str
) -> None:
    """The success reaches the organization objective only through the restricted objective."""
    client = client_for(links.world.persona(persona))
    url = reverse("successes:feed") + f"?objective={links.world.org_objective.pk}"
    assert (SUCCESS in client.get(url).content.decode()) == (persona in TEAM_A)
    theme = links.world.themes[0]
    links.world.restricted_a.themes.set([theme])
    themed = client.get(reverse("successes:feed") + f"?theme={theme.pk}").content.decode()
    assert (SUCCESS in themed) == (persona in TEAM_A)


API_CASES: list[tuple[str, Callable[[Links], str]]] = [
    ("objectives", lambda x: "/objectives"),
    ("key results", lambda x: "/key-results"),
    ("successes", lambda x: "/successes"),
    ("a success", lambda x: f"/successes/{x.success.pk}"),
    ("learnings", lambda x: "/learnings"),
    ("ideas", lambda x: f"/ideas?team={x.world.team_a.pk}"),
    ("check-ins", lambda x: f"/key-results/{x.key_result.pk}/check-ins"),
]


def _ids(body: Any, key: str) -> set[int]:
    """Every id under `key` anywhere in a JSON answer (single ids and lists of ids)."""
    found: set[int] = set()
    if isinstance(body, dict):
        for name, value in body.items():
            if name == key and isinstance(value, int):
                found.add(value)
            elif name == key and isinstance(value, list):
                found.update(v for v in value if isinstance(v, int))
            else:
                found |= _ids(value, key)
    elif isinstance(body, list):
        for item in body:
            found |= _ids(item, key)
    return found


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c[0])
def test_api_names_restricted_links_only_to_team_a(
    links: Links, case: tuple[str, Callable[[Links], str]], persona: str
) -> None:
    response = for_user(links.world.persona(persona)).get(case[1](links))
    text = response.content.decode()
    restricted_id = links.world.restricted_a.pk
    key_result_ids = set(links.world.restricted_a.key_results.values_list("pk", flat=True))
    if persona in TEAM_A:
        assert response.status_code == 200
        return
    assert response.status_code in {200, 404}
    for name in RESTRICTED:
        assert name not in text, name
    if response.status_code == 200:
        body = response.json()
        linked = _ids(body, "objectives") | _ids(body, "objective_id")
        assert restricted_id not in linked
        assert not key_result_ids & (_ids(body, "key_result_id") | _ids(body, "key_results"))


def _owner_left_the_team(links: Links) -> None:
    """A key result keeps its owner after they leave the team; the owner then is an outsider."""
    KeyResult.objects.filter(objective=links.world.restricted_a).update(
        owner=links.world.outsider, last_checkin_at=None
    )


def test_owner_who_left_the_team_does_not_see_the_restricted_key_result(links: Links) -> None:
    _owner_left_the_team(links)
    html = client_for(links.world.outsider).get(reverse("okrs:my_okrs")).content.decode()
    for name in RESTRICTED:
        assert name not in html


def test_owner_who_left_the_team_gets_no_reminder_naming_it(links: Links) -> None:
    _owner_left_the_team(links)
    mail.outbox.clear()
    reminders_send(datetime.datetime.now(tz=datetime.UTC))
    to_outsider = [m for m in mail.outbox if links.world.outsider.email in m.to]
    texts = [f"{m.subject}\n{m.body}" for m in to_outsider]
    assert not [text for text in texts if any(name in text for name in RESTRICTED)]


def test_owner_in_the_team_is_reminded_of_the_restricted_key_result(links: Links) -> None:
    KeyResult.objects.filter(objective=links.world.restricted_a).update(
        owner=links.world.member, last_checkin_at=None
    )
    mail.outbox.clear()
    reminders_send(datetime.datetime.now(tz=datetime.UTC))
    to_member = [m for m in mail.outbox if links.world.member.email in m.to]
    assert [m for m in to_member if KEY_RESULT in m.subject]


def test_team_webhook_message_of_a_success_names_no_restricted_link(links: Links) -> None:
    """A webhook posts outside Soihtu, where no one's visibility can be checked: a success's
    message names the success only (check-in summaries leave restricted objectives out, see
    notifications/tests/test_summaries.py)."""
    message = payloads.success_message(links.success)
    for shaped in (payloads.generic_json(message, "en"), payloads.teams_card(message)):
        text = json.dumps(shaped, ensure_ascii=False)
        for name in RESTRICTED:
            assert name not in text
