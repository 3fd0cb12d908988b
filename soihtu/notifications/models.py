"""Notifications beyond email: a team's incoming webhooks (Microsoft Teams or any endpoint that
takes JSON) and the deliveries posted to them."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.organization.models import Unit

URL_MAX = 2000


class Problem(models.TextChoices):
    """Why an attempt failed. Stored as a code, so that each reader sees it in their language."""

    TIMEOUT = "timeout", _("The webhook did not answer in time.")
    CONNECTION = "connection", _("Could not connect to the webhook.")
    HTTP_STATUS = "http_status", _("The webhook refused the message.")
    ADDRESS = "address", _("The address points inside this network, which is not allowed.")
    HOST_NOT_FOUND = "host_not_found", _("The webhook's host name was not found.")
    DISABLED = "disabled", _("The webhook was turned off before the message went out.")
    OTHER = "other", _("Sending failed.")


def mask_url(url: str) -> str:
    """The URL with everything after the host hidden but its last four characters: Teams
    webhook URLs carry their key in the path, so the full URL is a secret."""
    parts = urlsplit(url)
    rest = url[len(f"{parts.scheme}://{parts.netloc}") :]
    tail = rest[-4:] if len(rest) > 8 else ""
    return f"{parts.scheme}://{parts.netloc}/…{tail}"


class TeamWebhook(models.Model):
    """Where a team's check-in summaries and successes are posted. The URL and the secret are
    write-only: pages and the audit trail show the URL masked and the secret never."""

    class Kind(models.TextChoices):
        TEAMS = "teams", _("Microsoft Teams")
        GENERIC = "generic", _("generic webhook (JSON)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="webhooks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAMS)
    url = models.URLField(_("webhook address"), max_length=URL_MAX)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Generic webhooks only: signs each message (X-Soihtu-Signature)."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fi"
    )
    send_checkin_summary = models.BooleanField(_("check-in summary"), default=True)
    send_successes = models.BooleanField(_("successes"), default=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"), max_length=20, choices=Problem.choices, blank=True
    )
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)

    class Meta:
        verbose_name = _("team webhook")
        verbose_name_plural = _("team webhooks")
        ordering = ["unit_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["teams", "generic"]), name="webhook_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="webhook_url_http",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.get_kind_display()} {self.masked_url}"

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @property
    def is_failing(self) -> bool:
        """The last attempt failed (no success since)."""
        return self.last_failure_at is not None and (
            self.last_success_at is None or self.last_failure_at > self.last_success_at
        )


class Delivery(models.Model):
    """One message to one webhook. Created in the transaction of the event it tells about, posted
    later by a background task; retried with backoff until MAX_ATTEMPTS, then failed."""

    class Event(models.TextChoices):
        CHECKIN_SUMMARY = "checkin_summary", _("check-in summary")
        SUCCESS = "success", _("success")
        TEST = "test", _("test message")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(
        TeamWebhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    # What makes the message unique for its webhook: "success:<id>", or the cadence period of a
    # check-in summary; empty for test messages, which may repeat.
    key = models.CharField(max_length=100, blank=True)
    payload = models.JSONField(_("message"))
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"), max_length=20, choices=Problem.choices, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event", "key"],
                condition=~Q(key=""),
                name="delivery_once_per_key",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed"]), name="delivery_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} #{self.pk}"
