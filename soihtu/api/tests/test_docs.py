"""The OpenAPI document and its docs page are public (they hold no data), load nothing from
other sites, and name the domain's choices as the models do."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from django.test import Client
from django.urls import reverse

from soihtu.api import schemas
from soihtu.cycles.models import Cycle
from soihtu.ideas.models import Idea
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.retrospectives.models import ObjectiveReview
from soihtu.surveys.models import Question, SurveyRound


@pytest.mark.django_db
def test_the_openapi_document_is_public() -> None:
    response = Client().get(reverse("api:v1:openapi-json"))
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/key-results/{key_result_id}/check-ins" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_every_operation_needs_a_token_and_documents_its_errors() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            for status in ("401", "429"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


@pytest.mark.django_db
def test_the_docs_page_is_public_and_uses_only_this_site() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas.ObjectiveKind, Objective.Kind.values),
        (schemas.ObjectiveStatus, Objective.Status.values),
        (schemas.Visibility, Objective.Visibility.values),
        (schemas.KeyResultKind, KeyResult.Kind.values),
        (schemas.KeyResultStatus, KeyResult.Status.values),
        (schemas.UnitKind, Unit.Kind.values),
        (schemas.CycleState, Cycle.State.values),
        (schemas.IdeaState, Idea.State.values),
        (schemas.IdeaSource, Idea.Source.values),
        (schemas.ReviewOutcome, ["", *ObjectiveReview.Outcome.values]),
        (schemas.SurveyState, SurveyRound.State.values),
        (schemas.QuestionKind, Question.Kind.values),
    ],
)
def test_the_schemas_name_the_models_choices(literal: Any, choices: list[str]) -> None:
    assert list(get_args(literal)) == list(choices)
