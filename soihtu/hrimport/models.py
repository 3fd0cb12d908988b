from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HrImport(models.Model):
    """One HR file: staged for its preview on the upload page, then applied.

    The file's text is kept only until the import is applied (or abandoned): it holds personal
    data, and after applying the audit trail and the counts in `summary` tell what happened.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("upload page")
        COMMAND = "command", _("management command")

    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.TextField(_("content"), blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("HR import")
        verbose_name_plural = _("HR imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name or self.content_sha256[:12]} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None
