"""The extension rate counts the requests departments really make (it once read a misspelt action and stayed 0)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from oversight.kpis import department_kpis
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db


def test_an_extension_asked_for_on_the_case_page_counts_in_the_extension_rate(client, departments):
    cgj, _zjj = departments
    d.clock_policies()
    now = timezone.now()
    case = d.case(cgj, created=now - timedelta(hours=3), signed=now - timedelta(hours=2))
    d.case(cgj, created=now - timedelta(hours=3))  # assigned the same day, no extension asked
    client.force_login(User.objects.get(username="cgj_staff"))
    new_due = timezone.localtime(now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/staff/cases/{case.pk}/act/extension/", {"new_due_at": new_due, "reason": "需要协调施工单位"}
    )
    assert response.status_code == 302
    assert case.extension_requests.count() == 1

    today = timezone.localdate()
    rate = department_kpis(today, today, now=timezone.now())[cgj.pk].rates["extension"]
    assert (rate.numerator, rate.denominator) == (1, 2)


def test_an_extension_asked_for_through_the_service_counts_in_the_digest_day(departments):
    cgj, _zjj = departments
    d.clock_policies()
    day = timezone.localdate() - timedelta(days=2)
    case = d.case(cgj, created=d.at(day, 9), signed=d.at(day, 9.5))
    d.extension(case, d.at(day, 11))
    rate = department_kpis(day, day, now=d.at(day, 20))[cgj.pk].rates["extension"]
    assert (rate.numerator, rate.denominator) == (1, 1)
