"""The KPI queries rely on one contract with the workflow: a deadline closed by an action has
``completed_at`` equal to that action's event time. This drives real transitions to prove it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import User
from feedback.workflow import case_transition
from oversight.kpis import department_kpis
from oversight.services import rollup_refresh
from routing.models import Category, Department
from routing.services import submission_route
from tests.oversight import factories as f
from tests.oversight.conftest import DAY

pytestmark = pytest.mark.django_db


def test_kpis_follow_cases_moved_by_the_workflow(city):
    cgj = Department.objects.get(code="CGJ")
    category = Category.objects.filter(default_department=cgj).first()
    staff = User.objects.get(username="cgj_staff")
    on_time = f.case(cgj, created=f.at(DAY, 8), status="submitted", lead_department=None, category=category)
    late = f.case(cgj, created=f.at(DAY, 8), status="submitted", lead_department=None, category=category)
    for case in (on_time, late):
        submission_route(submission_id=case.pk, now=f.at(DAY, 8))
    case_transition(submission_id=on_time.pk, action="sign_for", actor=staff, now=f.at(DAY, 9))
    case_transition(submission_id=on_time.pk, action="reply", actor=staff, now=f.at(DAY, 12))
    # The other is signed for two days late (the normal sign-for limit is 24 hours).
    later = DAY + timedelta(days=2)
    case_transition(submission_id=late.pk, action="sign_for", actor=staff, now=f.at(later, 10))
    rollup_refresh(first_day=DAY, last_day=later - timedelta(days=1))  # the beat job's work for closed days
    row = department_kpis(DAY, later, now=f.at(later, 11))[cgj.pk]
    assert (row.rates["response"].numerator, row.rates["response"].denominator) == (1, 2)
    assert (row.rates["on_time_reply"].numerator, row.rates["on_time_reply"].denominator) == (1, 1)
