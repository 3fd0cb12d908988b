"""An accepted proposal stays on the planning page, marked accepted, with a link to the
objective or key result it became; merged and declined ones say so too."""

from __future__ import annotations

from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.okrs.models import KeyResult, Objective
from soihtu.planning import services
from soihtu.planning.tests.conftest import Planning


def _page(world: World, persona: str = "member") -> str:
    url = reverse("planning:team", args=[world.team_a.pk, world.cycle.pk])
    return client_for(world.persona(persona)).get(url).content.decode()


def _card(html: str, proposal_id: int) -> str:
    start = html.index(f'id="proposal-{proposal_id}"')
    return html[start : html.index("</article>", start)]


def test_accepted_objective_proposal_links_to_the_objective(planning: Planning) -> None:
    world = planning.world
    url = reverse("planning:accept", args=[planning.proposal_a.pk])
    assert client_for(world.torchbearer).post(url, {"kind": "milestone"}).status_code == 302
    objective = Objective.objects.get(title=planning.proposal_a.title)
    card = _card(_page(world), planning.proposal_a.pk)
    assert "Accepted" in card
    assert f'href="{reverse("okrs:objective", args=[objective.pk])}"' in card


def test_accepted_key_result_proposal_links_to_the_key_result(planning: Planning) -> None:
    world = planning.world
    url = reverse("planning:accept", args=[planning.kr_proposal_a.pk])
    data = {"kind": "milestone", "objective": str(world.objective_a.pk)}
    assert client_for(world.torchbearer).post(url, data).status_code == 302
    key_result = KeyResult.objects.get(title=planning.kr_proposal_a.title)
    card = _card(_page(world), planning.kr_proposal_a.pk)
    assert "Accepted as the key result" in card
    link = reverse("okrs:objective", args=[world.objective_a.pk]) + f"#kr-title-{key_result.pk}"
    assert link in card


def test_a_deleted_result_is_told(planning: Planning) -> None:
    world = planning.world
    services.proposal_accept(actor=world.torchbearer, proposal=planning.proposal_a)
    Objective.objects.filter(title=planning.proposal_a.title).delete()
    card = _card(_page(world), planning.proposal_a.pk)
    assert "has since been deleted" in card


def test_merged_and_declined_proposals_stay_with_their_outcome(planning: Planning) -> None:
    world = planning.world
    other = services.proposal_create(
        actor=world.member, team=world.team_a, cycle=world.cycle, kind="objective", title="Toinen"
    )
    services.proposal_merge(actor=world.torchbearer, proposals=[other], into=planning.proposal_a)
    services.proposal_decline(
        actor=world.torchbearer, proposal=planning.kr_proposal_a, reason="Ei tällä jaksolla"
    )
    html = _page(world)
    assert "Merged into" in _card(html, other.pk)
    assert "Ei tällä jaksolla" in _card(html, planning.kr_proposal_a.pk)
