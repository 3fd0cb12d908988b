"""A milestone is done or not done: it has no start, target or expected progress, whichever
way a key result is made (the pages, the model, the API)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from soihtu.api.tests.helpers import for_user
from soihtu.conftest import World, client_for
from soihtu.okrs.models import MILESTONE_NO_VALUES, KeyResult
from soihtu.okrs.tests.test_permissions import kr_data, state

# Clients and tests speak English (soihtu.conftest); resolve the message then, not at import.
with translation.override("en"):
    REFUSAL = str(MILESTONE_NO_VALUES)


def _milestone(world: World, **values: str) -> dict[str, str]:
    data = kr_data(world) | {"kind": "milestone", "start_value": "", "target_value": ""}
    return data | values


@pytest.mark.parametrize(
    "values",
    [{"start_value": "3"}, {"target_value": "10"}, {"start_value": "0", "target_value": "1"}],
)
def test_new_milestone_with_a_start_or_target_is_refused(
    world: World, values: dict[str, str]
) -> None:
    url = reverse("okrs:key_result_create", args=[world.objective_a.pk])
    before = state()
    response = client_for(world.supervisor).post(url, _milestone(world, **values))
    assert response.status_code == 400
    assert response.content.decode().count(REFUSAL) == len(values)
    assert state() == before


def test_new_milestone_without_values_is_saved(world: World) -> None:
    url = reverse("okrs:key_result_create", args=[world.objective_a.pk])
    response = client_for(world.supervisor).post(url, _milestone(world))
    assert response.status_code == 302
    kr = KeyResult.objects.get(title="Uusi avaintulos")
    assert (kr.kind, kr.start_value, kr.target_value) == ("milestone", Decimal(0), Decimal(1))


def test_milestone_edit_page_shows_no_values_and_saves(world: World) -> None:
    url = reverse("okrs:key_result_edit", args=[world.kr_a2.pk])
    client = client_for(world.torchbearer)
    html = client.get(url).content.decode()
    assert 'name="start_value"' in html
    assert 'name="start_value" value=' not in html
    assert 'name="target_value" value=' not in html
    data = _milestone(world, title="Chat avattu")
    assert client.post(url, data).status_code == 302
    world.kr_a2.refresh_from_db()
    assert (world.kr_a2.title, world.kr_a2.start_value, world.kr_a2.target_value) == (
        "Chat avattu",
        Decimal(0),
        Decimal(1),
    )


def test_model_refuses_a_milestone_with_a_start_or_target(world: World) -> None:
    kr = world.kr_a2
    kr.full_clean()
    kr.start_value, kr.target_value = Decimal(3), Decimal(10)
    with pytest.raises(ValidationError) as refused:
        kr.full_clean()
    assert set(refused.value.message_dict) == {"start_value", "target_value"}
    assert refused.value.message_dict["start_value"] == [REFUSAL]


def test_api_refuses_a_milestone_with_a_start(world: World) -> None:
    api = for_user(world.torchbearer)
    before = state()
    response = api.post(
        f"/objectives/{world.objective_a.pk}/key-results",
        {"title": "Chat-palvelu auki", "kind": "milestone", "start_value": "0.5"},
    )
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["error"]["details"]] == ["start_value"]
    assert state() == before


def test_api_patches_a_milestone_without_sending_values(world: World) -> None:
    api = for_user(world.torchbearer)
    url = f"/key-results/{world.kr_a2.pk}"
    assert api.patch(url, {"title": "Chat avattu"}, HTTP_IF_MATCH='"1"').status_code == 200
    refused = api.patch(url, {"target_value": "5"}, HTTP_IF_MATCH='"2"')
    assert refused.status_code == 422, refused.content
    # A decrease becomes a milestone without its old start and target.
    url = f"/key-results/{world.kr_a1.pk}"
    changed = api.patch(url, {"kind": "milestone"}, HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200, changed.content
    assert (changed.json()["start_value"], changed.json()["target_value"]) == ("0", "1")
