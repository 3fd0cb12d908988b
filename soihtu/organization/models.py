from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

PATH_STEP = 6  # characters per level of a unit's materialized path


class OrganizationSettings(models.Model):
    """The one organization this installation serves."""

    name = models.CharField(_("name"), max_length=200)
    languages = models.CharField(
        _("languages"), max_length=50, default="fi,sv,en", help_text=_("Comma-separated codes.")
    )
    default_cycle_months = models.PositiveSmallIntegerField(
        _("default cycle length in months"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    year_start_month = models.PositiveSmallIntegerField(
        _("month the year starts"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    transparency_enabled = models.BooleanField(
        _("publish the transparency page"),
        default=False,
        help_text=_(
            "Strategy themes and the organization objectives marked public are shown to anyone, "
            "without signing in, and as open data."
        ),
    )

    class Meta:
        verbose_name = _("organization settings")
        verbose_name_plural = _("organization settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_cycle_months__gte=1, default_cycle_months__lte=12),
                name="orgsettings_cycle_months_range",
            ),
            models.CheckConstraint(
                condition=Q(year_start_month__gte=1, year_start_month__lte=12),
                name="orgsettings_year_start_month_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TranslatedName:
    """Picks the name_xx / description_xx field in the active language, Finnish first."""

    def _translated(self, field: str) -> str:
        language = (get_language() or "fi")[:2]
        value: str = getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_fi")
        return value


class StrategyTheme(TranslatedName, models.Model):
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_fi = models.TextField(_("description (Finnish)"), blank=True, max_length=2000)
    description_sv = models.TextField(_("description (Swedish)"), blank=True, max_length=2000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2000)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f6f8b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6f8b."))],
    )

    class Meta:
        verbose_name = _("strategy theme")
        verbose_name_plural = _("strategy themes")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self._translated("name")

    @property
    def description(self) -> str:
        return self._translated("description")


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class Cadence(models.IntegerChoices):
    """How often a team checks in on its key results (days)."""

    WEEKLY = 7, _("weekly")
    BIWEEKLY = 14, _("every two weeks")
    MONTHLY = 30, _("monthly")


class Unit(models.Model):
    """A node of the organization tree: the organization, a division, a unit or a team.

    `path` is a materialized path (each level PATH_STEP characters) so that ancestors and
    subtrees are found with one query at any depth. It is maintained by organization services.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("organization")
        DIVISION = "division", _("division")
        UNIT = "unit", _("unit")
        TEAM = "team", _("team")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("unit code"),
        max_length=64,
        blank=True,
        help_text=_("The unit's code in the HR system; unique when given."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    checkin_cadence = models.PositiveSmallIntegerField(
        _("check-in cadence"), choices=Cadence.choices, default=Cadence.BIWEEKLY
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(parent__isnull=True), name="unit_single_root"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unit_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and all units above it, root first."""
        return [self.path[:end] for end in range(PATH_STEP, len(self.path) + 1, PATH_STEP)]


class Membership(models.Model):
    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("supervisor")
        TORCHBEARER = "torchbearer", _("torchbearer")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_once_per_unit"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(role="torchbearer"), name="membership_one_torchbearer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"
