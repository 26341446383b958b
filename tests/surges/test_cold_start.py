"""A new city (no history): a tight cluster of near-identical reports in one place is one alert.

Driven through the doors users use: ``submission_create`` (what the web form
and the API call) and the beat task ``surge_scan_task``.
"""

from __future__ import annotations

import pytest

from city.models import District
from feedback.services import submission_create
from surges.models import SurgeAlert
from surges.tasks import surge_scan_task
from tests.surges.conftest import BACKGROUND_TEXTS

pytestmark = pytest.mark.django_db

MANHOLE = [
    "井盖丢失 滨河路湖滨街口",
    "井盖丢失 滨河路湖滨街口",
    "井盖丢失！滨河路湖滨街口",
    "井盖丢失 滨河路湖滨街口，很危险",
    "滨河路湖滨街口 井盖丢失",
    "井盖丢失 滨河路湖滨街口。",
]

UNRELATED = [
    *BACKGROUND_TEXTS,
    "单位拖欠我两个月工资，老板一直不给。",
    "城西公园的树枝被风刮断了挂在路上。",
]


def _submit(text: str, district: District, address: str) -> None:
    submission_create(
        data={"kind": "complaint", "title": text[:20], "text": text, "district": district, "address": address}
    )


def test_six_near_identical_reports_in_one_place_within_a_minute_raise_one_alert_in_one_scan(
    city, django_capture_on_commit_callbacks
):
    nanhu = District.objects.get(code="nanhu")
    with django_capture_on_commit_callbacks(execute=True):
        for number, text in enumerate(MANHOLE, start=1):
            _submit(text, nanhu, f"南湖区滨河路{number * 7}号")

    with django_capture_on_commit_callbacks(execute=True):
        assert surge_scan_task() == 1

    alert = SurgeAlert.objects.get()
    assert alert.report_count == 6
    assert alert.district == nanhu
    assert "滨河路" in alert.places
    with django_capture_on_commit_callbacks(execute=True):
        assert surge_scan_task() == 0  # the next beat finds the same alert
    assert SurgeAlert.objects.count() == 1


def test_ten_unrelated_reports_in_ten_districts_raise_none(city, django_capture_on_commit_callbacks):
    for number in range(5):  # the demo city has five districts; a bigger city has more
        District.objects.create(code=f"new{number}", name_zh=f"新区{number}", name_en=f"New {number}")
    districts = list(District.objects.order_by("code"))
    assert len(districts) == 10
    with django_capture_on_commit_callbacks(execute=True):
        for text, district in zip(UNRELATED, districts, strict=True):
            _submit(text, district, "")

    assert surge_scan_task() == 0
    assert not SurgeAlert.objects.exists()
