"""Helpers shared by the casework services (events are written with ``feedback.workflow.event_record``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.models import Assignment, AssignmentRole, AssignmentStatus
from feedback.models import Submission
from portal.errors import CaseChanged, NotFound, PermissionDenied, TransitionNotAllowed


def require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionNotAllowed(message)
    return value


def live_lead(submission: Submission) -> Assignment | None:
    return (
        Assignment.objects.filter(
            submission=submission,
            role=AssignmentRole.LEAD,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR],
        )
        .select_related("department")
        .first()
    )


def locked_case(submission_id: int) -> Submission:
    """The case row, locked until the end of the caller's transaction."""
    case = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if case is None:
        raise NotFound(_("The case does not exist."))
    return case


def check_version(case: Submission, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise CaseChanged(_("The case changed while you were looking at it. Please reload and try again."))


def is_lead_staff(user, case: Submission) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and case.lead_department_id
        and case.lead_department_id in user.department_ids()
    )


def require_lead_staff(user, case: Submission) -> None:
    if not is_lead_staff(user, case):
        raise PermissionDenied(_("Only the lead department can do this."))
