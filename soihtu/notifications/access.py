"""May this person manage a team's webhooks? Views fetch teams and webhooks through here only.

A team's webhooks post outside Soihtu and their addresses are secrets, so only the people who
lead the team's rituals (LEAD_RITUALS: its supervisor and torchbearer) and the OKR office see
and change them; everyone else gets 403.

A notification is its recipient's alone: everyone else gets 404, as for one that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from soihtu.accounts.models import User
from soihtu.notifications.models import Notification, TeamWebhook
from soihtu.organization.models import Unit
from soihtu.organization.roles import Actor, Permission


def can_manage(actor: Actor, unit_id: int) -> bool:
    return actor.can(Permission.LEAD_RITUALS, unit_id)


def get_team_for_manage(actor: Actor, unit_id: int) -> Unit:
    """The unit if the person may manage its webhooks: 404 when missing, 403 otherwise."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    if not can_manage(actor, unit.pk):
        raise PermissionDenied
    return unit


def get_webhook_for_manage(actor: Actor, webhook_id: int) -> TeamWebhook:
    """The webhook if the person may manage its team's webhooks: 404 when missing, 403
    otherwise."""
    webhook = TeamWebhook.objects.select_related("unit").filter(pk=webhook_id).first()
    if webhook is None:
        raise Http404
    if not can_manage(actor, webhook.unit_id):
        raise PermissionDenied
    return webhook


def get_own_notification(user: User, notification_id: int) -> Notification:
    """One of the person's own notifications: anyone else's, like a missing one, is 404."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404
    return notification
