"""The accessibility statement (Act 306/2019 on the provision of digital services) and the
feedback given on it. The statement's texts are the organization's own, in each language; the
defaults below describe Soihtu itself, so that a new installation publishes a complete page."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The day Soihtu's own self-assessment was made; the organization sets the day of its own.
SOIHTU_ASSESSED_ON = datetime.date(2026, 12, 3)

DEFAULT_ASSESSMENT = {
    "fi": (
        "Itsearviointi. Sivut tarkistetaan automaattisesti axe-core-työkalulla suomeksi, "
        "ruotsiksi ja englanniksi palvelun testeissä, ja palvelua on kokeiltu jokaisen "
        "käyttäjäryhmän tavoin: tiimin jäsen, soihdunkantaja, esihenkilö, OKR-pääkäyttäjä ja "
        "kansalainen."
    ),
    "sv": (
        "Självutvärdering. Sidorna kontrolleras automatiskt med verktyget axe-core på finska, "
        "svenska och engelska i tjänstens tester, och tjänsten har prövats som varje slags "
        "användare: medlem i ett team, fackelbärare, förman, OKR-huvudanvändare och medborgare."
    ),
    "en": (
        "Self-assessment. The pages are checked automatically with the axe-core tool in "
        "Finnish, Swedish and English in the service's tests, and the service has been tried as "
        "each kind of user: a team member, a torchbearer, a supervisor, the OKR office and a "
        "citizen."
    ),
}

# What is known not to conform yet, one item a line. The trial as each kind of user also found
# sideways scrolling at 320 px, a faint keyboard focus and focus lost after a check-in; those are
# fixed, and each has a browser test (soihtu/core/tests/test_reflow.py, test_focus_contrast.py,
# soihtu/okrs/tests/test_browser.py).
DEFAULT_NON_CONFORMING = {
    "fi": (
        "Ylläpitosivustoa (/admin/), jota käyttää vain OKR-pääkäyttäjä, ei ole arvioitu.\n"
        "Palvelua ei ole vielä arvioitu ruudunlukijoilla (NVDA, VoiceOver, TalkBack) eikä "
        "ulkopuolisen arvioijan toimesta; automaattiset tarkistukset eivät löydä kaikkia "
        "puutteita."
    ),
    "sv": (
        "Administrationswebbplatsen (/admin/), som bara OKR-huvudanvändaren använder, har inte "
        "utvärderats.\n"
        "Tjänsten har ännu inte utvärderats med skärmläsare (NVDA, VoiceOver, TalkBack) eller av "
        "en extern granskare; automatiska kontroller hittar inte alla brister."
    ),
    "en": (
        "The administration site (/admin/), which only the OKR office uses, has not been "
        "assessed.\n"
        "The service has not yet been assessed with screen readers (NVDA, VoiceOver, TalkBack) "
        "or by an outside assessor; automatic checks do not find every shortcoming."
    ),
}

# The supervising authority named by Act 306/2019. Supervision has been moving between agencies
# (the regional state administrative agency for Southern Finland until 2025; a government proposal,
# HE 71/2024, moves it to Traficom), so the default names the supervision and its website, which
# always gives the current authority's contact details; the organization fills in the agency.
DEFAULT_AUTHORITY = {
    "fi": (
        "Saavutettavuusvalvonta\n"
        "www.saavutettavuusvaatimukset.fi\n"
        "Valvontaviranomaisen ajantasaiset yhteystiedot ja ilmoituslomake ovat verkkosivustolla."
    ),
    "sv": (
        "Tillsynen över tillgängligheten\n"
        "www.tillganglighetskrav.fi\n"
        "Tillsynsmyndighetens aktuella kontaktuppgifter och anmälningsblankett finns på "
        "webbplatsen."
    ),
    "en": (
        "Accessibility supervision\n"
        "www.webaccessibility.fi\n"
        "The supervising authority's current contact details and report form are on the website."
    ),
}

LANGUAGES = ("fi", "sv", "en")


def default_assessment_fi() -> str:
    return DEFAULT_ASSESSMENT["fi"]


def default_assessment_sv() -> str:
    return DEFAULT_ASSESSMENT["sv"]


def default_assessment_en() -> str:
    return DEFAULT_ASSESSMENT["en"]


def default_non_conforming_fi() -> str:
    return DEFAULT_NON_CONFORMING["fi"]


def default_non_conforming_sv() -> str:
    return DEFAULT_NON_CONFORMING["sv"]


def default_non_conforming_en() -> str:
    return DEFAULT_NON_CONFORMING["en"]


def default_authority_fi() -> str:
    return DEFAULT_AUTHORITY["fi"]


def default_authority_sv() -> str:
    return DEFAULT_AUTHORITY["sv"]


def default_authority_en() -> str:
    return DEFAULT_AUTHORITY["en"]


def default_assessed_on() -> datetime.date:
    return SOIHTU_ASSESSED_ON


class AccessibilityStatement(models.Model):
    """The organization's accessibility statement for its Soihtu: one row (SINGLE_ID), or none
    while the defaults stand (soihtu.core.selectors.accessibility_statement)."""

    SINGLE_ID = 1

    class Conformance(models.TextChoices):
        FULL = "full", _("fully conforms")
        PARTIAL = "partial", _("partially conforms")
        NONE = "none", _("does not conform")

    organization_name = models.CharField(
        _("organization name in the statement"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the organization's name."),
    )
    conformance = models.CharField(
        _("conformance with WCAG 2.1 level AA"),
        max_length=8,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
    )
    assessed_on = models.DateField(_("date of the assessment"), default=default_assessed_on)
    assessment_fi = models.TextField(
        _("how it was assessed (Finnish)"), max_length=2000, default=default_assessment_fi
    )
    assessment_sv = models.TextField(
        _("how it was assessed (Swedish)"), max_length=2000, default=default_assessment_sv
    )
    assessment_en = models.TextField(
        _("how it was assessed (English)"), max_length=2000, default=default_assessment_en
    )
    non_conforming_fi = models.TextField(
        _("what does not conform yet, and why (Finnish)"),
        max_length=5000,
        blank=True,
        default=default_non_conforming_fi,
    )
    non_conforming_sv = models.TextField(
        _("what does not conform yet, and why (Swedish)"),
        max_length=5000,
        blank=True,
        default=default_non_conforming_sv,
    )
    non_conforming_en = models.TextField(
        _("what does not conform yet, and why (English)"),
        max_length=5000,
        blank=True,
        default=default_non_conforming_en,
    )
    feedback_email = models.EmailField(
        _("email address for feedback"),
        blank=True,
        help_text=_(
            "Feedback is sent here, and the address is shown on the statement. When empty, "
            "feedback goes to the email addresses of the OKR office's people."
        ),
    )
    authority_fi = models.TextField(
        _("supervising authority (Finnish)"), max_length=1000, default=default_authority_fi
    )
    authority_sv = models.TextField(
        _("supervising authority (Swedish)"), max_length=1000, default=default_authority_sv
    )
    authority_en = models.TextField(
        _("supervising authority (English)"), max_length=1000, default=default_authority_en
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="accessibility_statement_single_row"),
            models.CheckConstraint(
                condition=Q(conformance__in=["full", "partial", "none"]),
                name="accessibility_statement_conformance_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("accessibility statement"))

    def _translated(self, field: str) -> str:
        """The field in the active language, Finnish when that one is empty."""
        language = (get_language() or "fi")[:2]
        language = language if language in LANGUAGES else "fi"
        value: str = getattr(self, f"{field}_{language}") or getattr(self, f"{field}_fi")
        return value

    @property
    def assessment(self) -> str:
        return self._translated("assessment")

    @property
    def non_conforming_items(self) -> list[str]:
        """What does not conform yet, one item a line (empty lines dropped)."""
        lines = self._translated("non_conforming").splitlines()
        return [line.strip() for line in lines if line.strip()]

    @property
    def authority_lines(self) -> list[str]:
        return [line.strip() for line in self._translated("authority").splitlines() if line]


class AccessibilityFeedback(models.Model):
    """Feedback on accessibility, from anyone, signed in or not; emailed to the OKR office."""

    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    message = models.TextField(_("message"), max_length=5000)
    page_address = models.CharField(_("page or feature"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    # A keyed hash of the sender's client address: enough to count their messages for the
    # limit, without keeping the address itself.
    sender_key = models.CharField(max_length=64, blank=True, editable=False)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="a11y_feedback_created"),
            models.Index(fields=["sender_key", "created_at"], name="a11y_feedback_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.message[:60]}"
