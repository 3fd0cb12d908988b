"""The retrospective page is one form: every typed text is kept, on a save, on a save with an
error in another block, and when someone else saved meanwhile; completing with objectives not
yet reviewed asks to confirm."""

from __future__ import annotations

import pytest

from soihtu.conftest import World, client_for
from soihtu.retrospectives import services
from soihtu.retrospectives.models import ObjectiveReview, Retrospective
from soihtu.retrospectives.services import UnreviewedObjectivesError
from soihtu.retrospectives.tests.helpers import form_in, open_review, page_form, save_url

WHY = "Chat otettiin käyttöön vasta marraskuussa"
CHANGE = "Sovimme mittarit ennen tertiaalia"
THEIRS = "Viikkopalaverit toimivat"


def _review(world: World, objective_id: int) -> str:
    return f"review-{objective_id}-"


def test_text_typed_in_two_blocks_is_saved_by_one_save(world: World) -> None:
    open_review(world)
    client = client_for(world.member)
    data = page_form(client, world)
    data[_review(world, world.objective_a.pk) + "why"] = WHY
    data["notes-what_we_change"] = CHANGE
    response = client.post(save_url(world), data | {"anchor": "team-notes"})
    assert response.status_code == 302
    assert response["Location"].endswith("#team-notes")
    assert ObjectiveReview.objects.get(objective=world.objective_a).why == WHY
    assert Retrospective.objects.get().what_we_change == CHANGE


def test_an_error_in_one_block_saves_nothing_and_keeps_every_typed_text(world: World) -> None:
    open_review(world)
    client = client_for(world.member)
    data = page_form(client, world)
    data[_review(world, world.objective_a.pk) + "why"] = WHY
    data["notes-what_we_change"] = CHANGE
    data[f"kr-{world.kr_a1.pk}-adjusted_score"] = "0.5"  # without a reason
    response = client.post(save_url(world), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert WHY in html
    assert CHANGE in html
    assert "Give a reason when you adjust a score." in html
    assert not ObjectiveReview.objects.exists()
    assert not Retrospective.objects.exists()


def test_blocks_left_untouched_do_not_overwrite_what_others_saved(world: World) -> None:
    open_review(world)
    client = client_for(world.member)
    data = page_form(client, world)
    services.objective_review_save(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        objective=world.objective_a,
        outcome="reached",
        why=THEIRS,
    )
    data["notes-what_we_change"] = CHANGE
    assert client.post(save_url(world), data).status_code == 302
    assert ObjectiveReview.objects.get(objective=world.objective_a).why == THEIRS
    assert Retrospective.objects.get().what_we_change == CHANGE


def test_a_stale_save_conflicts_keeps_the_text_and_saving_again_replaces(world: World) -> None:
    open_review(world)
    client = client_for(world.member)
    data = page_form(client, world)
    services.team_notes_save(
        actor=world.torchbearer,
        team=world.team_a,
        cycle=world.cycle,
        what_worked=THEIRS,
        what_we_change="",
    )
    data["notes-what_worked"] = "Meidän oma teksti"
    data[_review(world, world.objective_a.pk) + "why"] = WHY
    response = client.post(save_url(world), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Meidän oma teksti" in html
    assert WHY in html
    assert THEIRS in html  # and what is saved now
    assert Retrospective.objects.get().what_worked == THEIRS
    assert not ObjectiveReview.objects.exists()  # nothing of the save was written
    again = form_in(html)
    assert client.post(save_url(world), again).status_code == 302
    assert Retrospective.objects.get().what_worked == "Meidän oma teksti"
    assert ObjectiveReview.objects.get(objective=world.objective_a).why == WHY


def test_participants_ticked_meanwhile_are_kept(world: World) -> None:
    open_review(world)
    leader = client_for(world.torchbearer)
    data = page_form(leader, world)
    services.team_notes_save(
        actor=world.member, team=world.team_a, cycle=world.cycle, what_worked="x", what_we_change=""
    )  # the member takes part meanwhile
    data["participants-participants"] = [str(world.supervisor.pk)]
    assert leader.post(save_url(world), data).status_code == 302
    taking_part = set(Retrospective.objects.get().participants.values_list("user_id", flat=True))
    assert taking_part == {world.member.pk, world.supervisor.pk}


def test_completing_with_unreviewed_objectives_asks_to_confirm(world: World) -> None:
    open_review(world)
    client = client_for(world.torchbearer)
    data = page_form(client, world)
    data[_review(world, world.objective_a.pk) + "outcome"] = "partly"
    data["notes-what_we_change"] = CHANGE
    response = client.post(save_url(world), data | {"complete": "yes"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "have not been reviewed yet" in html
    assert world.restricted_a.title in html
    assert "Complete anyway" in html
    retrospective = Retrospective.objects.get()
    assert not retrospective.is_completed
    assert retrospective.what_we_change == CHANGE  # the typed text was saved first
    data = form_in(html) | {"complete": "yes", "complete-complete_anyway": "on"}
    assert client.post(save_url(world), data).status_code == 302
    assert Retrospective.objects.get().is_completed


def test_completing_with_every_objective_reviewed_needs_no_confirmation(world: World) -> None:
    open_review(world)
    client = client_for(world.torchbearer)
    data = page_form(client, world)
    for objective in (world.objective_a, world.restricted_a):
        data[_review(world, objective.pk) + "outcome"] = "reached"
    response = client.post(save_url(world), data | {"complete": "yes"})
    assert response.status_code == 302
    assert Retrospective.objects.get().is_completed


def test_member_cannot_complete_and_nothing_is_saved(world: World) -> None:
    open_review(world)
    client = client_for(world.member)
    data = page_form(client, world)
    data["notes-what_we_change"] = CHANGE
    data |= {"complete": "yes", "complete-complete_anyway": "on"}
    assert client.post(save_url(world), data).status_code == 403
    assert not Retrospective.objects.exists()


def test_service_refuses_to_complete_with_unreviewed_objectives(world: World) -> None:
    open_review(world)
    with pytest.raises(UnreviewedObjectivesError) as refusal:
        services.retrospective_complete(
            actor=world.torchbearer, team=world.team_a, cycle=world.cycle
        )
    assert {o.pk for o in refusal.value.objectives} == {
        world.objective_a.pk,
        world.restricted_a.pk,
    }
    assert not Retrospective.objects.filter(completed_at__isnull=False).exists()
