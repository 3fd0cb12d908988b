"""Writes of successes and thanks: transactional and audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.cycles.models import Cycle
from soihtu.notifications.inbox import people_notify
from soihtu.notifications.models import Notification
from soihtu.notifications.services import success_announce
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission
from soihtu.successes.models import Success, Thanks

SUCCESS_FIELDS = ["team", "title", "story", "objectives", "key_result", "cycle"]
THANKS_FIELDS = ["success", "user"]


def _cycle_for(objectives: list[Objective], key_result: KeyResult | None) -> Cycle | None:
    """The cycle the success belongs to: the key result's, else the first linked objective's
    with a cycle, else the current cycle."""
    if key_result is not None and key_result.objective.cycle_id is not None:
        return key_result.objective.cycle
    for objective in objectives:
        if objective.cycle_id is not None:
            return objective.cycle
    return Cycle.objects.current()


@transaction.atomic
def success_share(
    *,
    actor: Actor,
    team: Unit,
    title: str,
    story: str,
    objectives: Iterable[Objective] = (),
    key_result: KeyResult | None = None,
) -> Success:
    """Share a success for a team (TAKE_PART on the team). Objectives and the key result must
    be the team's own."""
    if not actor.can(Permission.TAKE_PART, team.pk):
        raise PermissionDenied
    linked = list(objectives)
    if any(o.owner_unit_id != team.pk for o in linked) or (
        key_result is not None and key_result.objective.owner_unit_id != team.pk
    ):
        raise ValidationError(_("Link only the team's own objectives and key results."))
    if key_result is not None and key_result.objective not in linked:
        linked.append(key_result.objective)
    success = Success.objects.create(
        team=team,
        title=title,
        story=story,
        key_result=key_result,
        cycle=_cycle_for(linked, key_result),
        created_by=actor.user,
    )
    success.objectives.set(linked)
    audit_record(
        actor=actor.user,
        action=AuditEvent.Action.CREATE,
        instance=success,
        before=None,
        after=snapshot(success, SUCCESS_FIELDS),
    )
    # Notifications: the team's webhooks get the success after the commit; this never waits
    # for an endpoint nor fails the sharing (see soihtu/notifications/services.py).
    success_announce(success=success)
    return success


def success_thank(*, actor: Actor, success: Success) -> bool:
    """Thank the team for a success, once per person. True when a thanks was added, False when
    this person had already thanked (nothing changes)."""
    try:
        with transaction.atomic():
            thanks = Thanks.objects.create(success=success, user=actor.user)
            audit_record(
                actor=actor.user,
                action=AuditEvent.Action.CREATE,
                instance=thanks,
                before=None,
                after=snapshot(thanks, THANKS_FIELDS),
            )
            _team_notify(actor.user, success)
    except IntegrityError:
        return False
    return True


def _team_notify(actor: User, success: Success) -> None:
    """Tell the success's team that it was thanked: at most once a day per person and success,
    however many thank it (the already told are left out in the same query)."""
    url = reverse("successes:detail", args=[success.pk])
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    told_today = Notification.objects.filter(
        event=Notification.Event.SUCCESS_THANKED, url=url, created_at__gte=midnight
    ).values("recipient_id")
    people_notify(
        recipients=User.objects.filter(memberships__unit=success.team_id).exclude(
            pk__in=told_today
        ),
        event=Notification.Event.SUCCESS_THANKED,
        actor=actor,
        subject=success.title,
        url=url,
    )


@transaction.atomic
def success_unthank(*, actor: Actor, success: Success) -> bool:
    """Take one's thanks back. True when there was one to take back."""
    thanks = Thanks.objects.select_for_update().filter(success=success, user=actor.user).first()
    if thanks is None:
        return False
    audit_record(
        actor=actor.user,
        action=AuditEvent.Action.DELETE,
        instance=thanks,
        before=snapshot(thanks, THANKS_FIELDS),
        after=None,
    )
    thanks.delete()
    return True
