"""A learning from a restricted objective stays inside the team unless the team shares it: the
review starts internal, and the team may untick it to publish the learning to the library."""

from __future__ import annotations

import importlib
import re

from django.apps import apps as django_apps
from django.urls import reverse

from soihtu.conftest import World, client_for
from soihtu.learning.models import Learning
from soihtu.okrs.models import Objective
from soihtu.retrospectives import services
from soihtu.retrospectives.models import ObjectiveReview
from soihtu.retrospectives.tests.helpers import open_review, page_form

LEARNED = "Perehdytys vaatii enemmän aikaa"


def _save(world: World, objective: Objective, **extra: object) -> ObjectiveReview:
    return services.objective_review_save(
        actor=world.member,
        team=world.team_a,
        cycle=world.cycle,
        objective=objective,
        outcome="partly",
        learned=LEARNED,
        **extra,  # type: ignore[arg-type]
    )


def _complete(world: World) -> None:
    services.retrospective_complete(
        actor=world.torchbearer, team=world.team_a, cycle=world.cycle, complete_unreviewed=True
    )


def _url(world: World, name: str = "team", *extra: int) -> str:
    return reverse(f"retrospectives:{name}", args=[world.team_a.pk, world.cycle.pk, *extra])


def test_learning_of_a_restricted_objective_is_internal_by_default(world: World) -> None:
    open_review(world)
    assert _save(world, world.restricted_a).internal is True
    _complete(world)
    learning = Learning.objects.get(objective=world.restricted_a)
    assert learning.internal is True
    library = client_for(world.outsider).get(reverse("learning:library")).content.decode()
    assert LEARNED not in library


def test_learning_of_an_open_objective_is_published_by_default(world: World) -> None:
    open_review(world)
    assert _save(world, world.objective_a).internal is False


def test_team_can_still_share_a_restricted_objectives_learning(world: World) -> None:
    open_review(world)
    _save(world, world.restricted_a, internal=False)
    _complete(world)
    assert Learning.objects.get(objective=world.restricted_a).internal is False
    library = client_for(world.outsider).get(reverse("learning:library")).content.decode()
    assert LEARNED in library
    assert world.restricted_a.title not in library  # the objective itself stays hidden


def test_saving_again_without_a_choice_keeps_the_teams_choice(world: World) -> None:
    open_review(world)
    _save(world, world.restricted_a, internal=False)
    assert _save(world, world.restricted_a).internal is False


def _internal_checkbox(html: str, objective: Objective) -> str:
    name = f"review-{objective.pk}-internal"
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match is not None, name
    return match.group(0)


def test_page_starts_the_restricted_objectives_review_as_internal(world: World) -> None:
    open_review(world)
    html = client_for(world.member).get(_url(world)).content.decode()
    assert "checked" in _internal_checkbox(html, world.restricted_a)
    assert "checked" not in _internal_checkbox(html, world.objective_a)
    assert "restricted objective" in html


def test_unticking_on_the_page_shares_the_learning(world: World) -> None:
    open_review(world)
    p = f"review-{world.restricted_a.pk}-"
    client = client_for(world.member)
    data = page_form(client, world)
    data |= {p + "outcome": "partly", p + "learned": LEARNED}
    data.pop(p + "internal")  # the box unticked
    response = client.post(_url(world, "save"), data)
    assert response.status_code == 302
    assert ObjectiveReview.objects.get(objective=world.restricted_a).internal is False
    html = client.get(_url(world)).content.decode()
    assert "checked" not in _internal_checkbox(html, world.restricted_a)


def test_the_upgrade_keeps_open_reviews_of_restricted_objectives_inside_the_team(
    world: World,
) -> None:
    open_review(world)
    restricted = _save(world, world.restricted_a, internal=False)  # saved before the default
    open_one = _save(world, world.objective_a)
    upgrade = importlib.import_module(
        "soihtu.retrospectives.migrations.0002_restricted_reviews_internal"
    )
    upgrade.keep_inside(django_apps, None)
    restricted.refresh_from_db()
    open_one.refresh_from_db()
    assert (restricted.internal, open_one.internal) == (True, False)


def test_the_upgrade_leaves_completed_retrospectives_as_they_were(world: World) -> None:
    open_review(world)
    restricted = _save(world, world.restricted_a, internal=False)
    _complete(world)
    upgrade = importlib.import_module(
        "soihtu.retrospectives.migrations.0002_restricted_reviews_internal"
    )
    upgrade.keep_inside(django_apps, None)
    restricted.refresh_from_db()
    assert restricted.internal is False
