"""Page-shaped reads of the public transparency page and its open data.

What is published is decided here, in one place (`published_objectives`): the organization
objectives of a year that the OKR office marked public, that are open (restricted always wins,
even over the public mark) and that are active or completed. Nothing about people is ever read:
no owners, no authors, no check-in notes. Of a key result, only what `KEY_RESULT_FIELDS` lists:
its title, its kind, its start, current and target values with their unit, its progress and the
day of its last update.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from soihtu.cycles.models import Year
from soihtu.okrs.models import KeyResult, Objective, ObjectiveQuerySet
from soihtu.organization.models import OrganizationSettings, StrategyTheme

# The only key result fields the page and its open data read (nothing about people).
KEY_RESULT_FIELDS = (
    "id",
    "objective_id",
    "title",
    "kind",
    "start_value",
    "target_value",
    "current_value",
    "unit_of_measure",
    "last_checkin_at",
    "progress",
)
PUBLISHED_STATUSES = (Objective.Status.ACTIVE, Objective.Status.COMPLETED)
# A candidate may be marked public in advance (a draft); it is shown once it is active.
CANDIDATE_STATUSES = (Objective.Status.DRAFT, *PUBLISHED_STATUSES)


def organization_objectives(year: Year) -> ObjectiveQuerySet:
    """The organization's own objectives of the year: owned by the root unit, set for the year."""
    return Objective.objects.filter(year=year, owner_unit__parent__isnull=True, cycle__isnull=True)


def published_objectives() -> ObjectiveQuerySet:
    """Every objective that may be shown to anyone, of the years that have begun (filter by
    year yourself). Next year's objectives wait for their year, whatever their mark says."""
    return Objective.objects.filter(
        year__starts_on__lte=timezone.localdate(),
        owner_unit__parent__isnull=True,
        cycle__isnull=True,
        is_public=True,
        visibility=Objective.Visibility.OPEN,
        status__in=PUBLISHED_STATUSES,
    )


def publishable_candidates(year: Year) -> QuerySet[Objective]:
    """The organization objectives of the year that the OKR office may mark public."""
    return (
        organization_objectives(year)
        .filter(visibility=Objective.Visibility.OPEN, status__in=CANDIDATE_STATUSES)
        .order_by("title", "id")
    )


def restricted_marked_public(year: Year) -> QuerySet[Objective]:
    """Restricted organization objectives of the year that carry the public mark anyway (set
    before they were restricted): the settings page warns that they are not shown."""
    return (
        organization_objectives(year)
        .filter(is_public=True, visibility=Objective.Visibility.RESTRICTED)
        .order_by("title", "id")
    )


def begun_years() -> QuerySet[Year]:
    """The years that have begun: the public page never shows a year to come."""
    return Year.objects.filter(starts_on__lte=timezone.localdate())


def current_year() -> Year | None:
    """The latest year that has begun (the one containing today, unless there is none)."""
    return begun_years().order_by("-starts_on").first()


def organization_settings() -> OrganizationSettings | None:
    return OrganizationSettings.objects.first()


@dataclass
class PublicPage:
    organization: str
    year: Year
    years: list[int]
    themes: list[StrategyTheme]
    objectives: list[Objective]


def public_page(settings: OrganizationSettings, year: Year) -> PublicPage:
    """The organization's name, every strategy theme, and the published objectives of the year
    with progress, themes and key results (`KEY_RESULT_FIELDS` only): four queries.

    `years` lists the years that have something published, and `year` itself, newest first.
    """
    key_results = KeyResult.objects.only(*KEY_RESULT_FIELDS).order_by("id")
    objectives = list(
        published_objectives()
        .filter(year=year)
        .with_progress()
        .prefetch_related("themes", Prefetch("key_results", queryset=key_results))
        .order_by("title", "id")
    )
    numbers = set(published_objectives().values_list("year__number", flat=True).distinct())
    return PublicPage(
        organization=settings.name,
        year=year,
        years=sorted(numbers | {year.number}, reverse=True),
        themes=list(StrategyTheme.objects.all()),
        objectives=objectives,
    )


