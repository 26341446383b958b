"""Handling time is working time, submission to reply, less the time spent waiting for the citizen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import User
from casework.services import assignment_sign_for, case_reply, case_request_material, material_provide
from city.models import Category, Department
from feedback.models import Submission
from oversight.kpis import department_kpis, handling_percentiles, local_midnight
from oversight.services import rollup_refresh
from routing.services import submission_route
from tests.oversight import drive as d
from tests.oversight.conftest import DAY

pytestmark = pytest.mark.django_db

FRIDAY, TUESDAY = DAY - timedelta(days=3), DAY + timedelta(days=1)  # DAY is a Monday


def walk_one_case(city, *, with_material: bool) -> Submission:
    """Friday 17:00 submitted … Tuesday 12:00 replied: 1 + 7.5 + 3 = 11.5 working hours."""
    cgj = Department.objects.get(code="CGJ")
    category = Category.objects.filter(default_department=cgj).first()
    staff = User.objects.get(username="cgj_staff")
    case = d.submitted(cgj, created=d.at(FRIDAY, 17), category=category)
    submission_route(submission_id=case.pk, now=d.at(FRIDAY, 17))
    assignment_sign_for(submission_id=case.pk, actor=staff, now=d.at(FRIDAY, 17.5))
    if with_material:
        # Waiting Monday 10:00 → Tuesday 10:00: 2 + 4.5 + 1 = 7.5 working hours are the citizen's.
        case_request_material(submission_id=case.pk, actor=staff, question="请提供照片", now=d.at(DAY, 10))
        material_provide(submission_id=case.pk, answer="照片已上传", now=d.at(TUESDAY, 10))
    case_reply(submission_id=case.pk, actor=staff, disposition="resolved", text="已修复路灯", now=d.at(TUESDAY, 12))
    return Submission.objects.get(pk=case.pk)


def test_a_reply_stores_working_time_not_wall_clock(city):
    case = walk_one_case(city, with_material=False)
    assert case.waiting_seconds == 0
    assert case.handling_seconds == 11.5 * 3600  # wall-clock it is 91 hours


def test_waiting_for_the_citizens_material_is_taken_off_the_handling_time(city):
    case = walk_one_case(city, with_material=True)
    assert case.waiting_seconds == 7.5 * 3600
    assert case.handling_seconds == 4 * 3600


def test_kpi_percentiles_are_in_working_hours_live_and_after_the_rollup(city):
    case = walk_one_case(city, with_material=True)
    live = department_kpis(TUESDAY, TUESDAY, now=d.at(TUESDAY, 20))[case.lead_department_id]
    assert live.handled == 1 and live.median_hours == pytest.approx(4.5)  # midpoint of the 4-5 h bucket
    rollup_refresh(first_day=TUESDAY, last_day=TUESDAY, now=d.at(TUESDAY + timedelta(days=1), 9))
    rolled = department_kpis(TUESDAY, TUESDAY, now=d.at(TUESDAY + timedelta(days=2), 9))[case.lead_department_id]
    assert (rolled.handled, rolled.median_hours, rolled.p90_hours) == (1, 4.5, 4.5)


def test_cases_without_a_stored_handling_time_are_computed_and_backfilled_by_the_rollup(known_day):
    cgj = known_day["cgj"]
    # Cases answered before the column existed: their handling time was never stored.
    Submission.objects.filter(replied_at__isnull=False).update(handling_seconds=None)
    exact = handling_percentiles(local_midnight(DAY), local_midnight(DAY + timedelta(days=1)))
    assert exact[cgj.pk] == (6, pytest.approx(9.0), pytest.approx(14.5))
    rollup_refresh(first_day=DAY, last_day=DAY, now=d.at(DAY + timedelta(days=1), 9))
    stored = sorted(
        Submission.objects.filter(lead_department=cgj, replied_at__gte=local_midnight(DAY)).values_list(
            "handling_seconds", flat=True
        )
    )
    assert stored == [h * 3600 for h in (2, 4, 6, 12, 13, 16)]
