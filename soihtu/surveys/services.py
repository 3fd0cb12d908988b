"""Writes for surveys. Admin changes to rounds and questions are audited; answers are not.

Answers are deliberately left out of the audit trail: an audit event names its actor and its
time, which would link a person to what they answered and undo the survey's anonymity.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, audited_save, snapshot
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification
from soihtu.okrs.models import Objective
from soihtu.organization.models import PATH_STEP, Membership, Unit
from soihtu.surveys.defaults import DEFAULT_QUESTIONS
from soihtu.surveys.models import Answer, Invitation, Question, Respondent, Response, SurveyRound

ROUND_FIELDS = [
    "title",
    "opens_on",
    "closes_on",
    "state",
    "breakdown_depth",
    "audience",
    "results_published",
]
QUESTION_FIELDS = ["round", "order", "key", "kind", "text_fi", "text_sv", "text_en"]


class SurveyError(Exception):
    """A refused survey action, with a message for the person."""


def audience_memberships(survey: SurveyRound) -> QuerySet[Membership]:
    """Memberships that put a person in the round's audience."""
    paths = [u.path for u in survey.audience.all()]
    memberships = Membership.objects.all()
    if paths:
        condition = Q()
        for path in paths:
            condition |= Q(unit__path__startswith=path)
        memberships = memberships.filter(condition)
    return memberships


def audience_users(survey: SurveyRound) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=audience_memberships(survey).values("user_id"), is_active=True
    )


def round_create_from_template(
    *,
    actor: User,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    breakdown_depth: int = 1,
    audience: list[Unit] | None = None,
) -> SurveyRound:
    """A new draft round with the default questions."""
    with transaction.atomic():
        survey = SurveyRound(
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            breakdown_depth=breakdown_depth,
            created_by=actor,
        )
        survey.save()
        survey.audience.set(audience or [])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=survey,
            before=None,
            after=snapshot(survey, ROUND_FIELDS),
        )
        Question.objects.bulk_create(
            Question(
                round=survey,
                order=i,
                key=q.key,
                kind=q.kind,
                text_fi=q.fi,
                text_sv=q.sv,
                text_en=q.en,
            )
            for i, q in enumerate(DEFAULT_QUESTIONS)
        )
    return survey


def round_update(*, actor: User, survey: SurveyRound, data: dict[str, Any]) -> SurveyRound:
    """Change the round's title, dates, breakdown level and audience."""
    with transaction.atomic():
        before = snapshot(survey, ROUND_FIELDS)
        audience = data.pop("audience", None)
        for name, value in data.items():
            setattr(survey, name, value)
        survey.save()
        if audience is not None:
            survey.audience.set(audience)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=survey,
            before=before,
            after=snapshot(survey, ROUND_FIELDS),
        )
    return survey


@transaction.atomic
def round_set_state(*, actor: User, survey: SurveyRound, state: str) -> SurveyRound:
    """Open or close the round. Who has answered stays recorded either way. Opening queues the
    email invitations (sent by the background worker once the change is committed) and takes
    back the publication of its results: they would change with new answers, so the OKR office
    publishes them again after closing if it wants to. Opening also tells everyone in the
    audience in their notifications, whether they have answered or not: a notification must
    not tell who answered."""
    data: dict[str, Any] = {"state": state}
    opening = state == SurveyRound.State.OPEN and survey.state != SurveyRound.State.OPEN
    if state == SurveyRound.State.OPEN:
        data["results_published"] = False
    survey = round_update(actor=actor, survey=survey, data=data)
    if opening:
        people_notify(
            recipients=audience_users(survey),
            event=Notification.Event.SURVEY_OPENED,
            actor=actor,
            subject=survey.title,
            url=reverse("surveys:answer", args=[survey.pk]),
        )
    if state == SurveyRound.State.OPEN:
        from soihtu.surveys.tasks import send_invitations

        transaction.on_commit(lambda: send_invitations.enqueue(survey.pk))
    return survey


def round_results_publish(*, actor: User, survey: SurveyRound, published: bool) -> SurveyRound:
    """Publish a closed round's organization-level results to everyone signed in, or take them
    back (audited). Refused while the round is not closed: its results do not exist yet."""
    if survey.state != SurveyRound.State.CLOSED:
        raise SurveyError(_("Only a closed round's results can be published."))
    if survey.results_published == published:
        return survey
    return round_update(actor=actor, survey=survey, data={"results_published": published})


def question_save(*, actor: User, question: Question, data: dict[str, Any]) -> Question:
    """Create or edit a question; refused once the round has answers (they would change meaning)."""
    if question.round.responses.exists():
        raise SurveyError(_("The round already has answers: its questions can no longer change."))
    with transaction.atomic():
        before = snapshot(question, QUESTION_FIELDS) if question.pk else None
        for name, value in data.items():
            setattr(question, name, value)
        try:
            with transaction.atomic():
                audited_save(actor=actor, instance=question, fields=QUESTION_FIELDS, before=before)
        except IntegrityError as error:
            raise SurveyError(_("Another question of this round has the same key.")) from error
    return question


def team_uses_okrs(user: User, survey: SurveyRound) -> bool:
    """Has a team of the person at least one objective in a cycle overlapping the round?"""
    return Objective.objects.filter(
        owner_unit__memberships__user=user,
        cycle__starts_on__lte=survey.closes_on,
        cycle__ends_on__gte=survey.opens_on,
    ).exists()


