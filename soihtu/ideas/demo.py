"""Demo ideas: in every state, across the cycles that have begun, each with its history."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from soihtu.cycles.models import Cycle
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership, Unit

HELSINKI = ZoneInfo("Europe/Helsinki")
IDEAS = [
    ("Yhteinen chat-päivystys ruuhkahuippuihin", "Kaksi henkilöä vastaa chattiin aamupäivisin."),
    ("Vastauspohjat yleisimpiin kysymyksiin", "Kootaan pohjat yhteen paikkaan ja päivitetään."),
    ("Viikoittainen 15 minuutin jonokatsaus", "Katsotaan yhdessä, mihin jono kasautuu."),
    ("Asiakaspalautteen koonti kerran kuussa", "Poimitaan palautteesta kolme kehityskohdetta."),
    ("Työparityöskentely uusille työntekijöille", "Uusi työntekijä saa parin kahdeksi viikoksi."),
    ("Selkokieliset päätöskirjeet", "Kirjoitetaan päätöskirjeiden vakio-osat selkokielellä."),
    ("Hiljainen tunti keskittymiseen", "Tiistaisin ja torstaisin tunti ilman palavereja."),
    ("Yhteiskehittäminen naapuritiimin kanssa", "Sovitaan yhteinen kokeilu rajapinnan tehtäviin."),
    ("Tietopyyntöjen automaattinen ohjaus", "Ohjataan tietopyynnöt suoraan oikealle tiimille."),
    ("Etäneuvonnan ajanvaraus verkossa", "Asiakas varaa itse ajan etäneuvontaan."),
]
NOTES = {
    Idea.State.TRIED: ["Kokeillaan kuukauden ajan.", "Aloitetaan pienesti yhdessä tiimissä."],
    Idea.State.ADOPTED: ["Toimi hyvin, otetaan pysyvästi käyttöön.", "Tulokset näkyivät jonossa."],
    Idea.State.DROPPED: ["Ei sopinut meidän työhömme.", "Liian työläs nykyisillä resursseilla."],
}
PATHS = [
    [Idea.State.NEW],
    [Idea.State.NEW, Idea.State.TRIED],
    [Idea.State.NEW, Idea.State.TRIED, Idea.State.ADOPTED],
    [Idea.State.NEW, Idea.State.TRIED, Idea.State.DROPPED],
    [Idea.State.NEW, Idea.State.DROPPED],
]


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 15)), tzinfo=HELSINKI)


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Up to three ideas per team and begun cycle, moved along a random path with the steps'
    dates inside the cycle and never in the future."""
    cycles = list(Cycle.objects.filter(starts_on__lte=today).order_by("starts_on"))
    teams = list(Unit.objects.filter(kind=Unit.Kind.TEAM).order_by("path"))
    members: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in Membership.objects.order_by("id").values_list("unit_id", "user_id"):
        members[unit_id].append(user_id)
    objectives: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, unit_id, cycle_id in Objective.objects.filter(cycle__in=cycles).values_list(
        "pk", "owner_unit_id", "cycle_id"
    ):
        objectives[(unit_id, cycle_id)].append(pk)
    planned: list[tuple[Idea, list[IdeaStep], int | None]] = []
    for cycle in cycles:
        last = min(cycle.ends_on, today)
        span = (last - cycle.starts_on).days
        for team in teams:
            people: list[int | None] = list(members.get(team.pk, [])) or [None]
            for _ in range(rng.randint(0, 3)):
                title, description = rng.choice(IDEAS)
                path = rng.choice(PATHS) if span > 20 else PATHS[rng.randint(0, 1)]
                day = cycle.starts_on + datetime.timedelta(days=rng.randint(0, span // 2))
                author = rng.choice(people)
                idea = Idea(
                    team=team,
                    title=title,
                    description=description,
                    source=rng.choice([Idea.Source.PLAIN, Idea.Source.RETROSPECTIVE]),
                    state=path[-1],
                    cycle=cycle,
                    created_by_id=author,
                    created_at=_moment(day, rng),
                )
                steps = []
                previous = ""
                for state in path:
                    steps.append(
                        IdeaStep(
                            from_state=previous,
                            to_state=state,
                            by_id=author if not previous else rng.choice(people),
                            at=_moment(day, rng),
                            note=rng.choice(NOTES[state]) if state in NOTES else "",
                        )
                    )
                    previous = state
                    day = min(day + datetime.timedelta(days=rng.randint(3, 20)), last)
                linked = objectives.get((team.pk, cycle.pk))
                planned.append((idea, steps, rng.choice(linked) if linked else None))
    Idea.objects.bulk_create([idea for idea, _steps, _o in planned])
    all_steps = []
    for idea, steps, _objective in planned:
        for step in steps:
            step.idea = idea
            all_steps.append(step)
    IdeaStep.objects.bulk_create(all_steps)
    Idea.objectives.through.objects.bulk_create(
        [
            Idea.objectives.through(idea_id=idea.pk, objective_id=objective)
            for idea, _steps, objective in planned
            if objective is not None
        ]
    )
