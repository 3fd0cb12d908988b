from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who changed what and when, with the values before and after. Written by services only."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    target_type = models.CharField(_("object type"), max_length=50)
    target_id = models.BigIntegerField(_("object id"))
    target_repr = models.CharField(_("object"), max_length=255)
    # The objective whose history this event belongs to (kept after the objective is deleted).
    objective_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type} {self.target_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value changed."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class SecurityEvent(models.Model):
    """Sign-ins, refusals and credentials: who (or the name someone tried), when, from which
    client address, and what. Written through `security_event_record` only; kept for
    SOIHTU_SECURITY_LOG_DAYS and pruned by the scheduler (docs/security.md)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
        SIGN_IN_REFUSED = "sign_in_refused", _("single sign-on refused")
        LOCKED_OUT = "locked_out", _("locked out")
        UNLOCKED = "unlocked", _("unlocked")
        SIGN_OUT = "sign_out", _("signed out")
        SESSION_EXPIRED = "session_expired", _("session expired")
        SESSIONS_ENDED = "sessions_ended", _("sessions ended")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("password reset requested")
        PASSWORD_RESET = "password_reset", _("password reset")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        REFUSED = "refused", _("request refused")
        API_REFUSED = "api_refused", _("API request refused")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name typed at a failed sign-in (there may be no such person), else the person's.
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    path = models.CharField(_("request"), max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="security_event_user_at"),
            models.Index(fields=["kind", "at"], name="security_event_kind_at"),
            models.Index(fields=["username", "at"], name="security_event_username_at"),
            models.Index(fields=["address", "at"], name="security_event_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"


class AccessRecord(models.Model):
    """Who read restricted or personal information, and when: the access log that Finnish
    public administration expects (Act on Information Management 906/2019, §17). Written
    through `access_record` only; kept for SOIHTU_ACCESS_LOG_DAYS (docs/security.md)."""

    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("restricted objective")
        KEY_RESULT = "key_result", _("key result of a restricted objective")
        RETROSPECTIVE = "retrospective", _("retrospective of a restricted objective")
        PERSON = "person", _("a person's data")
        PERSON_EXPORT = "person_export", _("a person's data, downloaded")
        SURVEY_RESULTS = "survey_results", _("survey results")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=255)
    path = models.CharField(_("request"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="access_record_user_at"),
            models.Index(fields=["object_id", "at"], name="access_record_object_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_repr}"
