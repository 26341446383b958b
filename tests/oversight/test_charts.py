from __future__ import annotations

from datetime import timedelta

import pytest

from oversight.charts import kpi_charts
from oversight.services import rollup_refresh
from tests.oversight import drive as d
from tests.oversight.conftest import DAY

pytestmark = pytest.mark.django_db


def test_charts_count_each_submission_once_per_day_and_carry_a_table(known_day):
    rollup_refresh(first_day=DAY - timedelta(days=3), last_day=DAY)
    volume, rates, handling = kpi_charts(DAY - timedelta(days=3), DAY)
    assert volume["labels"][-1] == DAY.isoformat()
    assert sum(sum(s["data"]) for s in volume["series"]) == sum(r.cases for r in _volume_rows())
    assert rates["labels"][-1] == DAY.isoformat()
    assert sum(handling["series"][0]["data"]) == 10  # six replies on the day, four on Sunday
    assert [row[0] for row in volume["rows"]] == volume["labels"]  # the table below the chart


def test_long_periods_are_drawn_per_week(departments):
    cgj, _zjj = departments
    d.case(cgj, created=d.at(DAY, 10))
    d.case(cgj, created=d.at(DAY - timedelta(days=1), 10))
    first = DAY - timedelta(days=89)
    rollup_refresh(first_day=first, last_day=DAY)
    volume, rates, _handling = kpi_charts(first, DAY)
    assert len(volume["labels"]) <= 14
    assert sum(sum(s["data"]) for s in volume["series"]) == 2


def _volume_rows():
    from oversight.models import VolumeDay

    return VolumeDay.objects.all()
