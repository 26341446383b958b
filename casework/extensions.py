"""Extensions (延期): the lead department asks; a supervisor or the department head decides."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common import locked_case, require_lead_staff, require_text
from casework.models import Decision, ExtensionRequest
from casework.selectors import head_department_ids
from deadlines import services as deadlines
from deadlines.models import Deadline, Step
from feedback.models import EventKind, Status
from feedback.workflow import Action, event_record
from portal.errors import NotFound, PermissionDenied, TransitionNotAllowed


def extension_request(
    *, submission_id: int, actor, reason: str, new_due_at: datetime, now: datetime | None = None
) -> ExtensionRequest:
    """Ask for a later reply deadline. Only one request per case may wait for a decision."""
    now = now or timezone.now()
    reason = require_text(reason, _("Say why more time is needed."))
    with transaction.atomic():
        case = locked_case(submission_id)
        require_lead_staff(actor, case)
        if case.status not in (Status.IN_PROGRESS, Status.WAITING_CITIZEN):
            raise TransitionNotAllowed(_("An extension can only be asked for while the case is being handled."))
        deadline = Deadline.objects.filter(submission=case, step=Step.REPLY, is_open=True).first()
        if deadline is None:
            raise TransitionNotAllowed(_("The case has no reply deadline to extend."))
        if new_due_at is None or new_due_at <= deadline.due_at:
            raise TransitionNotAllowed(_("The new date must be later than the current deadline."))
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    submission=case,
                    department_id=case.lead_department_id,
                    step=Step.REPLY,
                    reason=reason,
                    current_due_at=deadline.due_at,
                    requested_due_at=new_due_at,
                    requested_by=actor,
                    requested_at=now,
                )
        except IntegrityError:
            raise TransitionNotAllowed(_("An extension request is already waiting for a decision.")) from None
        event_record(
            case=case,
            kind=EventKind.EXTENSION,
            action=Action.EXTENSION_REQUEST,
            actor=actor,
            reason=reason,
            payload={"extension": request.pk, "requested_due_at": new_due_at.isoformat()},
            at=now,
        )
        return request


def may_decide_extension(user, request: ExtensionRequest) -> bool:

    if not user.is_authenticated:
        return False
    return user.is_supervisor or request.department_id in head_department_ids(user)


def extension_decide(
    *, extension_id: int, actor, approve: bool, note: str = "", now: datetime | None = None
) -> ExtensionRequest:
    """Approve (the deadline moves) or reject a pending request. Decided once: a second decision is refused."""

    now = now or timezone.now()
    with transaction.atomic():
        request = ExtensionRequest.objects.select_related("submission").filter(pk=extension_id).first()
        if request is None:
            raise NotFound(_("There is no such extension request."))
        if not may_decide_extension(actor, request):
            raise PermissionDenied(_("Only a supervisor or the department head can decide."))
        if not approve:
            note = require_text(note, _("Say why the extension is rejected."))
        case = locked_case(request.submission_id)
        if approve:
            _require_same_deadline(case, request)
        decision = Decision.APPROVED if approve else Decision.REJECTED
        changed = ExtensionRequest.objects.filter(pk=request.pk, decision=Decision.PENDING).update(
            decision=decision, decided_by=actor, decided_at=now, decision_note=note
        )
        if changed != 1:
            raise TransitionNotAllowed(_("This request has already been decided."))
        if approve and not deadlines.deadline_extend(case, request.step, request.requested_due_at, now, actor):
            raise TransitionNotAllowed(_("The case has no open deadline any more."))
        event_record(
            case=case,
            kind=EventKind.EXTENSION,
            action=Action.EXTENSION_APPROVED if approve else "extension_rejected",
            actor=actor,
            reason=note,
            payload={"extension": request.pk, "due_at": request.requested_due_at.isoformat()},
            at=now,
        )
        request.refresh_from_db()
        return request


def _require_same_deadline(case, request: ExtensionRequest) -> None:
    """An approval moves only the deadline the request was made for, never one begun after it (a reopen)."""
    open_deadline = Deadline.objects.filter(submission=case, step=request.step, is_open=True).first()
    if (
        case.status not in (Status.IN_PROGRESS, Status.WAITING_CITIZEN)
        or open_deadline is None
        or open_deadline.started_at > request.requested_at
    ):
        raise TransitionNotAllowed(_("The deadline this request was for has ended; it cannot be extended any more."))


def extension_requests_withdraw(*, case, at: datetime, why: str) -> list[int]:
    """Pending requests lapse when the case leaves the step they were for (e.g. it is replied).

    Runs inside the caller's transaction under the case's row lock; returns
    the ids withdrawn, for the caller's event payload.
    """
    pending = ExtensionRequest.objects.filter(submission=case, decision=Decision.PENDING)
    ids = list(pending.values_list("pk", flat=True))
    if ids:
        pending.update(decision=Decision.WITHDRAWN, decided_at=at, decision_note=why)
    return ids
