"""Creating a year with its cycles, following the organization's settings."""

from __future__ import annotations

import datetime

from django.db import transaction

from soihtu.cycles.models import Cycle, Year
from soihtu.organization.models import OrganizationSettings


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


@transaction.atomic
def year_create(*, number: int) -> Year:
    """Create year `number` and its cycles: tertials (four months) by default, else the
    organization's cycle length; the year starts in the organization's first month."""
    org = OrganizationSettings.objects.first() or OrganizationSettings(name="")
    starts_on = datetime.date(number, org.year_start_month, 1)
    ends_on = _add_months(starts_on, 12) - datetime.timedelta(days=1)
    year = Year.objects.create(number=number, starts_on=starts_on, ends_on=ends_on)
    months = org.default_cycle_months
    count = -(-12 // months)  # the last cycle is shorter when 12 is not a multiple
    for index in range(count):
        first = _add_months(starts_on, index * months)
        last = min(_add_months(first, months) - datetime.timedelta(days=1), ends_on)
        name = f"T{index + 1}" if months == 4 else f"{index + 1}/{count}"
        Cycle.objects.create(year=year, name=name, starts_on=first, ends_on=last)
    return year
