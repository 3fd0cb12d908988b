import datetime

import pytest

from soihtu.cycles.services import year_create
from soihtu.organization.models import OrganizationSettings


@pytest.mark.django_db
def test_a_year_gets_three_tertials_by_default() -> None:
    OrganizationSettings.objects.create(name="Org")
    year = year_create(number=2027)
    cycles = [(c.name, c.starts_on, c.ends_on, c.state) for c in year.cycles.all()]
    assert cycles == [
        ("T1", datetime.date(2027, 1, 1), datetime.date(2027, 4, 30), "planning"),
        ("T2", datetime.date(2027, 5, 1), datetime.date(2027, 8, 31), "planning"),
        ("T3", datetime.date(2027, 9, 1), datetime.date(2027, 12, 31), "planning"),
    ]


@pytest.mark.django_db
def test_cycle_length_and_year_start_follow_the_settings() -> None:
    OrganizationSettings.objects.create(name="Org", default_cycle_months=5, year_start_month=7)
    year = year_create(number=2027)
    assert (year.starts_on, year.ends_on) == (datetime.date(2027, 7, 1), datetime.date(2028, 6, 30))
    cycles = [(c.name, c.starts_on, c.ends_on) for c in year.cycles.all()]
    assert cycles == [
        ("1/3", datetime.date(2027, 7, 1), datetime.date(2027, 11, 30)),
        ("2/3", datetime.date(2027, 12, 1), datetime.date(2028, 4, 30)),
        ("3/3", datetime.date(2028, 5, 1), datetime.date(2028, 6, 30)),
    ]
