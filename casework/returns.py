"""Returns (退单): a department says "not ours"; a dispatcher accepts (re-dispatch) or rejects.

The department that received the case stays responsible until another one
has signed for it (首接负责). Each return is counted against the department.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common import live_lead, require_text
from casework.models import Assignment, AssignmentStatus, Decision, ReturnReason, ReturnRecord
from casework.triage import _departments, dispatch_to
from city.calendar import WorkCalendar, working_day_seconds
from deadlines.models import Deadline, Step
from feedback.models import Status, Submission
from feedback.workflow import Action, case_transition
from portal.errors import NotFound, TransitionNotAllowed


def return_window() -> timedelta:
    """The fallback window in wall-clock hours (used when there is no working calendar)."""
    return timedelta(hours=int(settings.MINSHENG.get("RETURN_WINDOW_HOURS", 24)))


def return_deadline(assigned_at: datetime) -> datetime:
    """Until when a department may return a case: ``RETURN_WINDOW_WORKING_DAYS`` working days after assignment.

    Falls back to ``RETURN_WINDOW_HOURS`` of wall-clock time when no working day is configured.
    """
    days = float(settings.MINSHENG.get("RETURN_WINDOW_WORKING_DAYS", 1))
    if days <= 0 or not working_day_seconds():
        return assigned_at + return_window()
    return WorkCalendar().add_working(assigned_at, days * working_day_seconds())


def case_return(
    *,
    submission_id: int,
    actor=None,
    reason_id: int,
    text: str,
    as_department: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """The lead department returns the case with a listed reason and an explanation, within the window."""
    now = now or timezone.now()
    reason = ReturnReason.objects.filter(pk=reason_id, is_active=True).first() if reason_id else None
    if reason is None:
        raise TransitionNotAllowed(_("Choose a reason for the return."))
    text = require_text(text, _("Explain why the case is not for your department."))
    payload: dict = {"reason": reason.code}

    def apply(case: Submission) -> None:
        lead = live_lead(case)
        if lead is None:
            raise TransitionNotAllowed(_("The case has no department to return it."))
        if now > return_deadline(lead.assigned_at):
            raise TransitionNotAllowed(
                _("The time to return this case has passed (it could be returned until %(until)s).")
                % {"until": timezone.localtime(return_deadline(lead.assigned_at)).strftime("%Y-%m-%d %H:%M")}
            )
        Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.RETURNED)
        ReturnRecord.objects.create(
            submission=case,
            assignment=lead,
            department=lead.department,
            reason=reason,
            text=text,
            from_status=case.status,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            requested_at=now,
        )
        case.return_count += 1
        payload["department"] = lead.department.code
        payload["return_count"] = case.return_count

    return case_transition(
        submission_id=submission_id,
        action=Action.RETURN,
        actor=actor,
        as_department=as_department,
        reason=text,
        payload=payload,
        expected_version=expected_version,
        apply=apply,
        now=now,
    )


def _pending(case: Submission) -> ReturnRecord:
    record = (
        ReturnRecord.objects.select_for_update()
        .filter(submission=case, decision=Decision.PENDING)
        .select_related("assignment", "department")
        .first()
    )
    if record is None:
        raise NotFound(_("There is no return waiting for a decision."))
    return record


def return_accept(
    *,
    submission_id: int,
    actor,
    department_id: int,
    co_department_ids: list[int] | None = None,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Accept the return and re-dispatch to another department, recording from where to where and why."""

    now = now or timezone.now()
    reason = require_text(reason, _("Say why the case goes to this department."))
    lead, co = _departments(department_id, co_department_ids)

    def accept(case: Submission, payload: dict) -> None:
        record = _pending(case)
        if record.department_id == lead.pk:
            raise TransitionNotAllowed(_("Choose another department than the one that returned the case."))
        ReturnRecord.objects.filter(pk=record.pk).update(
            decision=Decision.APPROVED, decided_by=actor, decided_at=now, decision_note=reason, redispatched_to=lead
        )
        payload["from"] = record.department.code
        # The returning department stays responsible (ended_at empty) until the new one signs for it.

    return dispatch_to(
        submission_id=submission_id,
        action=Action.DISPATCH,
        actor=actor,
        lead=lead,
        co=co,
        reason=reason,
        payload={"return_accepted": True},
        expected_version=expected_version,
        now=now,
        before=accept,
    )


def return_reject(
    *,
    submission_id: int,
    actor,
    note: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Reject the return: the case goes back to the department in the state it left, its clock still running."""
    now = now or timezone.now()
    note = require_text(note, _("Say why the return is rejected."))
    with transaction.atomic():
        case = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if case is None:
            raise NotFound(_("The case does not exist."))
        if case.status != Status.RETURNED:
            raise TransitionNotAllowed(
                _("This action is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
            )
        record = _pending(case)
        back_to = record.from_status if record.from_status in (Status.ASSIGNED, Status.IN_PROGRESS) else Status.ASSIGNED

        def apply(locked: Submission) -> None:
            ReturnRecord.objects.filter(pk=record.pk).update(
                decision=Decision.REJECTED, decided_by=actor, decided_at=now, decision_note=note
            )
            back = AssignmentStatus.SIGNED_FOR if back_to == Status.IN_PROGRESS else AssignmentStatus.ASSIGNED
            Assignment.objects.filter(pk=record.assignment_id).update(status=back)
            if back_to == Status.ASSIGNED:
                # The sign-for clock kept running: reopen it with its original due time.
                last = (
                    Deadline.objects.filter(submission=locked, step=Step.SIGN_FOR, is_open=False)
                    .order_by("-completed_at", "-id")
                    .first()
                )
                if (
                    last is not None
                    and not Deadline.objects.filter(submission=locked, step=Step.SIGN_FOR, is_open=True).exists()
                ):
                    Deadline.objects.filter(pk=last.pk).update(is_open=True, completed_at=None)

        return case_transition(
            submission_id=submission_id,
            action=Action.REJECT_RETURN,
            actor=actor,
            reason=note,
            to_status=back_to,
            payload={"department": record.department.code},
            expected_version=expected_version,
            apply=apply,
            now=now,
        )
