"""The department's actions on a case: sign for, ask for material, note, reply, co-handling, escalation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common import (
    is_lead_staff,
    live_lead,
    locked_case,
    require_lead_staff,
    require_text,
)
from casework.extensions import extension_requests_withdraw
from casework.models import Assignment, AssignmentRole, AssignmentStatus
from casework.selectors import may_see_contact, sees_all_cases
from city.models import Department
from feedback.models import CaseEvent, Disposition, EventKind, MaterialRequest, Reply, Status, Submission
from feedback.services import attachment_add
from feedback.workflow import Action, case_transition, event_record
from portal.errors import PermissionDenied, TransitionNotAllowed


def assignment_create(*, submission: Submission, department: Department, role: str, at: datetime, by=None):
    """Give the case to a department. A new lead replaces the live one."""
    if role == AssignmentRole.LEAD:
        Assignment.objects.filter(
            submission=submission,
            role=AssignmentRole.LEAD,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR],
        ).update(status=AssignmentStatus.CANCELLED, ended_at=at)
        submission.lead_department = department
    return Assignment.objects.create(
        submission=submission, department=department, role=role, assigned_at=at, assigned_by=by
    )


def assignment_sign_for(
    *,
    submission_id: int,
    actor=None,
    as_department: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """The lead department signs for (签收) the case: assigned → in progress.

    Exactly one of two concurrent sign-fors succeeds; the other gets
    ``TransitionNotAllowed`` (or ``CaseChanged`` with ``expected_version``).
    Signing for ends the responsibility of a department that returned the case.
    """
    now = now or timezone.now()

    def apply(case: Submission) -> None:
        lead = live_lead(case)
        if lead is not None:
            Assignment.objects.filter(pk=lead.pk).update(
                status=AssignmentStatus.SIGNED_FOR,
                signed_for_at=now,
                signed_for_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        # 首接负责: a department that returned the case is released only now.
        Assignment.objects.filter(submission=case, status=AssignmentStatus.RETURNED, ended_at__isnull=True).update(
            ended_at=now
        )

    return case_transition(
        submission_id=submission_id,
        action=Action.SIGN_FOR,
        actor=actor,
        as_department=as_department,
        expected_version=expected_version,
        apply=apply,
        now=now,
    )


def case_request_material(
    *,
    submission_id: int,
    actor=None,
    question: str,
    as_department: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Ask the citizen for more material; the deadline clock pauses until they answer."""
    now = now or timezone.now()
    question = require_text(question, _("Say what material you need."))

    def apply(case: Submission) -> None:
        MaterialRequest.objects.create(
            submission=case,
            asked_by=actor if getattr(actor, "is_authenticated", False) else None,
            question=question,
            asked_at=now,
        )

    return case_transition(
        submission_id=submission_id,
        action=Action.REQUEST_MATERIAL,
        actor=actor,
        as_department=as_department,
        reason=question,
        expected_version=expected_version,
        apply=apply,
        now=now,
    )


def material_provide(*, submission_id: int, answer: str, now: datetime | None = None) -> Submission:
    """The citizen answers the open material request; the clock runs again."""
    now = now or timezone.now()
    answer = require_text(answer, _("Please write your answer."))

    def apply(case: Submission) -> None:
        request = case.material_requests.filter(answered_at__isnull=True).order_by("-asked_at").first()
        if request is not None:
            request.answer = answer
            request.answered_at = now
            request.save(update_fields=["answer", "answered_at"])

    return case_transition(
        submission_id=submission_id, action=Action.PROVIDE_MATERIAL, as_citizen=True, apply=apply, now=now
    )


def co_opinions_gap(case: Submission, now: datetime) -> tuple[list[str], list[str]]:
    """(co-handlers still owing an opinion whose deadline has not passed, those whose deadline passed)."""
    waiting, lapsed = [], []
    for co in case.assignments.filter(
        role=AssignmentRole.CO, status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR]
    ).select_related("department"):
        if co.due_at is not None and co.due_at <= now:
            lapsed.append(co.department.code)
        else:
            waiting.append(co.department.code)
    return waiting, lapsed


