"""Shared by the API tests: tokens for the personas, and requests that carry them."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.api.models import ApiToken
from soihtu.api.services import token_create
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World
from soihtu.ideas.models import Idea
from soihtu.ideas.services import idea_create
from soihtu.learning.models import Learning
from soihtu.organization.models import Unit
from soihtu.organization.roles import build_actor
from soihtu.retrospectives.models import KeyResultScore, ObjectiveReview, Retrospective
from soihtu.successes.models import Success
from soihtu.successes.services import success_share
from soihtu.surveys.models import Answer, Question, Response, SurveyRound

API = "/api/v1"


def personal_token(user: User, scope: str = ApiToken.Scope.WRITE) -> str:
    _token, secret = token_create(
        actor=build_actor(user), kind=ApiToken.Kind.PERSONAL, name="test", scope=scope
    )
    return secret


def service_token(admin: User, units: list[Unit], scope: str = ApiToken.Scope.WRITE) -> str:
    """A service token of `admin`'s, valid for a month (a service token always ends)."""
    _token, secret = token_create(
        actor=build_actor(admin),
        kind=ApiToken.Kind.SERVICE,
        name="service",
        scope=scope,
        units=units,
        valid_through=timezone.localdate() + datetime.timedelta(days=30),
    )
    return secret


class Api:
    """A client that sends a token (or none) and JSON bodies."""

    def __init__(self, secret: str | None, language: str = "en") -> None:
        headers = {"Accept-Language": language}
        if secret is not None:
            headers["Authorization"] = f"Bearer {secret}"
        self.client = Client(headers=headers)

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(API + path, **extra)

    def post(self, path: str, data: Any, **extra: Any) -> Any:
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return self.client.post(API + path, body, content_type="application/json", **extra)

    def patch(self, path: str, data: Any, **extra: Any) -> Any:
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return self.client.patch(API + path, body, content_type="application/json", **extra)


def for_user(user: User, scope: str = ApiToken.Scope.WRITE, language: str = "en") -> Api:
    return Api(personal_token(user, scope), language)


@dataclass
class Practice:
    """A piece of everything the API lists, for team A (and one survey round with answers)."""

    checkin: CheckIn
    retrospective: Retrospective
    learning: Learning
    internal_learning: Learning
    success: Success
    idea: Idea
    survey: SurveyRound


def add_practice(world: World) -> Practice:
    torchbearer = build_actor(world.torchbearer)
    checkin = checkin_create(
        author=world.member, key_result=world.kr_a1, value=Decimal(9), confidence=6
    )
    retrospective = Retrospective.objects.create(
        team=world.team_a, cycle=world.closed_cycle, what_worked="Yhdessä", what_we_change="Ei"
    )
    ObjectiveReview.objects.create(
        retrospective=retrospective,
        objective=world.restricted_a,
        outcome=ObjectiveReview.Outcome.PARTLY,
        adjusted_score=Decimal("0.5"),
        adjust_reason="Puolet",
    )
    KeyResultScore.objects.create(
        retrospective=retrospective,
        key_result=world.kr_a2,
        adjusted_score=Decimal("0.7"),
        reason="Melkein",
    )
    learning = Learning.objects.create(
        text="Pienet kokeilut toimivat",
        team=world.team_a,
        cycle=world.closed_cycle,
        objective=world.restricted_a,
    )
    learning.themes.set([world.themes[1]])
    internal = Learning.objects.create(
        text="Sisäinen oppi", team=world.team_a, cycle=world.closed_cycle, internal=True
    )
    success = success_share(
        actor=torchbearer,
        team=world.team_a,
        title="Jono purettu",
        story="Yhdessä tehty.",
        objectives=[world.objective_a, world.restricted_a],
    )
    idea = idea_create(
        actor=torchbearer,
        team=world.team_a,
        title="Chat-botti",
        objectives=[world.objective_a, world.restricted_a],
        key_results=[world.kr_a1],
    )
    return Practice(
        checkin=checkin,
        retrospective=retrospective,
        learning=learning,
        internal_learning=internal,
        success=success,
        idea=idea,
        survey=add_survey(world),
    )


def add_survey(world: World, answers: int = 6) -> SurveyRound:
    """A closed round with `answers` answers to one agree-or-disagree question, from Division 1."""
    survey = SurveyRound.objects.create(
        title="Kysely",
        opens_on=world.cycle.starts_on,
        closes_on=world.cycle.starts_on,
        state=SurveyRound.State.CLOSED,
    )
    question = Question.objects.create(
        round=survey, key="clear", text_fi="Selkeä?", text_sv="Tydlig?", text_en="Clear?"
    )
    for i in range(answers):
        response = Response.objects.create(
            round=survey, breakdown_unit=world.division, submitted_on=world.cycle.starts_on
        )
        Answer.objects.create(response=response, question=question, likert=1 + i % 5)
    return survey
