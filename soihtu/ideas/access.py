"""May this person see, record or move an idea? Views fetch through here only.

Anyone signed in may browse, search and open the ideas of every team (`ideas_visible_to`),
except an idea that serves an objective the person may not see (a restricted objective of
another unit, linked directly, through a key result or through the check-in the idea came
from): that idea would tell what the objective is about, so it answers 404 as the objective
does. The people of the team (and the OKR office) see all of the team's ideas, and only they
see the team's board. Recording one takes part in the team (TAKE_PART); moving one leads the
team's rituals (LEAD_RITUALS), except that an idea's author may start trying it (new → tried).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from soihtu.checkins.models import CheckIn
from soihtu.ideas.models import Idea
from soihtu.okrs.access import objectives_hidden_from
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission

TRANSITIONS: dict[str, frozenset[str]] = {
    Idea.State.NEW: frozenset({Idea.State.TRIED, Idea.State.DROPPED}),
    Idea.State.TRIED: frozenset({Idea.State.ADOPTED, Idea.State.DROPPED}),
    Idea.State.ADOPTED: frozenset(),
    Idea.State.DROPPED: frozenset({Idea.State.NEW}),
}


def can_see_team_ideas(actor: Actor, team_id: int) -> bool:
    """The team's board, and every idea of the team: its people and the OKR office."""
    return actor.belongs_to(team_id)


def ideas_visible_to(actor: Actor) -> QuerySet[Idea]:
    """The ideas this person may see, in SQL: every idea of their own teams (all for the OKR
    office), and other teams' ideas that serve no objective hidden from them
    (`okrs.access.objectives_hidden_from`, only restricted objectives of other units, a short
    list)."""
    if actor.is_org_admin:
        return Idea.objects.all()
    hidden = objectives_hidden_from(actor).values("pk")
    links = Idea.objectives.through.objects.filter(objective_id__in=hidden)
    kr_links = Idea.key_results.through.objects.filter(keyresult__objective_id__in=hidden)
    checkins = CheckIn.objects.filter(key_result__objective_id__in=hidden)
    serves_hidden = (
        Q(pk__in=links.values("idea_id"))
        | Q(pk__in=kr_links.values("idea_id"))
        | Q(checkin_id__in=checkins.values("pk"))
    )
    return Idea.objects.filter(Q(team_id__in=actor.unit_ids) | ~serves_hidden)


def can_record(actor: Actor, team_id: int) -> bool:
    return actor.can(Permission.TAKE_PART, team_id)


def can_move(actor: Actor, idea: Idea, to_state: str) -> bool:
    """Leaders of the team may take any allowed step; the author may start trying their idea."""
    if actor.can(Permission.LEAD_RITUALS, idea.team_id):
        return True
    return (
        idea.state == Idea.State.NEW
        and to_state == Idea.State.TRIED
        and idea.created_by_id == actor.user.pk
        and can_record(actor, idea.team_id)
    )


def allowed_moves(actor: Actor, idea: Idea) -> list[str]:
    """The steps this person may take with the idea now, in a stable order."""
    order = [s.value for s in Idea.State]
    return [s for s in order if s in TRANSITIONS[idea.state] and can_move(actor, idea, s)]


def get_team_for_ideas(actor: Actor, unit_id: int) -> Unit:
    team = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.TEAM).first()
    if team is None or not can_see_team_ideas(actor, team.pk):
        raise Http404
    return team


def get_team_for_record(actor: Actor, unit_id: int) -> Unit:
    """The team if this person may record an idea for it: 404 when hidden, 403 when only
    readable (a supervisor of a unit above)."""
    team = get_team_for_ideas(actor, unit_id)
    if not can_record(actor, team.pk):
        raise PermissionDenied
    return team


def get_idea_for_user(actor: Actor, idea_id: int) -> Idea:
    """The idea if this person may see it (`ideas_visible_to`), else 404."""
    idea = (
        ideas_visible_to(actor)
        .select_related("team", "cycle__year", "created_by")
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        raise Http404
    return idea


def get_idea_for_move(actor: Actor, idea_id: int, to_state: str) -> Idea:
    """The idea if this person may take this step: 404 when hidden, 403 when not theirs to move.
    Whether the step itself is allowed is the service's to say."""
    idea = get_idea_for_user(actor, idea_id)
    if not can_move(actor, idea, to_state):
        raise PermissionDenied
    return idea
