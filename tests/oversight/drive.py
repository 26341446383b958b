"""Case facts for the oversight tests, made the way users make them: through the services, at chosen times.

Only the world is set by hand (the city from ``seed_demo``, and the clock-hour deadline policy of
``clock_policies``); every submission, assignment, deadline, event, return, extension, rating and
escalation the KPIs count is written by the same service a page or the API calls.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from accounts.models import User
from casework import extensions, returns, services, triage
from casework.models import ReturnReason
from city.models import Category, Department
from deadlines.escalation import deadlines_sweep
from deadlines.models import Deadline, DeadlinePolicy, DurationUnit, Step
from feedback.models import Status, Submission
from feedback.services import case_reopen, rating_submit, submission_create
from feedback.workflow import Action, case_transition

SHANGHAI = ZoneInfo("Asia/Shanghai")
SIGN_FOR_HOURS = 2
REPLY_HOURS = 96
ESCALATION_PERIOD_HOURS = 24
_numbers = itertools.count(1)


def at(day, hour: float) -> datetime:
    """``hour`` hours after local midnight of ``day``."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return midnight + timedelta(hours=hour)


def clock_policies() -> None:
    """The world's deadline policies in clock hours (sign for in 2 h, reply in 96 h), so a test can place due times."""
    DeadlinePolicy.objects.update(
        sign_for_amount=SIGN_FOR_HOURS,
        sign_for_unit=DurationUnit.HOURS,
        reply_amount=REPLY_HOURS,
        reply_unit=DurationUnit.HOURS,
        escalation_period_hours=ESCALATION_PERIOD_HOURS,
    )


def staff(department: Department) -> User:
    return User.objects.filter(memberships__department=department, is_active=True).order_by("pk").first()


def dispatcher() -> User:
    return User.objects.get(username="dispatcher")


def submitted(department: Department | None = None, *, created: datetime, **data) -> Submission:
    """A citizen's submission at ``created`` through the intake service, not yet routed."""
    n = next(_numbers)
    category = data.pop("category", None) or Category.objects.filter(default_department=department).first()
    fields = {"kind": "complaint", "title": f"case {n}", "text": "text", "category": category, **data}
    submission, _secret, _created = submission_create(data=fields, now=created)
    return submission


def case(department: Department, *, created: datetime, signed: datetime | None = None, **data) -> Submission:
    """A citizen's submission at ``created``, dispatched from triage to ``department`` at once.

    With ``signed``, the department signs for it then.
    """
    submission = submitted(department, created=created, **data)
    # Routing is not under test here: the case goes to the triage desk and a dispatcher sends it on.
    case_transition(submission_id=submission.pk, action=Action.SEND_TO_TRIAGE, as_system=True, now=created)
    triage.case_dispatch(submission_id=submission.pk, actor=dispatcher(), department_id=department.pk, now=created)
    if signed is not None:
        sign_for(submission, signed)
    return Submission.objects.get(pk=submission.pk)


def answered(department: Department, *, created: datetime, **data) -> Submission:
    """A case signed for, answered and rated satisfied within the hour after ``created``: no clock left open."""
    submission = case(department, created=created, signed=created, **data)
    reply(submission, created + timedelta(minutes=30))
    rate(submission, created + timedelta(minutes=45), satisfaction="satisfied", resolved=True)
    return submission


def open_deadline(department: Department, step: str, *, due: datetime, **data) -> Deadline:
    """A case whose open ``step`` deadline falls due at ``due`` (with ``clock_policies``)."""
    if step == Step.SIGN_FOR:
        submission = case(department, created=due - timedelta(hours=SIGN_FOR_HOURS), **data)
    else:
        signed = due - timedelta(hours=REPLY_HOURS)
        submission = case(department, created=signed, signed=signed, **data)
    return Deadline.objects.get(submission=submission, step=step, is_open=True)


def sign_for(submission: Submission, when: datetime) -> None:
    lead = Department.objects.get(pk=Submission.objects.get(pk=submission.pk).lead_department_id)
    services.assignment_sign_for(submission_id=submission.pk, actor=staff(lead), now=when)


def reply(submission: Submission, when: datetime) -> None:
    submission.refresh_from_db()
    services.case_reply(
        submission_id=submission.pk,
        actor=staff(submission.lead_department),
        disposition="resolved",
        text="已处理完毕",
        now=when,
    )


def return_(submission: Submission, when: datetime) -> None:
    submission.refresh_from_db()
    returns.case_return(
        submission_id=submission.pk,
        actor=staff(submission.lead_department),
        reason_id=ReturnReason.objects.filter(is_active=True).order_by("pk").first().pk,
        text="不属于本单位职责",
        now=when,
    )


def redispatch(submission: Submission, to: Department, when: datetime) -> None:
    triage.case_redispatch(
        submission_id=submission.pk, actor=dispatcher(), department_id=to.pk, reason="职责调整", now=when
    )


def request_material(submission: Submission, when: datetime) -> None:
    submission.refresh_from_db()
    services.case_request_material(
        submission_id=submission.pk, actor=staff(submission.lead_department), question="请补充照片", now=when
    )


def extension(submission: Submission, when: datetime) -> None:
    """The lead department asks for three more days than its reply deadline gives (延期申请)."""
    submission.refresh_from_db()
    due = Deadline.objects.get(submission=submission, step=Step.REPLY, is_open=True).due_at
    extensions.extension_request(
        submission_id=submission.pk,
        actor=staff(submission.lead_department),
        reason="需要协调施工单位",
        new_due_at=due + timedelta(days=3),
        now=when,
    )


def rate(submission: Submission, when: datetime, *, satisfaction: str, resolved: bool) -> None:
    rating_submit(submission_id=submission.pk, satisfaction=satisfaction, is_resolved=resolved, now=when)


def rated(department: Department, *, when: datetime, satisfaction: str, resolved: bool) -> Submission:
    """A case handled and answered the day before ``when``, then rated by the citizen at ``when``."""
    day_before = when - timedelta(days=1)
    submission = case(department, created=day_before - timedelta(hours=2), signed=day_before - timedelta(hours=1))
    reply(submission, day_before)
    rate(submission, when, satisfaction=satisfaction, resolved=resolved)
    return submission


def reopen(submission: Submission, when: datetime, *, answered: datetime | None = None) -> None:
    """The case answered and rated unsatisfied (at ``answered``, default ``when``), sent back at ``when`` (重办)."""
    answered = answered or when
    submission.refresh_from_db()
    if submission.status == Status.ASSIGNED:
        sign_for(submission, answered)
    reply(submission, answered)
    rate(submission, answered, satisfaction="unsatisfied", resolved=False)
    case_reopen(submission_id=submission.pk, reason="问题没有解决", now=when)


def sweep(when: datetime) -> None:
    """The beat's deadline sweep, run at ``when``: it records every warning and escalation level due by then."""
    deadlines_sweep(now=when)
