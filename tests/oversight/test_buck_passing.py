"""Buck-passing on the dashboard: returns count against the department that made them, when it made them."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from casework.models import ReturnReason
from casework.returns import case_return, return_accept
from city.models import Department
from oversight.selectors import buck_passing
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _bounce(case, returned_by: str, to: str) -> None:
    case_return(
        submission_id=case.pk,
        actor=User.objects.get(username=returned_by),
        reason_id=ReturnReason.objects.get(code="not_our_duty").pk,
        text="这不是我们的事，请联系 13800001111",
    )
    return_accept(
        submission_id=case.pk,
        actor=User.objects.get(username="dispatcher"),
        department_id=Department.objects.get(code=to).pk,
        reason="转相关单位",
    )


def test_a_case_bounced_twice_counts_one_return_against_each_department_before_anyone_signs(city):
    case = make_case(department="CGJ")
    _bounce(case, "cgj_staff", "ZJJ")
    _bounce(case, "zjj_staff", "SWJ")  # SWJ has not signed for it yet
    today = timezone.localdate()

    result = buck_passing(case_q=Q(), first_day=today, last_day=today, now=timezone.now())

    rows = {e["department"].code: e for e in result["departments"]}
    assert {code: e["returns"] for code, e in rows.items()} == {"CGJ": 1, "ZJJ": 1}
    # The listed reason, not the free-text explanation (which may hold a phone number).
    assert rows["CGJ"]["reasons"] == [("不属于本单位职责", 1)]
    assert [c.pk for c in result["bounced"]] == [case.pk]


def test_returns_follow_the_department_filter_and_the_case_filters(city):
    case = make_case(department="CGJ")
    _bounce(case, "cgj_staff", "ZJJ")
    today = timezone.localdate()
    zjj = {Department.objects.get(code="ZJJ").pk}

    only_zjj = buck_passing(case_q=Q(), first_day=today, last_day=today, now=timezone.now(), departments=zjj)
    urgent = buck_passing(case_q=Q(submission__priority="urgent"), first_day=today, last_day=today, now=timezone.now())

    assert only_zjj["departments"] == [] and urgent["departments"] == []
    assert only_zjj["bounced"] == [] and urgent["bounced"] == []
