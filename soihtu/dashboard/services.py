"""Storing the practice dashboard's precomputed figures (docs/dashboard.md): the scheduler
replaces them every few minutes, and a scope without figures gets them on its first view."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from soihtu.dashboard.measures import scope_figures
from soihtu.dashboard.models import PracticeFigures
from soihtu.organization.models import Unit

# The shape of PracticeFigures.figures; raise it whenever measures.scope_figures changes it.
FIGURES_VERSION = 1


def _computed(scope: str, now: datetime.datetime) -> PracticeFigures:
    return PracticeFigures(
        scope=scope, version=FIGURES_VERSION, computed_at=now, figures=scope_figures(scope, now)
    )


def _store(rows: list[PracticeFigures]) -> None:
    """Insert or replace the scopes' rows in one statement: a refresh running at the same time
    neither fails on the unique scope nor leaves a second row."""
    PracticeFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["version", "computed_at", "figures"],
    )


def practice_figures_refresh(*, now: datetime.datetime | None = None) -> list[PracticeFigures]:
    """Compute the figures of the whole organization and of every division as of `now`, then
    replace the stored ones in one transaction (a reader sees all the old figures or all the
    new), forgetting those of divisions that no longer exist. Run by the scheduler
    (`manage.py followup_schedule`)."""
    now = now or timezone.now()
    divisions = Unit.objects.filter(depth=1).order_by("path").values_list("path", flat=True)
    scopes = ["", *divisions]
    rows = [_computed(scope, now) for scope in scopes]
    with transaction.atomic():
        _store(rows)
        PracticeFigures.objects.exclude(scope__in=scopes).delete()
    return rows


def practice_figures_for(*, scope: str, now: datetime.datetime | None = None) -> PracticeFigures:
    """The stored figures of the scope ("" for the whole organization, or a division's path):
    one query. When there are none yet, or only of an older shape, they are computed and
    stored now, so the first view waits for them once."""
    stored = PracticeFigures.objects.filter(scope=scope, version=FIGURES_VERSION).first()
    if stored is not None:
        return stored
    row = _computed(scope, now or timezone.now())
    with transaction.atomic():
        _store([row])
    return row
