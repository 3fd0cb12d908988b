"""A person who has done a bit of everything, across every app, next to a colleague with an
equally distinctive name: shared by the privacy tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.checkins.services import checkin_create
from soihtu.conftest import World, make_kr, make_objective
from soihtu.cycles.models import TeamCycle
from soihtu.followup.models import FollowUpMeeting, ReminderLog
from soihtu.followup.services import reminders_enabled_set
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.learning.models import Learning
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.planning.models import Proposal, ProposalAuthor, ProposalComment, ProposalSupport
from soihtu.retrospectives.models import Retrospective, RetrospectiveParticipant
from soihtu.successes.models import Success, Thanks
from soihtu.surveys.models import Answer, Invitation, Question, Respondent, Response, SurveyRound

PERSON = {
    "username": "akettumaki",
    "first_name": "Aurelia",
    "last_name": "Kettumäki",
    "email": "aurelia.kettumaki@virasto.example",
    "employee_id": "EMP-4521X",
}
COLLEAGUE = {
    "username": "bsinisalo",
    "first_name": "Bartholomew",
    "last_name": "Sinisalo",
    "email": "bartholomew.sinisalo@virasto.example",
    "employee_id": "EMP-9932Y",
}


def strings_of(data: dict[str, str]) -> list[str]:
    return [
        data["username"],
        data["email"],
        data["employee_id"],
        data["last_name"],
        f"{data['first_name']} {data['last_name']}",
    ]


@dataclass
class Built:
    person: User
    colleague: User
    objective: Objective
    key_result: KeyResult
    survey: SurveyRound


def build(world: World) -> Built:
    """The person (a member of team A) and their traces in every app, some shared with the
    colleague (a member of team B) and the org admin."""
    person = User.objects.create_user(password="x-password-1", **PERSON)
    colleague = User.objects.create_user(password="x-password-2", **COLLEAGUE)
    membership = Membership.objects.create(user=person, unit=world.team_a)
    Membership.objects.create(user=colleague, unit=world.team_b)
    audit_record(
        actor=world.admin,
        action=AuditEvent.Action.CREATE,
        instance=membership,
        before=None,
        after=snapshot(membership, ["user", "unit", "role"]),
    )
    reminders_enabled_set(actor=person, enabled=False)
    objective = make_objective(
        world.team_a,
        year=world.year,
        cycle=world.cycle,
        title="Aurelian tavoite",
        created_by=person,
    )
    key_result = make_kr(objective, "Aurelian mittari", owner=person)
    checkin_create(
        author=person, key_result=key_result, value=Decimal(30), confidence=6, note="Eteni hyvin"
    )
    checkin_create(author=colleague, key_result=world.kr_b1, value=Decimal(10), confidence=5)
    TeamCycle.objects.create(team=world.team_a, cycle=world.cycle, planning_opened_by=person)
    proposal = Proposal.objects.create(
        team=world.team_a,
        cycle=world.cycle,
        title="Ehdotus",
        created_by=person,
        decided_by=colleague,
    )
    ProposalAuthor.objects.create(proposal=proposal, user=person)
    ProposalAuthor.objects.create(proposal=proposal, user=colleague)
    ProposalComment.objects.create(proposal=proposal, author=person, text="Hyvä ajatus")
    ProposalComment.objects.create(proposal=proposal, author=colleague, text="Samaa mieltä")
    ProposalSupport.objects.create(proposal=proposal, user=person)
    ProposalSupport.objects.create(proposal=proposal, user=colleague)
    retrospective = Retrospective.objects.create(
        team=world.team_a, cycle=world.closed_cycle, started_by=person
    )
    RetrospectiveParticipant.objects.create(retrospective=retrospective, user=person)
    RetrospectiveParticipant.objects.create(retrospective=retrospective, user=colleague)
    Learning.objects.create(
        text="Pienet askeleet toimivat", team=world.team_a, cycle=world.cycle, created_by=person
    )
    success = Success.objects.create(
        team=world.team_a,
        title="Onnistuminen",
        story="Tarina",
        cycle=world.cycle,
        created_by=person,
    )
    Thanks.objects.create(success=success, user=person)
    Thanks.objects.create(success=success, user=colleague)
    idea = Idea.objects.create(team=world.team_a, title="Idea", created_by=person)
    IdeaStep.objects.create(idea=idea, to_state=Idea.State.NEW, by=person)
    ReminderLog.objects.create(
        user=person, kind=ReminderLog.Kind.DUE_REMINDER, team=world.team_a, period_key="2026-W48"
    )
    FollowUpMeeting.objects.create(team=world.team_a, held_by=person)
    survey = SurveyRound.objects.create(
        title="Kysely",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 12, 1),
        created_by=world.admin,
    )
    question = Question.objects.create(
        round=survey, key="clear", kind=Question.Kind.TEXT, text_fi="K", text_sv="F", text_en="Q"
    )
    Invitation.objects.create(round=survey, user=person)
    Respondent.objects.create(round=survey, user=person)
    response = Response.objects.create(round=survey, submitted_on=datetime.date(2026, 11, 20))
    Answer.objects.create(response=response, question=question, text="Nimetön vastaus")
    LogEntry.objects.create(
        user=world.admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message=f"Changed email of {person.get_full_name()}.",
    )
    return Built(person, colleague, objective, key_result, survey)


def leave(person: User) -> None:
    """The person has left: deactivated (as the HR import does)."""
    User.objects.filter(pk=person.pk).update(is_active=False)
    person.refresh_from_db()