def case_reply(
    *,
    submission_id: int,
    actor=None,
    disposition: str,
    text: str,
    uploads: list | None = None,
    as_department: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """The lead department answers the citizen (答复) with a disposition, and files checked by the form.

    Refused while a co-handler still owes its opinion within its deadline; a
    co-handler whose deadline passed is recorded as a gap in the event.
    """
    now = now or timezone.now()
    if disposition not in Disposition.values:
        raise TransitionNotAllowed(_("Choose a disposition."))
    text = require_text(text, _("Write the reply the citizen will read."))
    if disposition in (Disposition.UNRESOLVABLE, Disposition.REFERRED) and len(text) < 10:
        raise TransitionNotAllowed(_("Explain why, and where the citizen can turn."))
    # ``apply`` runs under the row lock before the event is written, so the
    # gap it finds lands in the reply's own event payload.
    payload: dict[str, Any] = {"disposition": disposition}

    def apply(case: Submission) -> None:
        waiting, lapsed = co_opinions_gap(case, now)
        if waiting:
            raise TransitionNotAllowed(
                _("Co-handling departments have not given their opinion yet: %(departments)s.")
                % {"departments": ", ".join(waiting)}
            )
        if lapsed:
            payload["missing_opinions"] = lapsed
        withdrawn = extension_requests_withdraw(case=case, at=now, why=_("The case was replied before a decision."))
        if withdrawn:
            payload["extensions_withdrawn"] = withdrawn
        reply = Reply.objects.create(
            submission=case,
            department_id=as_department or case.lead_department_id,  # type: ignore[misc]  # set once assigned
            author=actor if getattr(actor, "is_authenticated", False) else None,
            disposition=disposition,
            text=text,
            created_at=now,
        )
        for upload in uploads or []:
            attachment_add(submission=case, upload=upload, by_citizen=False, reply=reply)
        if uploads:
            payload["files"] = len(uploads)
        case.replied_at = now

    return case_transition(
        submission_id=submission_id,
        action=Action.REPLY,
        actor=actor,
        as_department=as_department,
        payload=payload,
        reason=text,
        expected_version=expected_version,
        apply=apply,
        now=now,
    )


def case_note(*, submission_id: int, actor, text: str, now: datetime | None = None):
    """An internal note on the case, seen by staff only."""

    now = now or timezone.now()
    text = require_text(text, _("The note is empty."))
    with transaction.atomic():
        case = locked_case(submission_id)
        mine = case.assignments.filter(department_id__in=actor.department_ids()).exists()
        if not (mine or sees_all_cases(actor)):
            raise PermissionDenied(_("You are not allowed to do this on this case."))
        return event_record(case=case, kind=EventKind.NOTE, action=Action.NOTE, actor=actor, reason=text, at=now)


def _my_co_assignment(case: Submission, actor, assignment_id: int | None, department_id: int | None):
    departments = {department_id} if department_id else actor.department_ids()
    qs = Assignment.objects.select_for_update().filter(
        submission=case, role=AssignmentRole.CO, department_id__in=departments
    )
    if assignment_id is not None:
        qs = qs.filter(pk=assignment_id)
    co = qs.exclude(status=AssignmentStatus.CANCELLED).first()
    if co is None:
        raise PermissionDenied(_("Your department is not co-handling this case."))
    return co


def _co_step(
    *,
    submission_id: int,
    actor,
    assignment_id: int | None,
    action: Action,
    from_statuses: list[str],
    changes: dict,
    already: str,
    reason: str = "",
    now: datetime,
    refuse_closed: bool = False,
) -> Assignment:
    """Move the actor's co-handling assignment on by one conditional UPDATE and record ``action``."""
    with transaction.atomic():
        case = locked_case(submission_id)
        if refuse_closed and case.status == Status.CLOSED:
            raise TransitionNotAllowed(_("The case is closed."))
        co = _my_co_assignment(case, actor, assignment_id, None)
        fields = {k: (v(co) if callable(v) else v) for k, v in changes.items()}
        if Assignment.objects.filter(pk=co.pk, status__in=from_statuses).update(**fields) != 1:
            raise TransitionNotAllowed(already)
        event_record(
            case=case,
            kind=EventKind.OPINION,
            action=action,
            actor=actor,
            reason=reason,
            payload={"department": co.department.code},
            at=now,
        )
        co.refresh_from_db()
        return co


def cohandling_sign_for(
    *, submission_id: int, actor=None, assignment_id: int | None = None, now: datetime | None = None
) -> Assignment:
    """A co-handling department signs for its sub-assignment."""
    now = now or timezone.now()
    return _co_step(
        submission_id=submission_id,
        actor=actor,
        assignment_id=assignment_id,
        action=Action.CO_SIGN_FOR,
        from_statuses=[AssignmentStatus.ASSIGNED],
        changes={"status": AssignmentStatus.SIGNED_FOR, "signed_for_at": now, "signed_for_by": actor},
        already=_("Your department has already signed for this case."),
        now=now,
    )


def cohandling_opinion(
    *, submission_id: int, actor=None, text: str, assignment_id: int | None = None, now: datetime | None = None
) -> Assignment:
    """A co-handling department gives its opinion (协办意见); the lead sees it on the case."""
    now = now or timezone.now()
    text = require_text(text, _("Write your department's opinion."))
    return _co_step(
        submission_id=submission_id,
        actor=actor,
        assignment_id=assignment_id,
        action=Action.CO_OPINION,
        from_statuses=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR],
        changes={
            "status": AssignmentStatus.OPINION_GIVEN,
            "opinion": text,
            "opinion_at": now,
            # Giving an opinion without signing first signs for it too.
            "signed_for_at": lambda co: co.signed_for_at or now,
            "signed_for_by": lambda co: co.signed_for_by or actor,
        },
        already=_("Your department has already given its opinion."),
        reason=text,
        now=now,
        refuse_closed=True,
    )


