"""The OKR office's view of webhooks and deliveries: which endpoints fail and why.

Webhooks are added on the team's notifications page (which checks the address); here they can
be turned on or off and removed. Addresses show masked and secrets never. Deliveries are read
only, with an action to start failed ones over.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from soihtu.audit.admin import AuditedAdmin
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record
from soihtu.notifications.models import Delivery, Notification, TeamWebhook
from soihtu.notifications.services import WEBHOOK_FIELDS, deliveries_retry, webhook_snapshot

# The same rule as TeamWebhook.is_failing, for the database.
FAILING = Q(last_failure_at__isnull=False) & (
    Q(last_success_at__isnull=True) | Q(last_failure_at__gt=F("last_success_at"))
)


class FailingFilter(admin.SimpleListFilter):
    title = _("last attempt")
    parameter_name = "failing"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("failed")), ("no", _("delivered or none yet"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[TeamWebhook]
    ) -> QuerySet[TeamWebhook]:
        if self.value() == "yes":
            return queryset.filter(FAILING)
        if self.value() == "no":
            return queryset.exclude(FAILING)
        return queryset


@admin.register(TeamWebhook)
class TeamWebhookAdmin(AuditedAdmin):
    list_display = [
        "unit",
        "kind",
        "masked_url",
        "enabled",
        "last_success_at",
        "last_failure_at",
        "last_error",
        "last_status",
    ]
    list_filter = [FailingFilter, "enabled", "kind"]
    list_select_related = ["unit"]
    search_fields = ["unit__name"]
    fields = [
        "unit",
        "kind",
        "masked_url",
        "language",
        "send_checkin_summary",
        "send_successes",
        "enabled",
        "created_by",
        "created_at",
        "last_success_at",
        "last_failure_at",
        "last_error",
        "last_status",
    ]
    readonly_fields = [
        "unit",
        "kind",
        "masked_url",
        "created_by",
        "created_at",
        "last_success_at",
        "last_failure_at",
        "last_error",
        "last_status",
    ]
    audit_fields = WEBHOOK_FIELDS

    @admin.display(description=_("webhook address"))
    def masked_url(self, obj: TeamWebhook) -> str:
        return obj.masked_url

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # As AuditedAdmin, with the address masked in the trail.
        old = TeamWebhook.objects.select_related("unit").get(pk=obj.pk)
        obj.save()
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEvent.Action.UPDATE,
            instance=obj,
            before=webhook_snapshot(old),
            after=webhook_snapshot(obj),
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "created_at",
        "team",
        "event",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["state", "event", "last_error"]
    list_select_related = ["webhook__unit"]
    search_fields = ["webhook__unit__name"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [
        "webhook",
        "event",
        "key",
        "payload",
        "state",
        "attempts",
        "next_attempt_at",
        "last_status",
        "last_error",
        "created_at",
        "sent_at",
    ]

    @admin.display(description=_("team"), ordering="webhook__unit__name")
    def team(self, obj: Delivery) -> str:
        return obj.webhook.unit.name

    @admin.action(description=_("Start the selected messages over"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = deliveries_retry(actor=request.user, deliveries=queryset)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.",
                "%(count)d messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Whether notifications reach people by email, for the OKR office: events and their email
    state, never who got them nor what they say (notifications are personal)."""

    list_display = ["created_at", "event", "email_state", "is_read"]
    list_filter = ["event", "email_state"]
    date_hierarchy = "created_at"
    fields = ["created_at", "event", "email_state", "is_read"]
    readonly_fields = ["created_at", "event", "email_state", "is_read"]

    @admin.display(description=_("read"), boolean=True)
    def is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
