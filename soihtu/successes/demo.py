"""Demo successes: stories for reached key results of closed and active cycles, with thanks."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from soihtu.accounts.models import User
from soihtu.cycles.models import Cycle
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Membership, Unit
from soihtu.successes.models import Success, Thanks
from soihtu.successes.selectors import REACHED

HELSINKI = ZoneInfo("Europe/Helsinki")
STORIES = [
    "Sovimme tiimissä, että jokainen ottaa viikossa yhden tunnin jonon purkuun. Yhdessä tekeminen "
    "näkyi heti: {kr} toteutui jo ennen jakson loppua.",
    "Kokeilimme uutta työnjakoa ja kysyimme naapuritiimiltä vinkkejä. Tulos: {kr}. "
    "Kiitos kaikille, jotka jaksoivat kokeilla!",
    "Asiakkaiden palaute ohjasi meitä alusta asti. Kun huomasimme, mikä heille on tärkeintä, "
    "{kr} oli lopulta helppo saavuttaa.",
    "Seurantapalavereissa nostimme esteet esiin ajoissa ja saimme apua yli yksikkörajojen. "
    "Näin {kr} saatiin maaliin.",
    "Pienistä parannuksista kasvoi iso muutos. {kr} – olemme tästä todella ylpeitä.",
]
TITLES = ["Tavoite saavutettu: {kr}", "Onnistuimme: {kr}", "Maalissa: {kr}"]
MAX_THANKS = 8


def _shared_at(cycle: Cycle, rng: random.Random, today: datetime.date) -> datetime.datetime:
    last = min(cycle.ends_on, today)
    first = max(cycle.starts_on, last - datetime.timedelta(days=30))
    day = first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 15)), tzinfo=HELSINKI)


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Share about two thirds of the reached team key results of the cycles that have begun,
    in Finnish, each with a few thanks from people across the organization."""
    cycles = {c.pk: c for c in Cycle.objects.filter(starts_on__lte=today).select_related("year")}
    reached = list(
        KeyResult.objects.filter(
            objective__cycle_id__in=list(cycles),
            objective__owner_unit__kind=Unit.Kind.TEAM,
            progress__gte=REACHED,
        )
        .select_related("objective")
        .order_by("id")
    )
    members: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in Membership.objects.order_by("id").values_list("unit_id", "user_id"):
        members[unit_id].append(user_id)
    everyone = list(User.objects.filter(is_active=True).order_by("id").values_list("pk", flat=True))
    chosen = [kr for kr in reached if rng.random() < 0.67]
    successes = []
    for kr in chosen:
        objective = kr.objective
        cycle = cycles[objective.cycle_id]  # type: ignore[index]
        team_members: list[int | None] = list(members.get(objective.owner_unit_id, [])) or [None]
        successes.append(
            Success(
                team_id=objective.owner_unit_id,
                title=rng.choice(TITLES).format(kr=kr.title)[:200],
                story=rng.choice(STORIES).format(kr=kr.title.lower()),
                key_result=kr,
                cycle=cycle,
                created_by_id=rng.choice(team_members),
                created_at=_shared_at(cycle, rng, today),
            )
        )
    Success.objects.bulk_create(successes)
    links = [
        Success.objectives.through(success_id=s.pk, objective_id=kr.objective_id)
        for s, kr in zip(successes, chosen, strict=True)
    ]
    Success.objectives.through.objects.bulk_create(links)
    thanks = []
    for success in successes:
        count = rng.randint(0, min(MAX_THANKS, len(everyone)))
        for user_id in rng.sample(everyone, count):
            thanks.append(Thanks(success=success, user_id=user_id, created_at=success.created_at))
    Thanks.objects.bulk_create(thanks)
