"""The department's, dispatcher's and supervisor's services, and the trail they leave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import extensions, returns, services, triage
from casework.models import Assignment, AssignmentRole, AssignmentStatus, Decision, ReturnReason, ReturnRecord
from city.models import Department
from deadlines.models import Deadline, Step
from feedback.models import CaseEvent, Notification, Rating, Status, Submission
from feedback.workflow import case_transition
from portal.errors import PermissionDenied, TransitionNotAllowed
from tests.factories import make_case


def _rate(case, satisfaction="satisfied"):
    def apply(c):
        Rating.objects.create(submission=c, reply=c.replies.latest("id"), satisfaction=satisfaction, is_resolved=True)
        c.closed_at = timezone.now()

    return case_transition(submission_id=case.pk, action="rate", as_citizen=True, apply=apply)


def test_event_trail_of_a_full_life_with_a_reopen(users):
    from city.models import Category
    from feedback.services import submission_create
    from routing.services import submission_route

    case, _secret, _ = submission_create(
        data={
            "kind": "complaint",
            "title": "垃圾堆积",
            "text": "小区门口垃圾三天没人清理",
            "category": Category.objects.get(code="city.garbage"),
            "email": "citizen@example.com",
        }
    )
    submission_route(submission_id=case.pk)
    staff = users["cgj_staff"]
    services.assignment_sign_for(submission_id=case.pk, actor=staff)
    services.case_request_material(submission_id=case.pk, actor=staff, question="请提供照片")
    assert Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True).paused_at is not None
    services.material_provide(submission_id=case.pk, answer="照片已上传")
    assert Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True).paused_at is None
    services.case_reply(submission_id=case.pk, actor=staff, disposition="resolved", text="已清理完毕。")
    _rate(case, "unsatisfied")
    case_transition(submission_id=case.pk, action="reopen", as_citizen=True, reason="又堆起来了")
    services.case_reply(submission_id=case.pk, actor=staff, disposition="resolved", text="已再次清理并加派人手。")
    _rate(case)

    trail = list(CaseEvent.objects.filter(submission=case).values_list("action", "from_status", "to_status"))
    assert trail == [
        ("submit", "", "submitted"),
        ("route", "submitted", "assigned"),
        ("sign_for", "assigned", "in_progress"),
        ("request_material", "in_progress", "waiting_citizen"),
        ("provide_material", "waiting_citizen", "in_progress"),
        ("reply", "in_progress", "replied"),
        ("rate", "replied", "closed"),
        ("reopen", "closed", "in_progress"),
        ("reply", "in_progress", "replied"),
        ("rate", "replied", "closed"),
    ]
    events = CaseEvent.objects.filter(submission=case).exclude(action="submit")
    assert all(e.created_at for e in events)
    assert events.get(action="sign_for").actor == staff
    assert events.get(action="reopen").reason == "又堆起来了"
    assert Submission.objects.get(pk=case.pk).status == Status.CLOSED


def test_sign_for_marks_the_lead_assignment_and_refuses_a_second_time(users):
    case = make_case(status=Status.ASSIGNED)
    services.assignment_sign_for(submission_id=case.pk, actor=users["cgj_staff"])
    lead = Assignment.objects.get(submission=case, role=AssignmentRole.LEAD)
    assert (lead.status, lead.signed_for_by) == (AssignmentStatus.SIGNED_FOR, users["cgj_staff"])
    with pytest.raises(TransitionNotAllowed):
        services.assignment_sign_for(submission_id=case.pk, actor=users["cgj_head"])


def test_staff_of_another_department_cannot_sign_for(users):
    case = make_case(status=Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        services.assignment_sign_for(submission_id=case.pk, actor=users["zjj_staff"])
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_reply_needs_a_disposition_and_text_and_changes_nothing_otherwise(users):
    case = make_case(status=Status.IN_PROGRESS)
    with pytest.raises(TransitionNotAllowed):
        services.case_reply(submission_id=case.pk, actor=users["cgj_staff"], disposition="maybe", text="x")
    with pytest.raises(TransitionNotAllowed):
        services.case_reply(submission_id=case.pk, actor=users["cgj_staff"], disposition="resolved", text="  ")
    assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    assert not case.replies.exists()


def test_lead_cannot_reply_before_co_handlers_answer_unless_their_deadline_passed(users):
    case = make_case(status=Status.IN_PROGRESS)
    zjj = Department.objects.get(code="ZJJ")
    co = Assignment.objects.create(
        submission=case, department=zjj, role=AssignmentRole.CO, due_at=timezone.now() + timedelta(hours=5)
    )
    with pytest.raises(TransitionNotAllowed):
        services.case_reply(submission_id=case.pk, actor=users["cgj_staff"], disposition="resolved", text="好了")
    Assignment.objects.filter(pk=co.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    services.case_reply(submission_id=case.pk, actor=users["cgj_staff"], disposition="resolved", text="好了")
    event = CaseEvent.objects.filter(submission=case, action="reply").get()
    assert event.payload["missing_opinions"] == ["ZJJ"]


def test_co_handler_signs_for_and_gives_its_opinion_then_the_lead_replies(users):
    case = make_case(status=Status.IN_PROGRESS)
    zjj = Department.objects.get(code="ZJJ")
    Assignment.objects.create(
        submission=case, department=zjj, role=AssignmentRole.CO, due_at=timezone.now() + timedelta(hours=5)
    )
    with pytest.raises(PermissionDenied):
        services.cohandling_opinion(submission_id=case.pk, actor=users["swj_staff"], text="不是我们的")
    services.cohandling_sign_for(submission_id=case.pk, actor=users["zjj_staff"])
    co = services.cohandling_opinion(submission_id=case.pk, actor=users["zjj_staff"], text="工地已整改")
    assert (co.status, co.opinion) == (AssignmentStatus.OPINION_GIVEN, "工地已整改")
    with pytest.raises(TransitionNotAllowed):
        services.cohandling_opinion(submission_id=case.pk, actor=users["zjj_staff"], text="again")
    services.case_reply(submission_id=case.pk, actor=users["cgj_staff"], disposition="resolved", text="已处理")
    assert "missing_opinions" not in CaseEvent.objects.get(submission=case, action="reply").payload


def test_return_inside_the_window_is_counted_and_a_rejection_sends_it_back_as_it_was(users):
    case = make_case(status=Status.IN_PROGRESS)
    reason = ReturnReason.objects.get(code="not_our_duty")
    returns.case_return(submission_id=case.pk, actor=users["cgj_staff"], reason_id=reason.pk, text="这是住建的事")
    case.refresh_from_db()
    assert (case.status, case.return_count) == (Status.RETURNED, 1)
    record = ReturnRecord.objects.get(submission=case)
    assert (record.department.code, record.from_status, record.decision) == ("CGJ", "in_progress", "pending")
    returns.return_reject(submission_id=case.pk, actor=users["dispatcher"], note="属于城管职责")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert Assignment.objects.get(submission=case, role="lead").status == AssignmentStatus.SIGNED_FOR
    assert ReturnRecord.objects.get(pk=record.pk).decision == Decision.REJECTED
    event = CaseEvent.objects.filter(submission=case).latest("id")
    assert (event.action, event.to_status) == ("reject_return", "in_progress")


def test_return_needs_a_listed_reason_and_text(users):
    case = make_case(status=Status.ASSIGNED)
    with pytest.raises(TransitionNotAllowed):
        returns.case_return(submission_id=case.pk, actor=users["cgj_staff"], reason_id=0, text="x")
    reason = ReturnReason.objects.first()
    with pytest.raises(TransitionNotAllowed):
        returns.case_return(submission_id=case.pk, actor=users["cgj_staff"], reason_id=reason.pk, text=" ")
    assert Submission.objects.get(pk=case.pk).return_count == 0


def test_return_after_the_window_is_refused(users, settings):
    settings.MINSHENG = {**settings.MINSHENG, "RETURN_WINDOW_WORKING_DAYS": 1}
    case = make_case(status=Status.ASSIGNED)
    # Ten calendar days are more than one working day whatever the holidays.
    Assignment.objects.filter(submission=case).update(assigned_at=timezone.now() - timedelta(days=10))
    with pytest.raises(TransitionNotAllowed):
        returns.case_return(
            submission_id=case.pk, actor=users["cgj_staff"], reason_id=ReturnReason.objects.first().pk, text="晚了"
        )
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_return_window_counts_working_time(users, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.MINSHENG = {**settings.MINSHENG, "RETURN_WINDOW_WORKING_DAYS": 1}
    friday_evening = datetime(2026, 11, 20, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    until = returns.return_deadline(friday_evening)
    # One working day after a Friday evening ends on Monday, not on Saturday.
    assert timezone.localtime(until, ZoneInfo("Asia/Shanghai")).date().isoformat() == "2026-11-23"


def test_accepted_return_redispatches_and_the_returner_stays_responsible_until_sign_for(users):
    from casework.filters import inbox_for_user

    case = make_case(status=Status.ASSIGNED)
    returns.case_return(
        submission_id=case.pk, actor=users["cgj_staff"], reason_id=ReturnReason.objects.first().pk, text="住建的"
    )
    zjj = Department.objects.get(code="ZJJ")
    returns.return_accept(submission_id=case.pk, actor=users["dispatcher"], department_id=zjj.pk, reason="工地问题")
    event = CaseEvent.objects.filter(submission=case).latest("id")
    assert (event.action, event.payload["from"], event.payload["to"]) == ("dispatch", "CGJ", "ZJJ")
    assert event.reason == "工地问题"
    assert inbox_for_user(users["cgj_staff"], {}).filter(pk=case.pk).exists()
    services.assignment_sign_for(submission_id=case.pk, actor=users["zjj_staff"])
    assert not inbox_for_user(users["cgj_staff"], {}).filter(pk=case.pk).exists()
    assert ReturnRecord.objects.get(submission=case).redispatched_to == zjj


def test_a_case_bounced_three_times_goes_to_a_supervisor(users):
    reason = ReturnReason.objects.first()
    case = make_case(status=Status.ASSIGNED)
    codes = ["ZJJ", "SWJ", "STHJ"]
    staff = {"CGJ": "cgj_staff", "ZJJ": "zjj_staff", "SWJ": "swj_staff", "STHJ": "sthj_staff"}
    current = "CGJ"
    for nxt in codes:
        returns.case_return(submission_id=case.pk, actor=users[staff[current]], reason_id=reason.pk, text="不是我们")
        decider = users["dispatcher"] if nxt != "STHJ" else users["supervisor"]
        returns.return_accept(
            submission_id=case.pk, actor=decider, department_id=Department.objects.get(code=nxt).pk, reason="改派"
        )
        current = nxt
    returns.case_return(submission_id=case.pk, actor=users["sthj_staff"], reason_id=reason.pk, text="也不是")
    with pytest.raises(PermissionDenied):
        returns.return_reject(submission_id=case.pk, actor=users["dispatcher"], note="退回")
    returns.return_reject(submission_id=case.pk, actor=users["supervisor"], note="就是你们的")
    assert Submission.objects.get(pk=case.pk).return_count == 4


def test_extension_moves_the_deadline_only_once_approved_by_the_head(users):
    case = make_case(status=Status.IN_PROGRESS)
    deadline = Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True)
    new_due = deadline.due_at + timedelta(days=3)
    request = extensions.extension_request(
        submission_id=case.pk, actor=users["cgj_staff"], reason="需要协调", new_due_at=new_due
    )
    assert Deadline.objects.get(pk=deadline.pk).due_at == deadline.due_at
    with pytest.raises(TransitionNotAllowed):
        extensions.extension_request(submission_id=case.pk, actor=users["cgj_staff"], reason="再要", new_due_at=new_due)
    with pytest.raises(PermissionDenied):
        extensions.extension_decide(extension_id=request.pk, actor=users["cgj_staff"], approve=True)
    with pytest.raises(PermissionDenied):
        extensions.extension_decide(extension_id=request.pk, actor=users["zjj_staff"], approve=True)
    extensions.extension_decide(extension_id=request.pk, actor=users["cgj_head"], approve=True)
    assert Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True).due_at == new_due
    with pytest.raises(TransitionNotAllowed):
        extensions.extension_decide(extension_id=request.pk, actor=users["supervisor"], approve=False, note="no")


def test_extension_to_an_earlier_date_is_refused(users):
    case = make_case(status=Status.IN_PROGRESS)
    with pytest.raises(TransitionNotAllowed):
        extensions.extension_request(
            submission_id=case.pk, actor=users["cgj_staff"], reason="x", new_due_at=timezone.now()
        )


def test_manual_escalation_is_for_supervisors_and_notifies_the_department(users):
    case = make_case(status=Status.IN_PROGRESS)
    due = timezone.now() + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.case_escalate_manual(submission_id=case.pk, actor=users["dispatcher"], instructions="快", due_at=due)
    event = services.case_escalate_manual(
        submission_id=case.pk, actor=users["supervisor"], instructions="今天内处理", due_at=due
    )
    recipients = set(
        Notification.objects.filter(event=event, recipient__isnull=False).values_list("recipient__username", flat=True)
    )
    assert {"cgj_staff", "cgj_head"} <= recipients
    assert "zjj_staff" not in recipients


def test_new_assignment_notifies_department_members_once(users):
    case = make_case(status=Status.TRIAGE, department=None)
    triage.case_dispatch(
        submission_id=case.pk, actor=users["dispatcher"], department_id=Department.objects.get(code="CGJ").pk
    )
    event = CaseEvent.objects.get(submission=case, action="dispatch")
    rows = Notification.objects.filter(event=event)
    staff = rows.filter(recipient__isnull=False).values_list("recipient__username", flat=True)
    assert set(staff) == {"cgj_staff", "cgj_head"}
    # Building the rows again for the same event adds nothing.
    from feedback.notifications import enqueue_for_event

    count = rows.count()
    enqueue_for_event(event)
    assert Notification.objects.filter(event=event).count() == count


def test_notification_is_sent_once_even_if_asked_twice(users, mailoutbox):
    from feedback.notifications import notification_send

    case = make_case(status=Status.TRIAGE, department=None)
    triage.case_dispatch(
        submission_id=case.pk, actor=users["dispatcher"], department_id=Department.objects.get(code="CGJ").pk
    )
    note = Notification.objects.filter(channel="email").first()
    assert notification_send(note.pk) is True
    assert notification_send(note.pk) is False
    assert len(mailoutbox) == 1


def test_contact_view_is_recorded_and_refused_to_outsiders(users):
    case = make_case(status=Status.IN_PROGRESS)
    services.contact_view_record(submission_id=case.pk, actor=users["cgj_staff"])
    with pytest.raises(PermissionDenied):
        services.contact_view_record(submission_id=case.pk, actor=users["zjj_staff"])
    views = CaseEvent.objects.filter(submission=case, action="contact_viewed")
    assert list(views.values_list("actor__username", flat=True)) == ["cgj_staff"]


def test_triage_marks_duplicate_and_links_to_the_original(users):
    original = make_case(status=Status.IN_PROGRESS)
    dup = make_case(status=Status.TRIAGE, department=None)
    triage.case_mark_duplicate(submission_id=dup.pk, actor=users["dispatcher"], duplicate_of=original.tracking_number)
    dup.refresh_from_db()
    assert (dup.status, dup.close_reason, dup.duplicate_of_id) == (Status.CLOSED, "duplicate", original.pk)


def test_invalid_needs_a_reason(users):
    case = make_case(status=Status.TRIAGE, department=None)
    with pytest.raises(TransitionNotAllowed):
        triage.case_mark_invalid(submission_id=case.pk, actor=users["dispatcher"], reason="")
    triage.case_mark_spam(submission_id=case.pk, actor=users["dispatcher"], reason="广告")
    assert Submission.objects.get(pk=case.pk).close_reason == "spam"


def test_dispatch_with_co_handlers_gives_each_its_own_deadline(users):
    case = make_case(status=Status.TRIAGE, department=None)
    dept = {d.code: d.pk for d in Department.objects.all()}
    triage.case_dispatch(
        submission_id=case.pk, actor=users["dispatcher"], department_id=dept["CGJ"], co_department_ids=[dept["ZJJ"]]
    )
    co = Assignment.objects.get(submission=case, role=AssignmentRole.CO)
    assert co.department_id == dept["ZJJ"] and co.due_at is not None
    assert Submission.objects.get(pk=case.pk).lead_department_id == dept["CGJ"]
