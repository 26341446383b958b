"""The dispatcher's actions: dispatch from triage, re-dispatch, and closing invalid, duplicate or spam cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common import require_text
from casework.models import AssignmentRole
from casework.services import assignment_create
from city.models import Department
from feedback.models import CloseReason, Submission
from feedback.workflow import Action, case_transition
from portal.errors import NotFound, TransitionNotAllowed

CO_HANDLING_HOURS = 72


def _departments(lead_id: int, co_ids: list[int] | None) -> tuple[Department, list[Department]]:
    lead = Department.objects.filter(pk=lead_id, is_active=True).first()
    if lead is None:
        raise NotFound(_("Choose an active lead department."))
    co_ids = [pk for pk in (co_ids or []) if pk != lead.pk]
    co = list(Department.objects.filter(pk__in=co_ids, is_active=True))
    if len(co) != len(set(co_ids)):
        raise NotFound(_("A co-handling department does not exist or is inactive."))
    return lead, co


def assign_departments(case: Submission, lead: Department, co: list[Department], *, at: datetime, by) -> None:
    """Give the case a lead and co-handlers (each co-handler with its own deadline)."""

    assignment_create(submission=case, department=lead, role=AssignmentRole.LEAD, at=at, by=by)
    for department in co:
        assignment = assignment_create(submission=case, department=department, role=AssignmentRole.CO, at=at, by=by)
        assignment.due_at = at + timedelta(hours=CO_HANDLING_HOURS)
        assignment.save(update_fields=["due_at"])
    case.routed_at = case.routed_at or at


def dispatch_to(
    *,
    submission_id: int,
    action: Action,
    actor,
    lead: Department,
    co: list[Department],
    reason: str,
    payload: dict,
    expected_version: int | None,
    now: datetime,
    before: Callable[[Submission, dict], None] | None = None,
) -> Submission:
    """Give the case to ``lead`` (and ``co``) through ``action``; ``before`` runs first on the locked case.

    The one door for dispatch from triage, transfer (重派) and an accepted return.
    """
    payload = {**payload, "to": lead.code, "co": [d.code for d in co]}

    def apply(case: Submission) -> None:
        if before is not None:
            before(case, payload)
        assign_departments(case, lead, co, at=now, by=actor)

    return case_transition(
        submission_id=submission_id,
        action=action,
        actor=actor,
        reason=reason,
        payload=payload,
        expected_version=expected_version,
        apply=apply,
        now=now,
    )


def case_dispatch(
    *,
    submission_id: int,
    actor,
    department_id: int,
    co_department_ids: list[int] | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Dispatch a case from triage to a lead and co-handlers."""
    lead, co = _departments(department_id, co_department_ids)
    current = Submission.objects.filter(pk=submission_id).values_list("lead_department__code", flat=True).first()
    return dispatch_to(
        submission_id=submission_id,
        action=Action.DISPATCH,
        actor=actor,
        lead=lead,
        co=co,
        reason=reason,
        payload={"from": current or ""},
        expected_version=expected_version,
        now=now or timezone.now(),
    )


def case_redispatch(
    *,
    submission_id: int,
    actor,
    department_id: int,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Transfer a case that is with a department to another one (重派), recording from where, to where and why."""
    reason = require_text(reason, _("Say why the case is transferred."))
    lead, _co = _departments(department_id, [])
    current = Submission.objects.filter(pk=submission_id).values_list("lead_department_id", flat=True).first()
    if current == lead.pk:
        raise TransitionNotAllowed(_("The case is already with this department."))
    from_code = Department.objects.filter(pk=current).values_list("code", flat=True).first() or ""
    return dispatch_to(
        submission_id=submission_id,
        action=Action.REDISPATCH,
        actor=actor,
        lead=lead,
        co=[],
        reason=reason,
        payload={"from": from_code},
        expected_version=expected_version,
        now=now or timezone.now(),
    )


def _close(action: Action, close_reason: str, submission_id: int, actor, reason: str, payload=None, apply_extra=None):
    now = timezone.now()

    def apply(case: Submission) -> None:
        case.close_reason = close_reason
        case.closed_at = now
        if apply_extra:
            apply_extra(case)

    return case_transition(
        submission_id=submission_id,
        action=action,
        actor=actor,
        reason=reason,
        payload=payload or {},
        apply=apply,
        now=now,
    )


def case_mark_invalid(*, submission_id: int, actor, reason: str) -> Submission:
    reason = require_text(reason, _("Say why the case is invalid."))
    return _close(Action.MARK_INVALID, CloseReason.INVALID, submission_id, actor, reason)


def case_mark_spam(*, submission_id: int, actor, reason: str) -> Submission:
    reason = require_text(reason, _("Say why this is spam."))
    return _close(Action.MARK_SPAM, CloseReason.SPAM, submission_id, actor, reason)


def case_mark_duplicate(*, submission_id: int, actor, duplicate_of: str, reason: str = "") -> Submission:
    """Close as a duplicate of another case, given by id or tracking number; the cases are linked."""
    duplicate_of = (duplicate_of or "").strip()
    original = Submission.objects.filter(tracking_number=duplicate_of).first()
    if original is None and duplicate_of.isdigit():
        original = Submission.objects.filter(pk=int(duplicate_of)).first()
    if original is None:
        raise NotFound(_("There is no case with that tracking number."))
    if original.pk == submission_id:
        raise TransitionNotAllowed(_("A case cannot duplicate itself."))
    # Link to the root so all same-incident cases hang off one case.
    root = original.duplicate_of or original

    def link(case: Submission) -> None:
        case.duplicate_of = root

    return _close(
        Action.MARK_DUPLICATE,
        CloseReason.DUPLICATE,
        submission_id,
        actor,
        reason,
        payload={"duplicate_of": root.tracking_number},
        apply_extra=link,
    )
