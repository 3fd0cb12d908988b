"""Writes of ideas: recording one and moving it along new → tried → adopted or dropped.
Transactional and audited; every step is kept in IdeaStep."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.checkins.models import CheckIn
from soihtu.cycles.models import Cycle
from soihtu.ideas.access import TRANSITIONS, can_move, can_record
from soihtu.ideas.models import Idea, IdeaStep
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor

IDEA_FIELDS = [
    "team",
    "title",
    "description",
    "source",
    "checkin",
    "objectives",
    "key_results",
    "state",
    "cycle",
]


@transaction.atomic
def idea_create(
    *,
    actor: Actor,
    team: Unit,
    title: str,
    description: str = "",
    source: str = Idea.Source.PLAIN,
    checkin: CheckIn | None = None,
    objectives: Iterable[Objective] = (),
    key_results: Iterable[KeyResult] = (),
) -> Idea:
    """Record a new idea for a team the person belongs to (TAKE_PART on the team), in the
    current cycle. A check-in's key result is linked with the idea."""
    if not can_record(actor, team.pk):
        raise PermissionDenied
    krs = list(key_results)
    if checkin is not None:
        source = Idea.Source.CHECKIN
        if checkin.key_result not in krs:
            krs.append(checkin.key_result)
    idea = Idea.objects.create(
        team=team,
        title=title,
        description=description,
        source=source,
        checkin=checkin,
        cycle=Cycle.objects.current(),
        created_by=actor.user,
    )
    idea.objectives.set(objectives)
    idea.key_results.set(krs)
    IdeaStep.objects.create(idea=idea, from_state="", to_state=Idea.State.NEW, by=actor.user)
    audit_record(
        actor=actor.user,
        action=AuditEvent.Action.CREATE,
        instance=idea,
        before=None,
        after=snapshot(idea, IDEA_FIELDS),
    )
    return idea


@transaction.atomic
def idea_move(*, actor: Actor, idea: Idea, to_state: str, note: str = "") -> Idea:
    """Take one step: new → tried or dropped, tried → adopted or dropped, dropped → new (revived).
    Any other step raises ValidationError; a person who may not take it, PermissionDenied."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if to_state not in TRANSITIONS.get(idea.state, frozenset()):
        raise ValidationError(
            _("An idea that is %(state)s cannot be marked %(to)s.")
            % {
                "state": Idea.State(idea.state).label,
                "to": Idea.State(to_state).label if to_state in Idea.State.values else to_state,
            }
        )
    if not can_move(actor, idea, to_state):
        raise PermissionDenied
    before = snapshot(idea, IDEA_FIELDS)
    IdeaStep.objects.create(
        idea=idea,
        from_state=idea.state,
        to_state=to_state,
        by=actor.user,
        at=timezone.now(),
        note=note,
    )
    idea.state = to_state
    idea.save(update_fields=["state"])
    audit_record(
        actor=actor.user,
        action=AuditEvent.Action.UPDATE,
        instance=idea,
        before=before,
        after=snapshot(idea, IDEA_FIELDS),
    )
    if idea.created_by_id is not None:
        # The new state goes as its code, shown in each reader's language.
        people_notify(
            recipients=[idea.created_by_id],
            event=Notification.Event.IDEA_MOVED,
            actor=actor.user,
            subject=idea.title,
            detail=to_state,
            url=reverse("ideas:detail", args=[idea.pk]),
        )
    return idea
