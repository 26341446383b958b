"""Work lands on a person: the department head names the handler (承办人) of a signed-for case."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from casework.common import live_lead
from casework.models import Assignment, AssignmentStatus
from feedback.models import Submission
from feedback.workflow import case_transition
from portal.errors import CaseChanged, NotFound, TransitionNotAllowed


def department_handlers(department_id: int | None):
    """The active people of a department who can be named handler, by name."""

    if not department_id:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, memberships__department_id=department_id)
        .distinct()
        .order_by("first_name", "username")
    )


def case_assign_handler(
    *,
    submission_id: int,
    actor,
    handler_id: int,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Name (or change) the handler of the lead department's signed-for assignment.

    One ``assign_handler`` event per change, through the state machine (the
    status stays). The handler must belong to the lead department; naming the
    same person again is refused. ``CaseChanged`` when the case moved meanwhile.
    """
    now = now or timezone.now()
    case = Submission.objects.filter(pk=submission_id).only("status", "version", "lead_department_id").first()
    if case is None:
        raise NotFound(_("The case does not exist."))
    if expected_version is not None and expected_version != case.version:
        raise CaseChanged(_("The case changed while you were looking at it. Please reload and try again."))
    handler = department_handlers(case.lead_department_id).filter(pk=handler_id).first()
    if handler is None:
        raise TransitionNotAllowed(_("The handler must be someone of the lead department."))
    payload = {"handler": handler.username, "handler_name": handler.get_full_name() or handler.username}

    def apply(locked: Submission) -> None:
        lead = live_lead(locked)
        if lead is None or lead.status != AssignmentStatus.SIGNED_FOR:
            raise TransitionNotAllowed(_("A handler can be named once the department has signed for the case."))
        if lead.handler_id == handler.pk:
            raise TransitionNotAllowed(_("%(name)s already handles this case.") % {"name": payload["handler_name"]})
        if lead.handler_id:
            payload["previous"] = lead.handler.username if lead.handler else ""
        Assignment.objects.filter(pk=lead.pk).update(handler=handler)

    # The status stays: the target is the status the case has, checked by the version under the lock.
    return case_transition(
        submission_id=submission_id,
        action="assign_handler",
        actor=actor,
        to_status=case.status,
        expected_version=case.version,
        reason=reason,
        payload=payload,
        apply=apply,
        now=now,
    )
