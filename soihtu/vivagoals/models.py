from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle, Year
from soihtu.organization.models import Unit

KEEP_FOR = datetime.timedelta(days=1)


class VivaUploadQuerySet(models.QuerySet["VivaUpload"]):
    def fresh(self) -> VivaUploadQuerySet:
        """Uploads younger than a day; older ones are deleted at the next upload."""
        return self.filter(created_at__gte=timezone.now() - KEEP_FOR)


class VivaUpload(models.Model):
    """A Viva Goals export between its upload and its import, with the mapping the admin chose.

    Kept server-side so that the preview and the import read the very same file; deleted
    after the import, and at the latest a day after the upload.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("content"))
    delimiter = models.CharField(_("delimiter"), max_length=1)
    columns = models.JSONField(_("columns"), default=list)  # a parse.Field value per column
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    year = models.ForeignKey(
        Year, verbose_name=_("year"), null=True, blank=True, on_delete=models.SET_NULL
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), null=True, blank=True, on_delete=models.SET_NULL
    )
    mapped_at = models.DateTimeField(_("mapping chosen"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)

    objects = VivaUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("Viva Goals upload")
        verbose_name_plural = _("Viva Goals uploads")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delimiter__in=[",", ";", "\t"]),
                name="vivaupload_known_delimiter",
            ),
        ]

    def __str__(self) -> str:
        return self.filename
