from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person in the organization.

    Org admins (the OKR office) may change everything; every other permission comes from
    memberships in units (see soihtu.organization.roles).
    """

    is_org_admin = models.BooleanField(
        _("OKR office (org admin)"),
        default=False,
        help_text=_("Org admins may change everything in the organization."),
    )

    reminders_enabled = models.BooleanField(
        _("email reminders"),
        default=True,
        help_text=_("Reminders to check in on my key results, and the team summaries."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)
