"""Writes of learnings: published when a team completes its retrospective."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.learning.models import Learning
from soihtu.retrospectives.models import ObjectiveReview, Retrospective

LEARNING_FIELDS = ["text", "objective", "team", "cycle", "internal", "themes"]


def _publish(
    *, actor: User, retrospective: Retrospective, text: str, review: ObjectiveReview | None
) -> Learning:
    objective = review.objective if review is not None else None
    learning = Learning.objects.create(
        text=text.strip(),
        objective=objective,
        team_id=retrospective.team_id,
        cycle_id=retrospective.cycle_id,
        internal=review.internal if review is not None else False,
        retrospective=retrospective,
        created_by=actor,
    )
    if objective is not None:
        learning.themes.set(objective.themes.all())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=learning,
        before=None,
        after=snapshot(learning, LEARNING_FIELDS),
        objective_id=objective.pk if objective is not None else None,
    )
    return learning


@transaction.atomic
def learnings_publish(
    *, actor: User, retrospective: Retrospective, reviews: Iterable[ObjectiveReview]
) -> list[Learning]:
    """One learning per objective review with something learned (internal when the team
    ticked so), and the team's "what we change" as a learning of the whole team."""
    published = [
        _publish(actor=actor, retrospective=retrospective, text=review.learned, review=review)
        for review in reviews
        if review.learned.strip()
    ]
    if retrospective.what_we_change.strip():
        published.append(
            _publish(
                actor=actor,
                retrospective=retrospective,
                text=retrospective.what_we_change,
                review=None,
            )
        )
    return published
