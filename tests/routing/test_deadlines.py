"""Deadlines follow the case: policies, pauses, extensions and reopens."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deadlines.models import Deadline, DeadlinePolicy, Step
from deadlines.services import deadline_extend
from feedback.workflow import case_transition
from portal.errors import DomainError
from tests.routing.conftest import local


def staff(username="cgj_staff"):
    from accounts.models import User

    return User.objects.get(username=username)


def open_deadline(case, step):
    return Deadline.objects.get(submission=case, step=step, is_open=True)


@pytest.mark.django_db
def test_routing_starts_a_sign_for_deadline_from_the_default_policy(make_case):
    case = make_case("2026-09-30 16:00")
    deadline = open_deadline(case, Step.SIGN_FOR)
    assert deadline.due_at == local("2026-10-08 16:00")  # 1 working day over National Day
    assert deadline.policy is not None and deadline.policy.category_id is None
    assert "10-01..10-07 National Day" in deadline.trace
    assert deadline.next_level == 0 and deadline.next_check_at == deadline.warn_at


@pytest.mark.django_db
def test_a_category_policy_beats_the_default(make_case):
    from city.models import Category

    DeadlinePolicy.objects.create(
        category=Category.objects.get(code="city"),
        priority="normal",
        sign_for_amount=4,
        sign_for_unit="working_hours",
        reply_amount=3,
        reply_unit="working_days",
    )
    case = make_case("2026-03-10 09:00")  # city.garbage inherits from its parent "city"
    assert open_deadline(case, Step.SIGN_FOR).due_at == local("2026-03-10 14:30")


@pytest.mark.django_db
def test_urgent_cases_run_on_clock_time(make_case):
    case = make_case("2026-10-03 22:00", priority="urgent")
    deadline = open_deadline(case, Step.SIGN_FOR)
    assert deadline.due_at == local("2026-10-04 00:00")
    assert deadline.in_working_time is False


@pytest.mark.django_db
def test_waiting_for_the_citizen_pauses_the_reply_clock(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    assert open_deadline(case, Step.REPLY).due_at == local("2026-03-06 18:00")
    case_transition(submission_id=case.pk, action="request_material", actor=staff(), now=local("2026-03-03 09:00"))
    assert open_deadline(case, Step.REPLY).paused_at == local("2026-03-03 09:00")
    case_transition(submission_id=case.pk, action="provide_material", as_citizen=True, now=local("2026-03-09 09:00"))
    deadline = open_deadline(case, Step.REPLY)
    # 7.5 h were used before the pause; the 30 h left restart on Monday Mar 9.
    assert deadline.due_at == local("2026-03-12 18:00")
    assert deadline.paused_at is None
    assert "paused 2026-03-03 09:00–2026-03-09 09:00" in deadline.trace


@pytest.mark.django_db
def test_a_pause_across_national_day_resumes_after_the_holiday(make_case):
    case = make_case("2026-09-28 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-09-28 09:00"))
    # Paused on Tue Sep 29 09:00 with 30 working hours left; resumed on the holiday Oct 5.
    case_transition(submission_id=case.pk, action="request_material", actor=staff(), now=local("2026-09-29 09:00"))
    case_transition(submission_id=case.pk, action="provide_material", as_citizen=True, now=local("2026-10-05 10:00"))
    assert open_deadline(case, Step.REPLY).due_at == local("2026-10-12 18:00")  # Oct 8, 9, 10 (调休), 12


@pytest.mark.django_db
def test_an_approved_extension_moves_the_deadline_and_restarts_the_ladder(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    old = open_deadline(case, Step.REPLY)
    new = deadline_extend(case, Step.REPLY, local("2026-03-13 18:00"), local("2026-03-05 10:00"), staff("supervisor"))
    old.refresh_from_db()
    assert old.is_open is False
    assert new.is_open and new.due_at == local("2026-03-13 18:00") and new.extended_from_id == old.pk
    assert new.next_level == 0 and new.next_check_at == new.warn_at
    assert "extended by supervisor" in new.trace


@pytest.mark.django_db
def test_an_extension_to_an_earlier_date_is_refused_and_changes_nothing(make_case):
    case = make_case("2026-03-02 08:30")
    deadline = open_deadline(case, Step.SIGN_FOR)
    with pytest.raises(DomainError):
        deadline_extend(case, Step.SIGN_FOR, deadline.due_at - timedelta(hours=1), local("2026-03-02 10:00"))
    assert Deadline.objects.filter(submission=case).count() == 1
    assert open_deadline(case, Step.SIGN_FOR).due_at == deadline.due_at


@pytest.mark.django_db
def test_a_reopen_starts_a_new_reply_deadline(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    first = open_deadline(case, Step.REPLY)
    case_transition(submission_id=case.pk, action="reply", actor=staff(), now=local("2026-03-03 09:00"))
    assert open_deadline(case, Step.RATING).due_at == local("2026-03-10 09:00")
    case_transition(submission_id=case.pk, action="reopen", as_citizen=True, now=local("2026-03-04 09:00"))
    second = open_deadline(case, Step.REPLY)
    assert second.pk != first.pk
    assert second.due_at == local("2026-03-10 18:00")
    assert not Deadline.objects.filter(submission=case, step=Step.RATING, is_open=True).exists()


@pytest.mark.django_db
def test_a_return_pauses_the_clock_and_a_rejected_return_resumes_it(make_case):
    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff(), now=local("2026-03-02 09:00"))
    case_transition(
        submission_id=case.pk, action="return", actor=staff(), reason="不归我们管", now=local("2026-03-02 12:00")
    )
    assert open_deadline(case, Step.REPLY).paused_at == local("2026-03-02 12:00")
    case_transition(
        submission_id=case.pk,
        action="reject_return",
        actor=staff("supervisor"),
        to_status="in_progress",
        now=local("2026-03-03 13:30"),
    )
    # 3 working hours were used; the 34.5 h left restart Tue 13:30 (4.5 h), then Wed, Thu, Fri and Mon.
    assert open_deadline(case, Step.REPLY).due_at == local("2026-03-09 18:00")


@pytest.mark.django_db
def test_a_redispatch_after_a_return_starts_a_new_sign_for_clock(make_case):
    from casework.services import assignment_create
    from city.models import Department

    case = make_case("2026-03-02 08:30")
    case_transition(submission_id=case.pk, action="return", actor=staff(), now=local("2026-03-02 10:00"))

    def to_zjj(submission):
        assignment_create(
            submission=submission,
            department=Department.objects.get(code="ZJJ"),
            role="lead",
            at=local("2026-03-02 14:00"),
        )

    case_transition(
        submission_id=case.pk, action="dispatch", actor=staff("dispatcher"), apply=to_zjj, now=local("2026-03-02 14:00")
    )
    deadline = open_deadline(case, Step.SIGN_FOR)
    assert deadline.department.code == "ZJJ" and deadline.paused_at is None
    assert deadline.due_at == local("2026-03-03 14:00")
    assert Deadline.objects.filter(submission=case, is_open=True).count() == 1
