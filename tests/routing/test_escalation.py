"""The escalation ladder: each level once, to the right people, never while paused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from deadlines.escalation import deadlines_sweep, escalations_sweep
from deadlines.models import Deadline, Escalation, Step, TaskFailure
from feedback.models import CaseEvent, CloseReason, EventKind, Notification, Status, Submission
from feedback.workflow import case_transition
from tests.routing.conftest import local


def no_send(ids):
    pass


def sweep(at: str):
    return deadlines_sweep(now=local(at), send=no_send)


def recipients(level: int) -> set[str]:
    return set(Notification.objects.filter(event__payload__level=level).values_list("recipient__username", flat=True))


def staff(username="cgj_staff"):
    from accounts.models import User

    return User.objects.get(username=username)


@pytest.mark.django_db
def test_the_ladder_climbs_one_level_at_a_time_and_each_level_is_recorded_once(make_case):
    case = make_case("2026-03-02 08:30")  # sign for by Mon 18:00; warning at 16:07:30
    assert sweep("2026-03-02 16:00").escalations == 0
    assert sweep("2026-03-02 16:10").escalations == 1
    assert sweep("2026-03-02 16:11").escalations == 0
    assert sweep("2026-03-02 18:00").escalations == 1
    assert sweep("2026-03-03 18:00").escalations == 1
    assert sweep("2026-03-04 18:00").escalations == 1
    assert sweep("2026-03-05 18:00").escalations == 1
    assert sweep("2026-03-20 18:00").escalations == 0
    assert list(Escalation.objects.filter(submission=case).order_by("level").values_list("level", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert CaseEvent.objects.filter(submission=case, kind=EventKind.ESCALATION).count() == 5
    assert recipients(0) == recipients(1) == {"cgj_staff", "cgj_head"}
    assert recipients(2) == {"cgj_head"}
    assert recipients(3) == recipients(4) == {"supervisor", "admin"}
    order = CaseEvent.objects.get(submission=case, action="escalate_supervision")
    assert "Report progress" in order.reason  # the supervision order carries its instructions
    assert Deadline.objects.get(submission=case, step=Step.SIGN_FOR).next_check_at is None


@pytest.mark.django_db
def test_a_sweep_after_an_outage_records_every_missed_level_but_no_late_warning(make_case):
    case = make_case("2026-03-02 08:30")
    result = sweep("2026-03-05 19:00")
    assert sorted(Escalation.objects.filter(submission=case).values_list("level", flat=True)) == [1, 2, 3, 4]
    assert result.escalations == 4
    assert sweep("2026-03-05 19:00").escalations == 0


@pytest.mark.django_db
def test_a_paused_case_is_not_escalated(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    case_transition(submission_id=case.pk, action="request_material", actor=staff(), now=local("2026-03-02 10:00"))
    assert sweep("2026-03-20 10:00").escalations == 0
    assert not Escalation.objects.filter(submission=case, step=Step.REPLY).exists()


@pytest.mark.django_db
def test_a_reopened_case_escalates_again_for_its_new_deadline(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    sweep("2026-03-06 18:30")  # reply overdue: warning skipped, reminder
    case_transition(submission_id=case.pk, action="reply", actor=staff(), now=local("2026-03-06 19:00"))
    case_transition(submission_id=case.pk, action="reopen", as_citizen=True, now=local("2026-03-09 09:00"))
    sweep("2026-03-13 18:30")  # the new reply deadline (Mar 13 18:00) passed
    levels = list(
        Escalation.objects.filter(submission=case, step=Step.REPLY, level=1).values_list("deadline_id", flat=True)
    )
    assert len(levels) == 2 and len(set(levels)) == 2


@pytest.mark.django_db
def test_an_unrated_case_is_closed_when_the_window_ends_once(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    case_transition(submission_id=case.pk, action="reply", actor=staff(), now=local("2026-03-03 09:00"))
    assert sweep("2026-03-10 08:59").closed_not_rated == 0
    assert sweep("2026-03-10 09:01").closed_not_rated == 1
    assert sweep("2026-03-10 09:02").closed_not_rated == 0
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.close_reason == CloseReason.NOT_RATED
    assert CaseEvent.objects.filter(submission=case, action="close_not_rated").count() == 1


@pytest.mark.django_db
def test_the_sweep_is_set_based_its_queries_do_not_grow_with_the_cases(make_case, django_assert_max_num_queries):
    for _ in range(25):
        make_case("2026-03-02 08:30")
    with django_assert_max_num_queries(12):
        result = escalations_sweep(now=local("2026-03-05 19:00"), send=no_send, batch_size=1000)
    assert result.escalations == 25 * 4
    # Only the escalation notifications (the cases' new-assignment notifications are not the sweep's).
    assert Notification.objects.filter(event__kind="escalation").count() == 25 * (2 + 1 + 2 + 2)


@pytest.mark.django_db
def test_notifications_are_handed_over_only_after_commit(make_case, django_capture_on_commit_callbacks):
    make_case("2026-03-02 08:30")
    sent: list[int] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = escalations_sweep(now=local("2026-03-02 18:01"), send=sent.extend)
    assert callbacks and sorted(sent) == sorted(result.notifications)


@pytest.mark.django_db
def test_run_deadlines_command_runs_the_sweep_at_a_given_time(
    make_case, capsys, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case("2026-03-02 08:30")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_deadlines", "--now", "2026-03-03 18:00")
    out = capsys.readouterr().out
    assert "2026-03-03 18:00" in out and "escalations=2" in out
    assert Escalation.objects.filter(submission=case).count() == 2
    assert Notification.objects.filter(event__kind="escalation", sent_at__isnull=True).count() == 0
    # Reminder to two staff, then the head (the case's new-assignment mail may also be in the outbox).
    assert Notification.objects.filter(event__kind="escalation").count() == 3
    assert len(mailoutbox) >= 3


@pytest.mark.django_db
def test_run_deadlines_refuses_a_bad_time_and_changes_nothing(make_case):
    from django.core.management.base import CommandError

    make_case("2026-03-02 08:30")
    with pytest.raises(CommandError, match="2026-12-01 10:00"):
        call_command("run_deadlines", "--now", "tomorrow")
    assert Escalation.objects.count() == 0


@pytest.mark.django_db
def test_a_task_that_keeps_failing_on_a_transient_error_stops_and_is_recorded(monkeypatch):
    from django.db import OperationalError

    from deadlines import escalation, tasks

    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise OperationalError("connection refused")

    monkeypatch.setattr(escalation, "deadlines_sweep", broken)
    result = tasks.deadline_sweep.apply()
    assert result.failed()
    assert len(calls) == tasks.ReliableTask.max_retries + 1
    failure = TaskFailure.objects.get()
    assert failure.task_name == "routing.tasks.deadline_sweep" and "connection refused" in failure.error


@pytest.mark.django_db
def test_a_non_transient_error_is_not_retried(monkeypatch):
    from deadlines import tasks

    result = tasks.deadline_sweep.apply(args=("not a time",))
    assert result.failed()
    assert TaskFailure.objects.count() == 1


@pytest.mark.django_db
def test_the_unrouted_sweep_routes_a_case_whose_message_was_lost(city):
    from city.models import Category
    from feedback.services import submission_create
    from routing.tasks import route_unrouted_sweep

    submission, _secret, _created = submission_create(
        data={"kind": "complaint", "title": "t", "text": "x", "category": Category.objects.get(code="water")},
        now=local("2026-03-02 08:30") - timedelta(minutes=5),
    )
    assert route_unrouted_sweep.apply(kwargs={"older_than_seconds": 0}).get() == 1
    # Routed: to a department or, for text this vague, to a dispatcher — no longer waiting.
    routed = Submission.objects.get(pk=submission.pk)
    assert routed.status in (Status.ASSIGNED, Status.TRIAGE)
    assert routed.events.filter(action__in=["route", "send_to_triage"]).count() == 1


@pytest.mark.django_db
def test_the_warning_goes_to_the_handler_who_signed_for_the_case(make_case):
    from casework.models import Assignment

    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    Assignment.objects.filter(submission=case, role="lead").update(signed_for_by=staff(), status="signed_for")
    # Reply due Fri Mar 6 18:00; the warning at 75 % of 37.5 working hours falls on Thu Mar 5 16:07:30.
    assert sweep("2026-03-05 17:00").escalations == 1
    assert recipients(0) == {"cgj_staff"}
    assert sweep("2026-03-06 18:01").escalations == 1
    # The first overdue reminder also goes to the handler first; the head hears at the next level.
    assert recipients(1) == {"cgj_staff"}


@pytest.mark.django_db(transaction=True)
def test_a_backlog_is_swept_on_several_connections_and_each_level_is_still_recorded_once(make_case):
    # Committed rows (a transactional test): the sweep's other connections must see them.
    cases = [make_case("2026-03-02 08:30") for _ in range(9)]
    sent: list[int] = []
    result = escalations_sweep(now=local("2026-03-05 19:00"), send=sent.extend, batch_size=2, parallel=3)
    assert result.connections == 3  # more than a batch due: a backlog
    assert result.escalations == 9 * 4  # levels 1 to 4 of every case, the late warning skipped
    assert result.deadlines == 9
    assert Escalation.objects.filter(submission__in=cases).count() == 9 * 4
    assert sorted(sent) == sorted(result.notifications)  # every helper's notifications handed over after its commit
    assert len(set(sent)) == len(sent) == Notification.objects.filter(event__kind="escalation").count()
    again = escalations_sweep(now=local("2026-03-05 19:00"), send=sent.extend, batch_size=2, parallel=3)
    assert (again.escalations, again.connections) == (0, 1)  # nothing due: one short batch, no helpers


@pytest.mark.django_db
def test_inside_a_transaction_the_sweep_stays_on_its_connection(make_case):
    # The test's transaction holds the rows; another connection could not see them.
    for _ in range(3):
        make_case("2026-03-02 08:30")
    result = escalations_sweep(now=local("2026-03-05 19:00"), send=no_send, batch_size=1, parallel=4)
    assert (result.escalations, result.connections) == (3 * 4, 1)