def case_escalate_manual(
    *, submission_id: int, actor, instructions: str, due_at: datetime, now: datetime | None = None
):
    """A supervisor escalates a case by hand (督办) with instructions and a deadline."""
    now = now or timezone.now()
    if actor is None or not actor.is_authenticated or not actor.is_supervisor:
        raise PermissionDenied(_("Only supervisors can escalate a case."))
    instructions = require_text(instructions, _("Write the instructions for the department."))
    if due_at is None or due_at <= now:
        raise TransitionNotAllowed(_("The deadline must be in the future."))
    with transaction.atomic():
        case = locked_case(submission_id)
        if case.status == Status.CLOSED:
            raise TransitionNotAllowed(_("The case is closed."))
        return event_record(
            case=case,
            kind=EventKind.ESCALATION,
            action=Action.ESCALATE_MANUAL,
            actor=actor,
            reason=instructions,
            payload={"due_at": due_at.isoformat(), "department": getattr(case.lead_department, "code", "")},
            at=now,
        )


def contact_view_record(*, submission_id: int, actor, now: datetime | None = None):
    """Record that ``actor`` looked at the citizen's contact details. Refused to anyone else."""

    now = now or timezone.now()
    with transaction.atomic():
        case = locked_case(submission_id)
        if not may_see_contact(actor, case):
            raise PermissionDenied(_("You are not allowed to see the citizen's contact details."))

        # No notification: this is an audit record only.
        return CaseEvent.objects.create(
            submission=case,
            kind=EventKind.CONTACT_VIEWED,
            action=Action.CONTACT_VIEWED,
            actor=actor,
            actor_label=actor.username,
            from_status=case.status,
            to_status=case.status,
            created_at=now,
        )


__all__ = [
    "assignment_sign_for",
    "case_request_material",
    "material_provide",
    "case_reply",
    "case_note",
    "cohandling_sign_for",
    "cohandling_opinion",
    "case_escalate_manual",
    "contact_view_record",
    "is_lead_staff",
    "require_lead_staff",
]
