"""Demo transparency: the page is published, with a few organization objectives of each year."""

from __future__ import annotations

import datetime
import random

from soihtu.cycles.models import Year
from soihtu.okrs.models import Objective
from soihtu.organization.models import OrganizationSettings
from soihtu.transparency.selectors import PUBLISHED_STATUSES, organization_objectives

PUBLIC_THIS_YEAR = 3
PUBLIC_EARLIER_YEARS = 2


def generate(*, rng: random.Random, today: datetime.date) -> None:
    """Publish the page and mark public three open, active or completed organization
    objectives of the current year (two of each earlier year), so the year chooser has
    something to choose. Years that begin after today are left alone."""
    settings = OrganizationSettings.objects.first()
    if settings is None:
        return
    settings.transparency_enabled = True
    settings.save(update_fields=["transparency_enabled"])
    chosen: list[int] = []
    for year in Year.objects.filter(starts_on__lte=today).order_by("number"):
        candidates = list(
            organization_objectives(year)
            .filter(visibility=Objective.Visibility.OPEN, status__in=PUBLISHED_STATUSES)
            .order_by("id")
            .values_list("pk", flat=True)
        )
        wanted = (
            PUBLIC_THIS_YEAR if year.starts_on <= today <= year.ends_on else PUBLIC_EARLIER_YEARS
        )
        chosen.extend(rng.sample(candidates, min(wanted, len(candidates))))
    Objective.objects.filter(pk__in=chosen).update(is_public=True)
