"""Cases in a given state, built directly for tests (the workflow is tested separately)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from casework.models import Assignment, AssignmentRole, AssignmentStatus
from city.models import Category, Department
from deadlines.models import Deadline, Step
from feedback.models import Status, Submission
from feedback.services import hash_secret

_counter = {"n": 0}


def make_case(
    *, status: str = Status.ASSIGNED, department: str | None = "CGJ", title: str = "路边垃圾没人清理", **extra
):
    """A case led by ``department`` in ``status``, with the assignment and deadline that status implies."""
    _counter["n"] += 1
    now = timezone.now()
    dept = Department.objects.get(code=department) if department else None
    case = Submission.objects.create(
        tracking_number=f"T{now:%H%M%S}{_counter['n']:06d}",
        secret_hash=hash_secret("s3cret"),
        kind=extra.pop("kind", "complaint"),
        category=extra.pop("category", None) or Category.objects.get(code="city.garbage"),
        title=title,
        text=extra.pop("text", "小区门口垃圾堆了三天，没人清理，气味很大。"),
        name="张三",
        phone="13800000000",
        email=extra.pop("email", ""),
        status=status,
        lead_department=dept if status not in (Status.SUBMITTED, Status.TRIAGE) else None,
        **extra,
    )
    if case.lead_department_id:
        assignment_status = {
            Status.ASSIGNED: AssignmentStatus.ASSIGNED,
            Status.RETURNED: AssignmentStatus.RETURNED,
        }.get(status, AssignmentStatus.SIGNED_FOR)
        Assignment.objects.create(
            submission=case, department=dept, role=AssignmentRole.LEAD, status=assignment_status, assigned_at=now
        )
        step = Step.SIGN_FOR if status == Status.ASSIGNED else Step.REPLY
        if status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_CITIZEN):
            Deadline.objects.create(submission=case, step=step, started_at=now, due_at=now + timedelta(days=2))
    return case
