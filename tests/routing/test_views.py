"""The deadline board: departments see their warnings and overdue marks, supervisors the escalations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.escalation import deadlines_sweep
from deadlines.models import Deadline, Step

URL = "/deadlines/"


def login(client, username):
    from accounts.models import User

    client.force_login(User.objects.get(username=username))


@pytest.fixture
def overdue_case(make_case):
    """A CGJ case routed long enough ago to be at the supervision-order level now."""
    case = make_case("2026-03-02 08:30")
    now = timezone.now()
    Deadline.objects.filter(submission=case, step=Step.SIGN_FOR).update(
        started_at=now - timedelta(days=4),
        warn_at=now - timedelta(days=2, hours=14),
        due_at=now - timedelta(days=2, hours=12),  # levels 1, 2 and 3 (24 h apart) are due
        next_check_at=now - timedelta(days=2, hours=14),
    )
    deadlines_sweep(now=now, send=lambda ids: None)
    return case


@pytest.fixture
def warning_case(make_case):
    case = make_case("2026-03-02 08:30")
    now = timezone.now()
    Deadline.objects.filter(submission=case, step=Step.SIGN_FOR).update(
        warn_at=now - timedelta(hours=1), due_at=now + timedelta(hours=2), next_check_at=now - timedelta(hours=1)
    )
    return case


@pytest.mark.django_db
def test_department_staff_see_the_warning_and_the_overdue_mark(client, overdue_case, warning_case):
    login(client, "cgj_staff")  # Alice: the owner's department
    body = client.get(URL).content.decode()
    assert overdue_case.tracking_number in body and warning_case.tracking_number in body
    assert "超期" in body and "临近期限" in body
    assert "督办" in body


@pytest.mark.django_db
def test_the_head_of_the_department_sees_the_same_cases(client, overdue_case):
    login(client, "cgj_head")  # Bob: a colleague
    assert overdue_case.tracking_number in client.get(URL).content.decode()


@pytest.mark.django_db
def test_staff_of_another_department_do_not_see_the_case(client, overdue_case, warning_case):
    login(client, "zjj_staff")  # Charlie: should have no access
    body = client.get(URL).content.decode()
    assert overdue_case.tracking_number not in body and warning_case.tracking_number not in body


@pytest.mark.django_db
def test_a_user_without_department_or_oversight_role_is_refused(client, city):
    login(client, "dispatcher")
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


@pytest.mark.django_db
def test_the_supervisor_sees_the_escalation_with_its_instructions(client, overdue_case):
    login(client, "supervisor")
    response = client.get(URL)
    body = response.content.decode()
    assert overdue_case.tracking_number in body
    assert "Report progress" in body  # instructions of the supervision order
    assert [e.level for e in response.context["escalations"]] == [3]


@pytest.mark.django_db
def test_the_supervisor_is_warned_when_next_years_calendar_is_missing(client, city, monkeypatch):
    from city import calendar

    monkeypatch.setattr(calendar.timezone, "localdate", lambda: date(2026, 12, 1))
    login(client, "supervisor")
    body = client.get(URL).content.decode()
    assert "2027" in body and 'class="card calendar-warning"' in body


@pytest.mark.django_db
def test_the_board_query_count_does_not_grow_with_the_cases(client, make_case, django_assert_max_num_queries):
    now = timezone.now()
    for _ in range(15):
        make_case("2026-03-02 08:30")
    Deadline.objects.update(due_at=now - timedelta(hours=1), warn_at=now - timedelta(hours=3))
    login(client, "supervisor")
    # +1 over the page itself: the navigation counts what waits (triage, returns, approvals, overdue: one query).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("deadlines:deadline_board"))
    assert len(response.context["overdue"]) == 15


@pytest.mark.django_db
def test_the_calendar_warning_tag_shows_only_to_supervisors(rf, city, monkeypatch):
    from django.template import Context, Template

    from accounts.models import User
    from city import calendar

    monkeypatch.setattr(calendar.timezone, "localdate", lambda: date(2026, 12, 1))
    template = Template("{% load city_tags %}{% calendar_warning %}")
    for username, shown in (("supervisor", True), ("cgj_staff", False)):
        html = template.render(Context({"user": User.objects.get(username=username)}))
        assert ("2027" in html) is shown


@pytest.mark.django_db
def test_administrators_edit_policies_and_the_calendar_in_the_admin(client, city):
    login(client, "admin")
    for path in ("deadlines/deadlinepolicy", "city/calendarday", "deadlines/escalation", "deadlines/taskfailure"):
        assert client.get(f"/admin/{path}/").status_code == 200
    assert client.get("/admin/deadlines/deadlinepolicy/add/").status_code == 200
