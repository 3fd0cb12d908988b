from __future__ import annotations

import datetime

from django.utils import timezone

from soihtu.conftest import World
from soihtu.notifications.models import Delivery, TeamWebhook
from soihtu.notifications.services import webhook_create
from soihtu.organization.models import Unit
from soihtu.organization.roles import build_actor
from soihtu.successes.models import Success
from soihtu.successes.services import success_share


def add_webhook(
    world: World, url: str, *, team: Unit | None = None, **extra: object
) -> TeamWebhook:
    values: dict[str, object] = {"kind": TeamWebhook.Kind.GENERIC, "language": "en"}
    values.update(extra)
    return webhook_create(
        actor=world.torchbearer,
        team=team or world.team_a,
        url=url,
        **values,  # type: ignore[arg-type]
    )


def share(world: World, title: str = "Jono purettu") -> Success:
    return success_share(
        actor=build_actor(world.member),
        team=world.team_a,
        title=title,
        story="Teimme sen yhdessä. " * 30,
        objectives=[world.objective_a],
    )


def fresh(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_related("webhook").get(pk=delivery.pk)


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def now() -> datetime.datetime:
    return timezone.now()
