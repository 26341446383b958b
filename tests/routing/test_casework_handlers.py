"""Work lands on a person: the head names the handler (承办人); the inbox has mine / unassigned / my department;
every (re)assignment is an event through the state machine; deadline notices reach the handler first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import handlers, services
from casework.models import Assignment, AssignmentRole
from deadlines.models import Deadline
from feedback.models import CaseEvent, Notification, Submission
from portal.errors import PermissionDenied, TransitionNotAllowed


@pytest.fixture
def users(city):
    from accounts.models import Membership, User
    from city.models import Department

    # The world: a second person in the city management bureau, so there is someone to choose.
    colleague = User.objects.create_user(username="cgj_li", first_name="城管局 李娜", role="staff")
    Membership.objects.create(user=colleague, department=Department.objects.get(code="CGJ"))
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def signed_case(make_case, users):
    case = make_case("2026-03-02 08:30")
    assert case.lead_department.code == "CGJ"
    return services.assignment_sign_for(submission_id=case.pk, actor=users["cgj_staff"])


def _lead(case) -> Assignment:
    return Assignment.objects.get(submission=case, role=AssignmentRole.LEAD)


def test_the_head_assigns_a_handler_on_the_case_page_and_it_is_one_event(client, users, signed_case):
    client.force_login(users["cgj_head"])
    page = client.get(f"/staff/cases/{signed_case.pk}/").content.decode()
    assert 'id="action-assign_handler"' in page and "城管局 李娜" in page
    response = client.post(
        f"/staff/cases/{signed_case.pk}/act/assign_handler/",
        {"handler": users["cgj_li"].pk, "version": signed_case.version},
    )
    assert response.status_code == 302
    assert _lead(signed_case).handler == users["cgj_li"]
    event = CaseEvent.objects.get(submission=signed_case, action="assign_handler")
    assert event.from_status == event.to_status == "in_progress" and event.actor == users["cgj_head"]
    assert event.payload["handler"] == "cgj_li" and not event.is_public
    assert Notification.objects.filter(event=event, recipient=users["cgj_li"]).exists()
    assert "城管局 李娜" in client.get(f"/staff/cases/{signed_case.pk}/").content.decode()


def test_a_reassignment_is_a_second_event_that_names_the_previous_handler(users, signed_case):
    handlers.case_assign_handler(submission_id=signed_case.pk, actor=users["cgj_head"], handler_id=users["cgj_li"].pk)
    handlers.case_assign_handler(
        submission_id=signed_case.pk, actor=users["cgj_head"], handler_id=users["cgj_staff"].pk, reason="李娜休假"
    )
    events = list(CaseEvent.objects.filter(submission=signed_case, action="assign_handler").order_by("id"))
    assert [e.payload["handler"] for e in events] == ["cgj_li", "cgj_staff"]
    assert events[1].payload["previous"] == "cgj_li" and events[1].reason == "李娜休假"
    with pytest.raises(TransitionNotAllowed):
        handlers.case_assign_handler(
            submission_id=signed_case.pk, actor=users["cgj_head"], handler_id=users["cgj_staff"].pk
        )


@pytest.mark.parametrize(
    ("actor", "handler", "error"),
    [
        ("cgj_staff", "cgj_li", PermissionDenied),  # a colleague who is not the head
        ("zjj_staff", "cgj_li", PermissionDenied),  # an outsider
        ("cgj_head", "zjj_staff", TransitionNotAllowed),  # someone of another department
    ],
)
def test_only_the_head_names_a_handler_and_only_from_the_department(users, signed_case, actor, handler, error):
    before = Submission.objects.get(pk=signed_case.pk).version
    with pytest.raises(error):
        handlers.case_assign_handler(submission_id=signed_case.pk, actor=users[actor], handler_id=users[handler].pk)
    assert Submission.objects.get(pk=signed_case.pk).version == before
    assert _lead(signed_case).handler is None


def test_a_case_not_yet_signed_for_gets_no_handler(users, make_case):
    case = make_case("2026-03-02 08:30")
    with pytest.raises(TransitionNotAllowed):
        handlers.case_assign_handler(submission_id=case.pk, actor=users["cgj_head"], handler_id=users["cgj_li"].pk)


def _tab(client, tab: str) -> list[int]:
    return [row.pk for row in client.get("/staff/", {"tab": tab}).context["rows"]]


def test_the_inbox_has_mine_unassigned_and_my_department(client, users, signed_case, make_case):
    other = services.assignment_sign_for(submission_id=make_case("2026-03-02 08:30").pk, actor=users["cgj_staff"])
    handlers.case_assign_handler(submission_id=signed_case.pk, actor=users["cgj_head"], handler_id=users["cgj_li"].pk)
    client.force_login(users["cgj_li"])
    assert _tab(client, "mine") == [signed_case.pk]
    assert _tab(client, "unassigned") == [other.pk]
    assert set(_tab(client, "all")) == {signed_case.pk, other.pk}
    page = client.get("/staff/").content.decode()
    assert 'id="tab-mine"' in page and "本单位" in page and "待指定承办人" in page


def test_deadline_warning_and_first_reminder_reach_the_handler_before_the_head(users, signed_case):
    from deadlines.escalation import deadlines_sweep

    handlers.case_assign_handler(submission_id=signed_case.pk, actor=users["cgj_head"], handler_id=users["cgj_li"].pk)
    now = timezone.now()
    Deadline.objects.filter(submission=signed_case, is_open=True).update(
        warn_at=now - timedelta(hours=1), due_at=now + timedelta(hours=1), next_check_at=now - timedelta(hours=1)
    )

    def told(action):
        event = CaseEvent.objects.get(submission=signed_case, action=action)
        return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))

    deadlines_sweep(now=now, send=lambda ids: None)
    assert told("escalate_warning") == {"cgj_li"}
    deadlines_sweep(now=now + timedelta(hours=2), send=lambda ids: None)
    assert told("escalate_reminder") == {"cgj_li"}
    # A period later the department head hears of it.
    deadlines_sweep(now=now + timedelta(hours=26), send=lambda ids: None)
    assert "cgj_head" in told("escalate_head") and "cgj_li" not in told("escalate_head")
