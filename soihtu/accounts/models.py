from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
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

    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language the person last chose; their emails are written in it."),
    )

    employee_id = models.CharField(
        _("employee id"),
        max_length=64,
        blank=True,
        help_text=_("The identifier used by HR and the identity provider; unique when given."),
    )

    # The identity provider's (issuer, subject) pair, stored at the first single sign-on: from
    # then on the person is matched by it alone (docs/single-sign-on.md).
    oidc_issuer = models.CharField(
        _("identity provider"), max_length=255, blank=True, editable=False
    )
    oidc_subject = models.CharField(
        _("identity at the provider"), max_length=255, blank=True, editable=False
    )

    anonymized_at = models.DateTimeField(
        _("anonymized at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a person who left was anonymized; their OKR history remains."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_id"], condition=~Q(employee_id=""), name="user_employee_id_unique"
            ),
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="user_oidc_identity_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymized_at is not None:
            return gettext("former employee")
        return self.get_full_name() or self.username

    @property
    def email_language(self) -> str:
        """The person's own language, or the organization's default (Finnish)."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_anonymized(self) -> bool:
        return self.anonymized_at is not None

    @property
    def display_name(self) -> str:
        return str(self)


class SignInSession(AbstractBaseSession):
    """A browser's session, with whose it is and where it came from, so that a person can see
    their sessions and end the others, and the OKR office can end all of a person's.

    The columns beside the session data are copied from it when the session is saved
    (soihtu.accounts.sessions); the data stays the truth.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sign_in_sessions",
    )
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last active"), default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type:
        from soihtu.accounts.sessions import SessionStore

        return SessionStore


class SignInThrottle(models.Model):
    """Failed password sign-ins counted per account (the username typed, whether or not anyone
    has it) and per client address, and password reset requests per email and per address:
    the counts behind the growing delays and the locks (soihtu.accounts.throttle).

    A row stops counting when its lock ends, or when it has no lock and its first failure is
    older than SOIHTU_SIGN_IN_WINDOW_MINUTES; such rows are removed.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("sign-in to an account")
        ADDRESS = "address", _("sign-in from a client address")
        RESET_EMAIL = "reset_email", _("password reset for an email address")
        RESET_ADDRESS = "reset_address", _("password reset from a client address")

    kind = models.CharField(_("what is counted"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("username, email or client address"), max_length=254)
    count = models.PositiveIntegerField(
        _("count"), default=0, help_text=_("Failed sign-ins, or password reset requests.")
    )
    first_at = models.DateTimeField(_("first"))
    last_at = models.DateTimeField(_("latest"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="sign_in_throttle_kind_key"),
        ]
        indexes = [models.Index(fields=["first_at"], name="sign_in_throttle_first_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"