def _decimal(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def last_update(kr: KeyResult) -> datetime.date | None:
    """The day (in the organization's time zone) the key result's value was last updated."""
    return timezone.localdate(kr.last_checkin_at) if kr.last_checkin_at else None


def key_result_values(kr: KeyResult) -> dict[str, object]:
    """What the open data says of a key result's measure besides its progress: a milestone has
    no start or target (its current value is 1 when done, 0 when not)."""
    milestone = kr.is_milestone
    updated = last_update(kr)
    return {
        "kind": kr.kind,
        "unit": "" if milestone else kr.unit_of_measure,
        "start_value": None if milestone or kr.is_guardrail else _decimal(kr.start_value),
        "target_value": None if milestone else _decimal(kr.target_value),
        "current_value": _decimal(kr.current_value),
        "last_update": updated.isoformat() if updated else None,
    }


def _names(theme: StrategyTheme, field: str) -> dict[str, str]:
    return {code: getattr(theme, f"{field}_{code}") for code in ("fi", "sv", "en")}


def open_data(page: PublicPage) -> dict[str, object]:
    """The page as open data: the same content, in every language the themes are written in.

    The keys are a published contract (docs/transparency.md): add keys, never rename them.
    """
    return {
        "organization": page.organization,
        "year": page.year.number,
        "themes": [
            {
                "id": theme.pk,
                "name": _names(theme, "name"),
                "description": _names(theme, "description"),
                "colour": theme.colour,
            }
            for theme in page.themes
        ],
        "objectives": [
            {
                "id": objective.pk,
                "title": objective.title,
                "description": objective.description,
                "kind": objective.kind,
                "status": objective.status,
                "progress": round(getattr(objective, "progress_value", 0.0) or 0.0, 4),
                "progress_percent": objective.progress_percent,
                "theme_ids": [theme.pk for theme in objective.themes.all()],
                "key_results": [
                    {
                        "id": kr.pk,
                        "title": kr.title,
                        "progress": round(kr.progress or 0.0, 4),
                        "progress_percent": kr.percent,
                        **key_result_values(kr),
                    }
                    for kr in objective.key_results.all()
                ],
            }
            for objective in page.objectives
        ],
    }


CSV_COLUMNS = [
    "record",
    "id",
    "objective_id",
    "year",
    "title",
    "description",
    "kind",
    "status",
    "progress_percent",
    "theme_ids",
    "name_fi",
    "name_sv",
    "name_en",
    "description_fi",
    "description_sv",
    "description_en",
    "unit",
    "start_value",
    "target_value",
    "current_value",
    "last_update",
]


def open_data_rows(page: PublicPage) -> list[dict[str, object]]:
    """The open data flattened to CSV rows (CSV_COLUMNS): the themes, then each objective
    followed by its key results. `record` says which of the three a row is."""
    year = page.year.number
    rows: list[dict[str, object]] = []
    for theme in page.themes:
        row: dict[str, object] = {"record": "theme", "id": theme.pk, "year": year}
        for code in ("fi", "sv", "en"):
            row[f"name_{code}"] = getattr(theme, f"name_{code}")
            row[f"description_{code}"] = getattr(theme, f"description_{code}")
        rows.append(row)
    for objective in page.objectives:
        rows.append(
            {
                "record": "objective",
                "id": objective.pk,
                "year": year,
                "title": objective.title,
                "description": objective.description,
                "kind": objective.kind,
                "status": objective.status,
                "progress_percent": objective.progress_percent,
                "theme_ids": " ".join(str(theme.pk) for theme in objective.themes.all()),
            }
        )
        rows.extend(
            {
                "record": "key_result",
                "id": kr.pk,
                "objective_id": objective.pk,
                "year": year,
                "title": kr.title,
                "progress_percent": kr.percent,
                **key_result_values(kr),
            }
            for kr in objective.key_results.all()
        )
    return rows
