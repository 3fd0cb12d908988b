"""API tokens, the stored answers of idempotent requests, and the per-token rate-limit counters.

A token's secret is shown once, when it is created; only its SHA-256 hash is stored (the secret
is 256 random bits, so a fast hash is enough), with a short prefix to tell tokens apart on pages.
A service token always ends, at most SERVICE_TOKEN_DAYS after its creation.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.organization.models import Unit

SERVICE_TOKEN_DAYS = 365


def service_token_last_day(today: datetime.date) -> datetime.date:
    """The last day a service token created `today` may work: it expires when the day ends, at
    most SERVICE_TOKEN_DAYS after it was created."""
    return today + datetime.timedelta(days=SERVICE_TOKEN_DAYS - 1)


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("personal")
        SERVICE = "service", _("service")

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("access"), max_length=10, choices=Scope.choices, default=Scope.READ)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Service tokens only: the units, each with the units below it."),
    )
    # A personal token acts as this person; a service token is answered for by the org admin
    # who created it (check-ins it posts are recorded in their name).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    prefix = models.CharField(max_length=16, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["personal", "service"]), name="apitoken_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="apitoken_scope_valid"
            ),
            # No service token works until revoked (its length is the services' to check).
            models.CheckConstraint(
                condition=Q(kind="personal") | Q(expires_at__isnull=False),
                name="apitoken_service_expires",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def is_service(self) -> bool:
        return self.kind == self.Kind.SERVICE

    @property
    def valid_through(self) -> datetime.date | None:
        """The last day the token works (it expires at the start of the next day)."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at).date() - datetime.timedelta(days=1)


class IdempotentRequest(models.Model):
    """The answer given to a request sent with an Idempotency-Key, replayed to its retries.

    The unique constraint on (token, key) decides between concurrent duplicates: the second one
    waits for the first to commit, fails to insert, and replays the stored answer.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the operation and its payload
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.token_id}: {self.key}"


class RateLimitWindow(models.Model):
    """Requests made with one token in one fixed window (counted by the database, so that
    every application process shares the count)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "starts_at"], name="rate_limit_window_once")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} @ {self.starts_at:%H:%M}: {self.count}"
