"""Page-shaped reads for surveys: invitations and results (always already suppressed)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.organization.models import PATH_STEP, Membership, Unit
from soihtu.surveys.access import results_available
from soihtu.surveys.models import MIN_GROUP, Answer, Question, Respondent, Response, SurveyRound
from soihtu.surveys.services import audience_users
from soihtu.surveys.suppression import shown_groups, total_shown

NO_UNIT = 0  # the group key of responses without a breakdown unit
LIKERT_VALUES = [1, 2, 3, 4, 5, None]


def _answerable_by(user: User) -> Q:
    """Open rounds the person is in the audience of and has not answered yet."""
    today = timezone.localdate()
    member = Membership.objects.filter(user=user)
    inside = member.filter(unit__path__startswith=OuterRef("audience__path"))
    return (
        Q(state=SurveyRound.State.OPEN, opens_on__lte=today, closes_on__gte=today)
        & (Q(Exists(member), audience__isnull=True) | Q(Exists(inside)))
        & ~Q(pk__in=Respondent.objects.filter(user=user).values("round_id"))
    )


def open_rounds_for(user: User) -> list[SurveyRound]:
    """Open rounds the person is in the audience of and has not answered yet (one query)."""
    return list(
        SurveyRound.objects.filter(_answerable_by(user)).distinct().order_by("closes_on", "pk")
    )


@dataclass
class Bar:
    label: str
    count: int
    percent: float
    x: float = 0.0  # where the bar starts in the stacked SVG (percent)


@dataclass
class GroupRow:
    label: str
    n: int
    agree: float | None


@dataclass
class TrendPoint:
    round_title: str
    opens_on: str
    n: int
    agree: float | None


@dataclass
class QuestionResult:
    question: Question
    n: int
    agree: float | None
    bars: list[Bar] = field(default_factory=list)
    by_unit: list[GroupRow] = field(default_factory=list)
    by_okrs: list[GroupRow] = field(default_factory=list)
    hidden_units: int = 0
    trend: list[TrendPoint] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class ResultsPage:
    survey: SurveyRound
    responses: int
    audience: int
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """False while the round is not closed: the count and rate only."""
        return results_available(self.survey)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responses / self.audience) if self.audience else None

    @property
    def min_group(self) -> int:
        return MIN_GROUP


_Row = tuple[int, int | None, bool | None, str, int | None, bool]


def _answer_counts(values: list[_Row], kind: str) -> Counter[int | bool | None]:
    """How many gave each answer (the likert value, or yes/no) among the rows of one question."""
    if kind == Question.Kind.LIKERT:
        return Counter(v[1] for v in values)
    return Counter(v[2] for v in values)


def _share(values: list[_Row], kind: str) -> float | None:
    return _share_of(_answer_counts(values, kind), kind)


def _share_of(counts: Counter[int | bool | None], kind: str) -> float | None:
    """The share agreeing (4–5) or answering yes, in whole percent, of the answers counted."""
    n = sum(counts.values())
    if not n:
        return None
    if kind == Question.Kind.LIKERT:
        hits = counts[4] + counts[5]
    elif kind == Question.Kind.YES_NO:
        hits = counts[True]
    else:
        return None
    return round(100 * hits / n)


def _bars(values: list[_Row], kind: str) -> list[Bar]:
    return _bars_of(_answer_counts(values, kind), kind)


def _bars_of(counts: Counter[int | bool | None], kind: str) -> list[Bar]:
    n = sum(counts.values()) or 1
    if kind == Question.Kind.LIKERT:
        labels = [str(i) for i in range(1, 6)] + ["can't say"]
        pairs = list(zip(labels, LIKERT_VALUES, strict=True))
    elif kind == Question.Kind.YES_NO:
        pairs = [("yes", True), ("no", False)]
    else:
        return []
    bars = [Bar(label, counts[key], round(100 * counts[key] / n, 1)) for label, key in pairs]
    start = 0.0
    for bar in bars:
        bar.x = start
        start += bar.percent
    return bars


def _unit_allowed(path: str, paths: list[str] | None) -> bool:
    """May a person limited to `paths` (None: not limited) see the group of unit `path`?"""
    if paths is None:
        return True
    return any(path.startswith(p) or p.startswith(path) for p in paths)


def _count_only(survey: SurveyRound) -> ResultsPage:
    """A round that is not closed: how many answered and of how many, nothing else."""
    responses = Response.objects.filter(round=survey).count()
    audience = audience_users(survey).count()
    return ResultsPage(survey, responses, audience, shown=False)


def results_page(survey: SurveyRound, paths: list[str] | None = None) -> ResultsPage:
    """Every question's results, suppressed; `paths` limits the unit breakdown rows (a
    supervisor's own division). Only the count and rate until the round is closed
    (`access.results_available`). A constant number of queries whatever the size."""
    if not results_available(survey):
        return _count_only(survey)
    questions = list(survey.questions.all())
    rows: list[_Row] = list(
        Answer.objects.filter(response__round=survey).values_list(
            "question_id",
            "likert",
            "yes_no",
            "text",
            "response__breakdown_unit_id",
            "response__team_uses_okrs",
        )
    )
    group_counts = Counter(
        (u or NO_UNIT)
        for u in Response.objects.filter(round=survey).values_list("breakdown_unit_id", flat=True)
    )
    okr_counts = Counter(
        Response.objects.filter(round=survey).values_list("team_uses_okrs", flat=True)
    )
    total = sum(group_counts.values())
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[k for k in group_counts if k])}
    page = ResultsPage(
        survey=survey,
        responses=total,
        audience=audience_users(survey).count(),
        shown=total >= MIN_GROUP,
    )
    if not page.shown:
        return page
    shown_units = shown_groups(dict(group_counts))
    shown_okrs = shown_groups(dict(okr_counts))
    trends = _trends(survey, [q.key for q in questions])
    by_question: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        by_question[row[0]].append(row)
    for question in questions:
        page.questions.append(
            _question_result(
                question,
                by_question[question.pk],
                units,
                shown_units,
                shown_okrs,
                paths,
                trends.get(question.key, []),
            )
        )
    return page


def _question_result(
    question: Question,
    values: list[_Row],
    units: dict[int, Unit],
    shown_units: set[int],
    shown_okrs: set[bool],
    paths: list[str] | None,
    trend: list[TrendPoint],
) -> QuestionResult:
    result = QuestionResult(
        question=question, n=len(values), agree=_share(values, question.kind), trend=trend
    )
    if question.kind == Question.Kind.TEXT:
        # Free text only for the whole round, never beside unit details; a supervisor limited
        # to a division sees none (their division's texts could be a small group).
        texts = [v[3] for v in values if v[3].strip()]
        if paths is None and len(values) >= MIN_GROUP:
            result.texts = sorted(texts)
        return result
    result.bars = _bars(values, question.kind)
    grouped: dict[int, list[_Row]] = defaultdict(list)
    okr_grouped: dict[bool, list[_Row]] = defaultdict(list)
    for v in values:
        grouped[v[4] or NO_UNIT].append(v)
        okr_grouped[v[5]].append(v)
    for key in sorted(grouped, key=lambda k: units[k].path if k in units else "~"):
        if key not in shown_units:
            result.hidden_units += 1
            continue
        unit = units.get(key)
        if not _unit_allowed(unit.path if unit else "", paths) or (unit is None and paths):
            continue
        label = unit.name if unit else "—"
        result.by_unit.append(
            GroupRow(label, len(grouped[key]), _share(grouped[key], question.kind))
        )
    for flag in (True, False):
        if flag in shown_okrs and okr_grouped[flag]:
            result.by_okrs.append(
                GroupRow(
                    "yes" if flag else "no",
                    len(okr_grouped[flag]),
                    _share(okr_grouped[flag], question.kind),
                )
            )
    return result


def _trends(survey: SurveyRound, keys: list[str]) -> dict[str, list[TrendPoint]]:
    """Per question key, the whole-round share agreeing in every round with answers (rounds
    under MIN_GROUP answers show no share). Only closed rounds: an open round's share would
    change with each answer. One query."""
    rows = (
        Answer.objects.filter(question__key__in=keys, question__kind__in=["likert", "yes_no"])
        .filter(question__round__state=SurveyRound.State.CLOSED)
        .values(
            "question__key", "question__kind", "question__round__title", "question__round__opens_on"
        )
        .annotate(
            n=Count("pk"),
            likert_agree=Count("pk", filter=Q(likert__gte=4)),
            yes=Count("pk", filter=Q(yes_no=True)),
        )
        .order_by("question__round__opens_on", "question__round__title")
    )
    trends: dict[str, list[TrendPoint]] = defaultdict(list)
    for row in rows:
        n = row["n"]
        hits = row["likert_agree"] if row["question__kind"] == "likert" else row["yes"]
        agree = round(100 * hits / n) if n >= MIN_GROUP else None
        trends[row["question__key"]].append(
            TrendPoint(
                row["question__round__title"],
                row["question__round__opens_on"].isoformat(),
                n if n >= MIN_GROUP else 0,
                agree,
            )
        )
    return trends


@dataclass
class DivisionResult:
    unit: Unit
    n: int
    agree: dict[str, int | None]  # question key -> share agreeing (%)


def division_results(survey: SurveyRound) -> list[DivisionResult]:
    """Per division (the level below the organization), the share agreeing per question, for
    divisions shown after suppression (and complementary suppression). Two queries.

    Only for rounds kept at the division level (breakdown_depth 1): with finer groups, showing
    divisions beside the results page's unit rows would let a hidden unit be worked out by
    subtraction, so such rounds give an empty list. Rounds that are not closed give none
    either (`access.results_available`).
    """
    if survey.breakdown_depth != 1 or not results_available(survey):
        return []
    level = 2 * PATH_STEP
    rows = list(
        Answer.objects.filter(
            response__round=survey, question__kind__in=["likert", "yes_no"]
        ).values_list(
            "question__key",
            "question__kind",
            "likert",
            "yes_no",
            "response__breakdown_unit__path",
            "response_id",
        )
    )
    responses: dict[str, set[object]] = defaultdict(set)
    for row in rows:
        responses[(row[4] or "")[:level] if row[4] and len(row[4]) >= level else ""].add(row[5])
    shown = shown_groups({path: len(ids) for path, ids in responses.items()})
    divisions = {u.path: u for u in Unit.objects.filter(path__in=[p for p in shown if p])}
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for key, kind, likert, yes_no, path, _rid in rows:
        division = (path or "")[:level] if path and len(path) >= level else ""
        if division in divisions:
            counter = hits[(division, key)]
            counter[1] += 1
            counter[0] += int((likert or 0) >= 4) if kind == "likert" else int(bool(yes_no))
    results = []
    for path, unit in sorted(divisions.items()):
        agree = {
            k: round(100 * h / n) if n else None for (p, k), (h, n) in hits.items() if p == path
        }
        results.append(DivisionResult(unit=unit, n=len(responses[path]), agree=agree))
    return results


def latest_round_queryset() -> QuerySet[SurveyRound]:
    """Closed rounds, newest first (the first is the dashboard's): an open or reopened round
    has no results yet (`access.results_available`)."""
    return SurveyRound.objects.filter(state=SurveyRound.State.CLOSED).order_by("-opens_on", "-pk")


def published_rounds() -> QuerySet[SurveyRound]:
    """Closed rounds whose organization-level results the OKR office published, newest first
    (the SQL form of `access.results_published`)."""
    return SurveyRound.objects.filter(
        state=SurveyRound.State.CLOSED, results_published=True
    ).order_by("-opens_on", "-pk")


@dataclass
class PublishedResults:
    """The organization-level results of a published round: per question, the number of
    answers, the share agreeing and the distribution; no breakdown, free text or trend."""

    rounds: list[SurveyRound]
    survey: SurveyRound | None
    responses: int = 0
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return total_shown(self.responses)

    @property
    def min_group(self) -> int:
        return MIN_GROUP


def published_results(survey: SurveyRound | None) -> PublishedResults:
    """The published rounds (for the chooser) and the organization-level results of `survey`
    (the caller checked it is published: `access.get_round_for_published_results`), else of the
    latest published round, counted by the database. Nothing under MIN_GROUP answers is shown,
    for the round or for a question (the results page's rule, `suppression.total_shown`). Four
    queries."""
    rounds = list(published_rounds())
    survey = survey or (rounds[0] if rounds else None)
    if survey is None:
        return PublishedResults(rounds=rounds, survey=None)
    page = PublishedResults(
        rounds=rounds,
        survey=survey,
        responses=Response.objects.filter(round=survey).count(),
    )
    if not page.shown:
        return page
    questions = [q for q in survey.questions.all() if q.kind != Question.Kind.TEXT]
    counts: dict[int, Counter[int | bool | None]] = defaultdict(Counter)
    rows = (
        Answer.objects.filter(response__round=survey, question__in=[q.pk for q in questions])
        .values_list("question_id", "likert", "yes_no")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for question_id, likert, yes_no, n in rows:
        counts[question_id][likert if yes_no is None else yes_no] += n
    for question in questions:
        tally = counts[question.pk]
        n = sum(tally.values())
        if total_shown(n):
            page.questions.append(
                QuestionResult(
                    question=question,
                    n=n,
                    agree=_share_of(tally, question.kind),
                    bars=_bars_of(tally, question.kind),
                )
            )
    return page


@dataclass
class SurveyPanel:
    """The survey panel of My OKRs: the rounds the person may answer now, and the latest round
    whose results are published."""

    open_rounds: list[SurveyRound]
    published: SurveyRound | None

    def __bool__(self) -> bool:
        return bool(self.open_rounds) or self.published is not None


def survey_panel_for(user: User) -> SurveyPanel:
    """`open_rounds_for` and the latest published round, in one query."""
    published = Q(state=SurveyRound.State.CLOSED, results_published=True)
    rounds = list(SurveyRound.objects.filter(_answerable_by(user) | published).distinct())
    open_rounds = sorted(
        (r for r in rounds if r.state == SurveyRound.State.OPEN), key=lambda r: (r.closes_on, r.pk)
    )
    closed = [r for r in rounds if r.state == SurveyRound.State.CLOSED]
    latest = max(closed, key=lambda r: (r.opens_on, r.pk), default=None)
    return SurveyPanel(open_rounds=open_rounds, published=latest)
