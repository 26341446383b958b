"""The KPI queries rely on one contract with the workflow: a deadline closed by an action has
``completed_at`` equal to that action's event time. This drives real transitions to prove it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import User
from city.models import Category, Department
from feedback.workflow import Action, case_transition
from oversight.kpis import department_kpis
from oversight.services import rollup_refresh
from routing.services import submission_route
from tests.oversight import drive as d
from tests.oversight.conftest import DAY

pytestmark = pytest.mark.django_db


def test_kpis_follow_cases_moved_by_the_workflow(city):
    cgj = Department.objects.get(code="CGJ")
    category = Category.objects.filter(default_department=cgj).first()
    staff = User.objects.get(username="cgj_staff")
    on_time = d.submitted(cgj, created=d.at(DAY, 8), category=category)
    late = d.submitted(cgj, created=d.at(DAY, 8), category=category)
    for case in (on_time, late):
        submission_route(submission_id=case.pk, now=d.at(DAY, 8))
    case_transition(submission_id=on_time.pk, action=Action.SIGN_FOR, actor=staff, now=d.at(DAY, 9))
    case_transition(submission_id=on_time.pk, action=Action.REPLY, actor=staff, now=d.at(DAY, 12))
    # The other is signed for two days late (the normal sign-for limit is 24 hours).
    later = DAY + timedelta(days=2)
    case_transition(submission_id=late.pk, action=Action.SIGN_FOR, actor=staff, now=d.at(later, 10))
    rollup_refresh(first_day=DAY, last_day=later - timedelta(days=1))  # the beat job's work for closed days
    row = department_kpis(DAY, later, now=d.at(later, 11))[cgj.pk]
    assert (row.rates["response"].numerator, row.rates["response"].denominator) == (1, 2)
    assert (row.rates["on_time_reply"].numerator, row.rates["on_time_reply"].denominator) == (1, 1)


def test_a_return_counts_against_the_returning_department_as_soon_as_it_is_made(city):
    """Pending in triage, not yet re-dispatched: the return rate and the dashboard already show it."""
    from casework.models import ReturnReason
    from casework.returns import case_return

    cgj = Department.objects.get(code="CGJ")
    category = Category.objects.filter(default_department=cgj).first()
    case = d.submitted(cgj, created=d.at(DAY, 9), category=category)
    submission_route(submission_id=case.pk, now=d.at(DAY, 9))
    case_return(
        submission_id=case.pk,
        actor=User.objects.get(username="cgj_staff"),
        reason_id=ReturnReason.objects.filter(is_active=True).first().pk,
        text="该路段属于水务局管辖的排水设施",
        now=d.at(DAY, 10),
    )
    row = department_kpis(DAY, DAY, now=d.at(DAY, 11))[cgj.pk]
    assert (row.rates["return"].numerator, row.rates["return"].denominator) == (1, 1)
    rollup_refresh(first_day=DAY, last_day=DAY, now=d.at(DAY + timedelta(days=1), 9))
    rolled = department_kpis(DAY, DAY, now=d.at(DAY + timedelta(days=2), 9))[cgj.pk]
    assert (rolled.rates["return"].numerator, rolled.rates["return"].denominator) == (1, 1)
