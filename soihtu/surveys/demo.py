"""Demo survey rounds: last year's and this year's, answered in customer service and benefits
processing, reproducing the seed's figures in the later round."""

from __future__ import annotations

import datetime
import random

from soihtu.accounts.models import User
from soihtu.organization.models import PATH_STEP, Membership, Unit
from soihtu.surveys.defaults import DEFAULT_QUESTIONS
from soihtu.surveys.models import Answer, Question, Respondent, Response, SurveyRound

DIVISIONS = ["Asiakkuudet", "Etuuspalvelut"]
MAX_RESPONDENTS = 250
# Share agreeing (4–5) per question key: this year (the seed's figures) and last year.
AGREE_NOW = {
    "know_strategy": 0.90,
    "strategy_more_familiar": 0.50,
    "chose_goals": 0.60,
    "cooperation": 0.60,
    "lessons_discussed": 0.70,
    "new_ideas": 0.55,
    "work_serves_strategy": 0.75,
    "work_benefits_customers": 0.80,
    "feel_trusted": 0.75,
}
AGREE_BEFORE = {key: max(0.0, share - 0.15) for key, share in AGREE_NOW.items()}
COMMENTS = [
    "Tavoitteet ovat nyt selkeämpiä koko tiimille.",
    "Retrospektiivit ovat olleet hyödyllisiä.",
    "Toivoisin enemmän aikaa tavoitteiden seurantaan.",
    "Yhteistyö toisen yksikön kanssa on parantunut.",
    "",
]


def _exact_agree(rng: random.Random, n: int, share: float) -> list[int | None]:
    """n answers of which round(n * share) agree, shuffled, so the figures are exact."""
    hits = round(n * share)
    values: list[int | None] = [rng.choice([4, 4, 5]) for _ in range(hits)]
    values += [rng.choice([1, 2, 3, 3, None]) for _ in range(n - hits)]
    rng.shuffle(values)
    return values


def _round(
    rng: random.Random,
    *,
    title: str,
    opens_on: datetime.date,
    people: list[tuple[User, Unit]],
    shares: dict[str, float],
    uses_okrs: float,
) -> None:
    survey = SurveyRound.objects.create(
        title=title,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=21),
        state=SurveyRound.State.CLOSED,
        results_published=True,  # Kela shared its results openly
        breakdown_depth=1,
    )
    questions = Question.objects.bulk_create(
        Question(
            round=survey, order=i, key=q.key, kind=q.kind, text_fi=q.fi, text_sv=q.sv, text_en=q.en
        )
        for i, q in enumerate(DEFAULT_QUESTIONS)
    )
    Respondent.objects.bulk_create(Respondent(round=survey, user=user) for user, _u in people)
    responses = Response.objects.bulk_create(
        Response(
            round=survey,
            breakdown_unit=division,
            team_uses_okrs=rng.random() < uses_okrs,
            submitted_on=opens_on + datetime.timedelta(days=rng.randrange(21)),
        )
        for _user, division in sorted(people, key=lambda _p: rng.random())
    )
    answers: list[Answer] = []
    for question in questions:
        if question.kind == Question.Kind.LIKERT:
            values = _exact_agree(rng, len(responses), shares[question.key])
            answers += [
                Answer(response=r, question=question, likert=v)
                for r, v in zip(responses, values, strict=True)
            ]
        elif question.kind == Question.Kind.YES_NO:
            answers += [
                Answer(response=r, question=question, yes_no=r.team_uses_okrs) for r in responses
            ]
        else:
            answers += [
                Answer(response=r, question=question, text=rng.choice(COMMENTS)) for r in responses
            ]
    Answer.objects.bulk_create(answers)


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Two closed rounds (last year and this year) answered by up to 250 people, their
    organization-level results published to staff."""
    divisions = {u.path: u for u in Unit.objects.filter(name__in=DIVISIONS, depth=1)}
    seen: set[int] = set()
    people: list[tuple[User, Unit]] = []
    memberships = Membership.objects.select_related("user", "unit").order_by(
        "unit__path", "user_id"
    )
    for membership in memberships:
        division = divisions.get(membership.unit.path[: 2 * PATH_STEP])
        if division is not None and membership.user_id not in seen:
            seen.add(membership.user_id)
            people.append((membership.user, division))
    if not people:
        return
    rng.shuffle(people)
    now = people[:MAX_RESPONDENTS]
    before = people[: max(5, int(len(now) * 0.8))]
    _round(
        rng,
        title=f"OKR-kysely {today.year - 1}",
        opens_on=datetime.date(today.year - 1, 10, 1),
        people=before,
        shares=AGREE_BEFORE,
        uses_okrs=0.5,
    )
    _round(
        rng,
        title=f"OKR-kysely {today.year}",
        opens_on=datetime.date(today.year, 10, 1),
        people=now,
        shares=AGREE_NOW,
        uses_okrs=0.8,
    )
