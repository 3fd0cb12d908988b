"""Demo retrospectives and learnings for the closed cycles of a generated demo organization:
the 2022 T3 pilot teams and the current year's earlier cycles. Finnish content."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from soihtu.cycles.models import Cycle
from soihtu.learning.models import Learning
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership, StrategyTheme
from soihtu.retrospectives.models import (
    KeyResultScore,
    ObjectiveReview,
    Retrospective,
    RetrospectiveParticipant,
)

WHY: dict[str, list[str]] = {
    ObjectiveReview.Outcome.REACHED: [
        "Koko tiimi sitoutui tavoitteeseen ja seurasimme edistymistä joka viikko.",
        "Saimme tukea toiselta yksiköltä juuri oikeaan aikaan.",
        "Tavoite oli selkeä ja mittari helppo seurata.",
    ],
    ObjectiveReview.Outcome.PARTLY: [
        "Aloitimme hyvin, mutta syksyn ruuhka vei aikaa kehittämiseltä.",
        "Järjestelmämuutos viivästyi, joten osa avaintuloksista jäi kesken.",
        "Mittari osoittautui hankalaksi: tietoa saatiin vain kuukauden viiveellä.",
    ],
    ObjectiveReview.Outcome.NOT_REACHED: [
        "Tavoite oli liian kunnianhimoinen yhdelle tertiaalille.",
        "Henkilöstövaihdokset hidastivat työtä koko kevään.",
        "Riippuvuus toisen tiimin aikatauluun jäi meiltä huomaamatta.",
    ],
}
LEARNED = [
    "Asiakkaiden palaute kannattaa kerätä heti palvelutilanteen jälkeen, ei kuukauden lopussa.",
    "Lyhyet viikkopalaverit avaintulosten äärellä pitivät tavoitteen mielessä.",
    "Yhteinen tavoite toisen yksikön kanssa purki siiloja: sovimme vastuut heti alussa.",
    "Mittari kannattaa testata ennen tertiaalin alkua, jotta lähtötaso on luotettava.",
    "Chatin käyttöönotto lyhensi jonoja, kun neuvojat saivat siihen perehdytyksen.",
    "Tietoon perustuva työ vaatii ajantasaista dataa: sovimme raportoinnista IT:n kanssa.",
    "Asiakasviestien selkokielisyys vähensi yhteydenottoja selvästi.",
    "Kokeilut kannattaa rajata pieniksi ja arvioida kahden viikon välein.",
    "Soihdunkantajan ja esihenkilön yhteinen valmistelu teki retrosta sujuvan.",
    "Etuuskäsittelyn ruuhkahuiput kannattaa ennakoida jo suunnitteluvaiheessa.",
    "Kun koko tiimi osallistui tavoitteiden valintaan, sitoutuminen oli selvästi parempaa.",
    "Luottamus kasvaa, kun kerromme asiakkaalle käsittelyn vaiheen oma-aloitteisesti.",
]
TRY_NEXT = [
    "Kokeilemme asiakaspalautteen keruuta tekstiviestillä.",
    "Jaamme avaintulokset pareille, jotta jokaisella on oma vastuu.",
    "Pyydämme toiselta tiimiltä sparrausta mittarin valintaan.",
    "Otamme käyttöön kahden viikon tarkistuspisteet.",
]
WORKED = [
    "Viikoittaiset lyhyet tarkistukset ja avoin keskustelu esteistä.",
    "Tavoitteiden valinta yhdessä koko tiimin kanssa työpajassa.",
    "Onnistumisten jakaminen tiimipalaverin alussa.",
]
CHANGE = [
    "Valitsemme jatkossa enintään kolme tavoitetta tertiaalille.",
    "Sovimme mittareiden tietolähteet ennen tertiaalin alkua.",
    "Kutsumme yhteistyötiimin mukaan retroon.",
]


def _outcome(progress: float) -> str:
    if progress >= 0.95:
        return ObjectiveReview.Outcome.REACHED
    return (
        ObjectiveReview.Outcome.PARTLY if progress >= 0.4 else ObjectiveReview.Outcome.NOT_REACHED
    )


def _completed_at(cycle: Cycle, rng: random.Random) -> datetime.datetime:
    day = cycle.ends_on + datetime.timedelta(days=rng.randint(1, 10))
    return datetime.datetime.combine(day, datetime.time(13), tzinfo=timezone.get_current_timezone())


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Completed retrospectives, reviews, a few adjusted scores, participants and learnings
    (some internal) for every team with objectives in a closed cycle."""
    objectives = list(
        Objective.objects.filter(cycle__state=Cycle.State.CLOSED, cycle__ends_on__lt=today)
        .select_related("cycle")
        .with_progress()
        .prefetch_related(
            "themes", Prefetch("key_results", queryset=KeyResult.objects.order_by("id"))
        )
        .order_by("cycle__starts_on", "owner_unit_id", "id")
    )
    done = set(Retrospective.objects.values_list("team_id", "cycle_id"))  # run once only
    by_team: dict[tuple[int, int], list[Objective]] = {}
    for objective in objectives:
        assert objective.cycle is not None
        if (objective.owner_unit_id, objective.cycle.pk) in done:
            continue
        by_team.setdefault((objective.owner_unit_id, objective.cycle.pk), []).append(objective)
    cycles = {o.cycle.pk: o.cycle for o in objectives if o.cycle is not None}
    members: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(unit_id__in={t for t, _c in by_team}).order_by(
        "id"
    ):
        members.setdefault(membership.unit_id, []).append(membership)
    retros = [
        Retrospective(
            team_id=team_id,
            cycle_id=cycle_id,
            started_at=_completed_at(cycles[cycle_id], rng) - datetime.timedelta(days=7),
            completed_at=_completed_at(cycles[cycle_id], rng),
            what_worked=rng.choice(WORKED),
            what_we_change=rng.choice(CHANGE),
        )
        for team_id, cycle_id in by_team
    ]
    Retrospective.objects.bulk_create(retros)
    reviews: list[ObjectiveReview] = []
    scores: list[KeyResultScore] = []
    participants: list[RetrospectiveParticipant] = []
    learnings: list[Learning] = []
    themes: list[tuple[Learning, list[StrategyTheme]]] = []
    for retro in retros:
        team = members.get(retro.team_id, [])
        lead = next((m.user_id for m in team if m.role != Membership.Role.MEMBER), None)
        retro.completed_by_id = retro.started_by_id = lead
        took_part = [m for m in team if m.role != Membership.Role.MEMBER or rng.random() < 0.75]
        participants += [
            RetrospectiveParticipant(retrospective=retro, user_id=m.user_id) for m in took_part
        ]
        for objective in by_team[(retro.team_id, retro.cycle_id)]:
            outcome = _outcome(objective.progress_value or 0.0)  # type: ignore[attr-defined]
            learned = rng.choice(LEARNED)
            internal = len(reviews) % 8 == 5  # a few, whatever the size
            reviews.append(
                ObjectiveReview(
                    retrospective=retro,
                    objective=objective,
                    outcome=outcome,
                    why=rng.choice(WHY[outcome]),
                    learned=learned,
                    try_next=rng.choice(TRY_NEXT),
                    internal=internal,
                )
            )
            key_results = list(objective.key_results.all())
            if key_results and rng.random() < 0.2:
                scores.append(
                    KeyResultScore(
                        retrospective=retro,
                        key_result=key_results[0],
                        adjusted_score=Decimal(rng.randint(3, 9)) / 10,
                        reason="Mittari ei kuvannut koko työtä: arvioimme tuloksen yhdessä.",
                    )
                )
            learning = Learning(
                text=learned,
                objective=objective,
                team_id=retro.team_id,
                cycle_id=retro.cycle_id,
                internal=internal,
                retrospective=retro,
                created_by_id=lead,
                created_at=retro.completed_at or timezone.now(),
            )
            learnings.append(learning)
            themes.append((learning, list(objective.themes.all())))
        learnings.append(
            Learning(
                text=retro.what_we_change,
                team_id=retro.team_id,
                cycle_id=retro.cycle_id,
                retrospective=retro,
                created_by_id=lead,
                created_at=retro.completed_at or timezone.now(),
            )
        )
    Retrospective.objects.bulk_update(retros, ["completed_by", "started_by"])
    ObjectiveReview.objects.bulk_create(reviews)
    KeyResultScore.objects.bulk_create(scores)
    RetrospectiveParticipant.objects.bulk_create(participants)
    Learning.objects.bulk_create(learnings)
    through = Learning.themes.through
    through.objects.bulk_create(
        [through(learning_id=lr.pk, strategytheme_id=t.pk) for lr, ts in themes for t in ts]
    )