def breakdown_unit_for(user: User, survey: SurveyRound) -> Unit | None:
    """The person's unit at the round's breakdown level (their first membership in the
    audience, by path); None when their units are above that level."""
    membership = (
        audience_memberships(survey)
        .filter(user=user)
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )
    if membership is None:
        return None
    path = membership.unit.path[: PATH_STEP * (survey.breakdown_depth + 1)]
    if len(path) < PATH_STEP * (survey.breakdown_depth + 1):
        return None
    return Unit.objects.filter(path=path).first()


def may_answer(user: User, survey: SurveyRound) -> bool:
    return audience_memberships(survey).filter(user=user).exists()


def response_submit(*, user: User, survey: SurveyRound, values: dict[int, dict[str, Any]]) -> None:
    """Record one person's answers anonymously, once.

    `values` maps question id to Answer field values. The Respondent row (who) and the
    Response row (what) are written in one transaction and share nothing but the round.
    """
    if not survey.is_answerable():
        raise SurveyError(_("This survey is not open."))
    if not may_answer(user, survey):
        raise SurveyError(_("This survey is not for you."))
    unit = breakdown_unit_for(user, survey)
    uses = team_uses_okrs(user, survey)
    try:
        with transaction.atomic():
            Respondent.objects.create(round=survey, user=user)
            response = Response.objects.create(
                round=survey,
                breakdown_unit=unit,
                team_uses_okrs=uses,
                submitted_on=timezone.localdate(),
            )
            Answer.objects.bulk_create(
                Answer(response=response, question_id=qid, **fields)
                for qid, fields in values.items()
            )
    except IntegrityError as error:
        raise SurveyError(_("You have already answered this survey.")) from error


def responses_mix(
    survey: SurveyRound, *, shuffle: Callable[[list[Any]], None] | None = None
) -> int:
    """Rewrite all of the round's responses and answers, in a random order and with new keys, in
    one transaction; returns how many responses were rewritten (0 when none is new).

    A response is written in the same transaction as its Respondent row, so a database
    administrator could pair the two by PostgreSQL's transaction id (`xmin`) or by physical
    order. After mixing, every response of the round carries the same transaction id and stands
    in random order, so only the page's answer counts remain. The scheduler runs this.
    """
    shuffle = shuffle or secrets.SystemRandom().shuffle
    with transaction.atomic():
        # One mixer per round at a time: two schedulers would otherwise copy the same rows.
        SurveyRound.objects.select_for_update().filter(pk=survey.pk).first()
        if not Response.objects.filter(round=survey, mixed=False).exists():
            return 0
        responses = list(Response.objects.filter(round=survey))
        by_response: dict[Any, list[Answer]] = {}
        for answer in Answer.objects.filter(response__round=survey):
            by_response.setdefault(answer.response_id, []).append(answer)
        shuffle(responses)
        copies: list[Response] = []
        answers: list[Answer] = []
        for old in responses:
            new = Response(
                round=survey,
                breakdown_unit_id=old.breakdown_unit_id,
                team_uses_okrs=old.team_uses_okrs,
                submitted_on=old.submitted_on,
                mixed=True,
            )
            copies.append(new)
            answers.extend(
                Answer(
                    response=new,
                    question_id=a.question_id,
                    likert=a.likert,
                    yes_no=a.yes_no,
                    text=a.text,
                )
                for a in by_response.get(old.pk, [])
            )
        # Only the rows read above: an answer submitted meanwhile stays, to be mixed next time.
        keys = [old.pk for old in responses]
        for start in range(0, len(keys), 2000):
            Response.objects.filter(pk__in=keys[start : start + 2000]).delete()
        shuffle(answers)
        Response.objects.bulk_create(copies, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=2000)
    return len(copies)


def responses_mix_all() -> int:
    """Mix every round that has responses not yet mixed; returns how many were rewritten."""
    rounds = SurveyRound.objects.filter(responses__mixed=False).distinct()
    return sum(responses_mix(survey) for survey in rounds)


def invitations_send(survey: SurveyRound) -> int:
    """Email everyone in the audience who has neither answered nor been invited; returns how
    many were sent. Safe to run again."""
    if survey.state != SurveyRound.State.OPEN:
        return 0
    people = (
        audience_users(survey)
        .exclude(pk__in=Respondent.objects.filter(round=survey).values("user_id"))
        .exclude(pk__in=Invitation.objects.filter(round=survey).values("user_id"))
        .exclude(email="")
    )
    base = getattr(settings, "SOIHTU_BASE_URL", "").rstrip("/")
    url = base + reverse("surveys:answer", args=[survey.pk])
    sent = 0
    for person in people:
        with transaction.atomic(), translation.override(person.email_language):
            Invitation.objects.create(round=survey, user=person)
            send_mail(
                subject=_("Survey: %(title)s") % {"title": survey.title},
                message=_(
                    "You are invited to answer the anonymous OKR survey “%(title)s” by "
                    "%(closes)s: %(url)s"
                )
                % {"title": survey.title, "closes": survey.closes_on.isoformat(), "url": url},
                from_email=None,
                recipient_list=[person.email],
            )
        sent += 1
    return sent
