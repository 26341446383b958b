"""Urge (催办) an overdue case once per working day, and withdraw (撤回) one before it is signed for.

The facts are made through the services (``tests/oversight/drive.py``) and the pages; the department and the
supervisors hear about an urge, nothing else changes; bad requests change nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from city.calendar import WorkCalendar
from city.models import Department
from deadlines.models import Deadline
from feedback.citizen_actions import case_urge, case_withdraw, urge_day
from feedback.models import CaseEvent, CloseReason, Notification, Status, Submission
from feedback.workflow import Action
from portal.errors import TransitionNotAllowed
from tests.oversight import drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(city):
    drive.clock_policies()
    return Department.objects.filter(memberships__isnull=False).order_by("pk").first()


def _working_instant(days_back: int = 0):
    """10:00 local on a working day at least ``days_back`` days ago (so tests do not depend on today's date)."""
    calendar = WorkCalendar()
    day = timezone.localdate() - timedelta(days=days_back)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return drive.at(day, 10)


def _overdue_case(department):
    """Dispatched 3 days ago with a sign-for deadline of 2 hours: overdue now."""
    return drive.case(department, created=timezone.now() - timedelta(days=3), phone="+8613912345678")


def _citizen(client, submission):
    from feedback.citizen_access import FORM_TOKEN_KEY, GRANTS_KEY

    session = client.session
    session[GRANTS_KEY] = {submission.tracking_number: timezone.now().timestamp() + 3600}
    session[FORM_TOKEN_KEY] = "token-for-tests"
    session.save()
    return {"citizen_token": "token-for-tests"}


def test_an_overdue_case_is_urged_once_and_the_department_and_supervisors_are_told(department):
    case = _overdue_case(department)
    before = (case.status, case.version)
    event = case_urge(submission_id=case.pk, reason="已经超期三天了")
    assert event.action == Action.URGE and event.is_public and event.payload["count"] == 1
    told = set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))
    staff = set(User.objects.filter(memberships__department=department).values_list("username", flat=True))
    supervisors = set(User.objects.filter(role=Role.SUPERVISOR, is_active=True).values_list("username", flat=True))
    assert staff and supervisors and told == staff | supervisors
    case.refresh_from_db()
    assert (case.status, case.version) == before  # the status and the clocks stay as they are


def test_a_second_urge_on_the_same_working_day_is_refused_and_writes_nothing(department):
    case = _overdue_case(department)
    now = timezone.now()
    case_urge(submission_id=case.pk, now=now)
    with pytest.raises(TransitionNotAllowed, match="today|今天"):
        case_urge(submission_id=case.pk, now=now + timedelta(minutes=5))
    assert CaseEvent.objects.filter(submission=case, action=Action.URGE).count() == 1


def test_an_urge_on_a_day_off_counts_for_the_next_working_day(city):
    calendar = WorkCalendar()
    day = timezone.localdate()
    while calendar.is_working_day(day):
        day += timedelta(days=1)
    next_working = day
    while not calendar.is_working_day(next_working):
        next_working += timedelta(days=1)
    assert urge_day(drive.at(day, 10)) == next_working == urge_day(drive.at(next_working, 10))


def test_urge_on_the_next_working_day_through_the_service(department):
    case = _overdue_case(department)
    first = timezone.now()
    case_urge(submission_id=case.pk, now=first)
    later = first + timedelta(days=1)
    while urge_day(later) == urge_day(first):
        later += timedelta(days=1)
    assert case_urge(submission_id=case.pk, now=later).payload["count"] == 2


def test_a_case_on_time_cannot_be_urged(department):
    case = drive.case(department, created=timezone.now())
    with pytest.raises(TransitionNotAllowed, match="on time|尚未超期"):
        case_urge(submission_id=case.pk)
    assert not CaseEvent.objects.filter(action=Action.URGE).exists()
    assert not Deadline.objects.filter(submission=case, due_at__lt=timezone.now(), is_open=True).exists()


def test_the_citizen_urges_on_the_tracking_page(client, department):
    case = _overdue_case(department)
    token = _citizen(client, case)
    page = client.get(f"/track/{case.tracking_number}/")
    assert 'id="urge-button"' in page.content.decode()
    done = client.post(f"/track/{case.tracking_number}/urge/", {**token, "reason": "请尽快处理"}, follow=True)
    assert "催办已发送" in done.content.decode() and 'id="urged-today"' in done.content.decode()
    again = client.post(f"/track/{case.tracking_number}/urge/", token, follow=True)
    assert "今天已经催办过" in again.content.decode()
    assert CaseEvent.objects.filter(submission=case, action=Action.URGE).count() == 1


def test_withdrawing_before_sign_for_closes_with_the_reason(department):
    case = drive.case(department, created=timezone.now())
    closed = case_withdraw(submission_id=case.pk, reason="提交错了")
    assert closed.status == Status.CLOSED and closed.close_reason == CloseReason.WITHDRAWN
    event = CaseEvent.objects.get(submission=case, action=Action.WITHDRAW)
    assert event.reason == "提交错了" and event.actor_label == "citizen"
    assert not Deadline.objects.filter(submission=case, is_open=True).exists()
    assert Notification.objects.filter(event=event, recipient__memberships__department=department).exists()


def test_withdrawing_after_sign_for_or_without_a_reason_is_refused_and_changes_nothing(department):
    case = drive.case(department, created=timezone.now())
    with pytest.raises(TransitionNotAllowed):
        case_withdraw(submission_id=case.pk, reason="   ")
    drive.sign_for(case, timezone.now())
    with pytest.raises(TransitionNotAllowed, match="signed for|签收"):
        case_withdraw(submission_id=case.pk, reason="不需要了")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and not case.close_reason
    assert not CaseEvent.objects.filter(action=Action.WITHDRAW).exists()


def test_the_citizen_withdraws_on_the_tracking_page_in_english(client, department):
    case = drive.case(department, created=timezone.now())
    token = _citizen(client, case)
    client.cookies["django_language"] = "en"
    empty = client.post(f"/track/{case.tracking_number}/withdraw/", token, follow=True)
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED
    assert "This field is required" in empty.content.decode()
    done = client.post(f"/track/{case.tracking_number}/withdraw/", {**token, "reason": "sent twice"}, follow=True)
    assert Submission.objects.get(pk=case.pk).close_reason == CloseReason.WITHDRAWN
    assert 'id="withdraw-button"' not in done.content.decode()
