"""Hand-made case facts for the oversight tests: rows written directly, times chosen by the test."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from feedback.models import CaseEvent, EventKind, Rating, Reply, Submission
from routing.models import Assignment, AssignmentStatus, Deadline

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(day: datetime, hour: float) -> datetime:
    """``hour`` hours after local midnight of ``day``."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return midnight + timedelta(hours=hour)


def case(department, *, created: datetime, **fields) -> Submission:
    n = next(_numbers)
    defaults = {
        "tracking_number": f"T{n:08d}",
        "secret_hash": "x",
        "kind": "complaint",
        "title": f"case {n}",
        "text": "text",
        "status": "in_progress",
        "lead_department": department,
        "created_at": created,
    }
    defaults.update(fields)
    return Submission.objects.create(**defaults)


def event(submission, action: str, when: datetime, **fields) -> CaseEvent:
    return CaseEvent.objects.create(submission=submission, action=action, created_at=when, **fields)


def deadline(
    department,
    step: str,
    *,
    started: datetime,
    due: datetime,
    completed_by: str | None = None,
    completed: datetime | None = None,
    paused: datetime | None = None,
    submission=None,
) -> Deadline:
    """A deadline; when ``completed_by`` names an action, that event is written at the completion instant."""
    submission = submission or case(department, created=started)
    row = Deadline.objects.create(
        submission=submission,
        step=step,
        department=department,
        started_at=started,
        due_at=due,
        completed_at=completed,
        is_open=completed is None,
        paused_at=paused,
    )
    if completed_by:
        event(submission, completed_by, completed)
    return row


def rating(department, *, when: datetime, satisfaction: str, resolved: bool) -> Rating:
    submission = case(department, created=when - timedelta(days=2), status="closed")
    reply = Reply.objects.create(
        submission=submission, department=department, disposition="resolved", text="done", created_at=when
    )
    return Rating.objects.create(
        submission=submission, reply=reply, satisfaction=satisfaction, is_resolved=resolved, created_at=when
    )


def assignment(department, *, when: datetime, returned_at: datetime | None = None) -> Assignment:
    """A lead assignment; with ``returned_at``, returned then (its ``ReturnRecord``, as the casework writes it)."""
    from routing.models import ReturnReason, ReturnRecord

    submission = case(department, created=when)
    row = Assignment.objects.create(
        submission=submission,
        department=department,
        role="lead",
        assigned_at=when,
        status=AssignmentStatus.RETURNED if returned_at else AssignmentStatus.ASSIGNED,
        ended_at=returned_at,
    )
    if returned_at:
        ReturnRecord.objects.create(
            submission=submission,
            assignment=row,
            department=department,
            reason=ReturnReason.objects.order_by("pk").first(),
            text="不属于本单位职责",
            from_status="assigned",
            requested_at=returned_at,
        )
    return row


def escalate(submission, level: int, when: datetime) -> CaseEvent:
    """An escalation as the sweep records it: a ``routing.Escalation`` row and its case event."""
    from routing.models import Escalation

    open_deadline = submission.deadlines.filter(step="reply").order_by("-id").first() or deadline(
        submission.lead_department, "reply", started=when - timedelta(days=6), due=when, submission=submission
    )
    Escalation.objects.create(
        submission=submission,
        deadline=open_deadline,
        step="reply",
        level=level,
        department=submission.lead_department,
        due_at=open_deadline.due_at,
        created_at=when,
    )
    return event(submission, "escalate", when, kind=EventKind.ESCALATION, payload={"level": level, "step": "reply"})
