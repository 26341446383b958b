"""The life of a case: one table of allowed transitions and the one door through it.

Nothing else in the code base writes ``Submission.status``. A caller names an
action; ``case_transition`` locks the row, checks that the action is allowed
from the current status and for this actor, applies the action's own field
changes, writes one append-only ``CaseEvent`` and starts or stops deadlines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import CaseEvent, EventKind, Status, Submission
from portal.errors import CaseChanged, NotFound, PermissionDenied, TransitionNotAllowed

# Who may act. ``lead_staff`` is staff or head of the case's lead department;
# ``head`` the head of that department; ``supervisor`` includes administrators.
CITIZEN = "citizen"
SYSTEM = "system"
DISPATCHER = "dispatcher"
LEAD_STAFF = "lead_staff"
HEAD = "head"
SUPERVISOR = "supervisor"

S = Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    targets: frozenset[str]
    actors: frozenset[str]
    public: bool = True
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _t(sources, targets, actors, *, public=True) -> Transition:
    return Transition(frozenset(sources), frozenset(targets), frozenset(actors), public)


# action -> allowed sources, possible targets, who may do it, citizen-visible?
TRANSITIONS: dict[str, Transition] = {
    "route": _t({S.SUBMITTED}, {S.ASSIGNED}, {SYSTEM}),
    "send_to_triage": _t({S.SUBMITTED}, {S.TRIAGE}, {SYSTEM}, public=False),
    "dispatch": _t({S.TRIAGE, S.RETURNED}, {S.ASSIGNED}, {DISPATCHER, SUPERVISOR}),
    "redispatch": _t({S.ASSIGNED, S.IN_PROGRESS}, {S.ASSIGNED}, {DISPATCHER, SUPERVISOR}),
    "sign_for": _t({S.ASSIGNED}, {S.IN_PROGRESS}, {LEAD_STAFF}),
    "request_material": _t({S.IN_PROGRESS}, {S.WAITING_CITIZEN}, {LEAD_STAFF}),
    "provide_material": _t({S.WAITING_CITIZEN}, {S.IN_PROGRESS}, {CITIZEN}),
    "return": _t({S.ASSIGNED, S.IN_PROGRESS}, {S.RETURNED}, {LEAD_STAFF}, public=False),
    # A rejected return goes back to the department, in the state it left.
    "reject_return": _t({S.RETURNED}, {S.ASSIGNED, S.IN_PROGRESS}, {DISPATCHER, SUPERVISOR}, public=False),
    "reply": _t({S.IN_PROGRESS}, {S.REPLIED}, {LEAD_STAFF}),
    "rate": _t({S.REPLIED}, {S.CLOSED}, {CITIZEN, DISPATCHER}),
    "close_not_rated": _t({S.REPLIED}, {S.CLOSED}, {SYSTEM}),
    "reopen": _t({S.REPLIED, S.CLOSED}, {S.IN_PROGRESS}, {CITIZEN, DISPATCHER, SUPERVISOR}),
    "mark_invalid": _t({S.SUBMITTED, S.TRIAGE, S.RETURNED}, {S.CLOSED}, {DISPATCHER, SUPERVISOR}),
    "mark_duplicate": _t({S.SUBMITTED, S.TRIAGE, S.RETURNED}, {S.CLOSED}, {DISPATCHER, SUPERVISOR}),
    "mark_spam": _t({S.SUBMITTED, S.TRIAGE, S.RETURNED}, {S.CLOSED}, {DISPATCHER, SUPERVISOR}, public=False),
    # The head (or a dispatcher) names the handler (承办人) of a signed-for case; the status stays as it is.
    "assign_handler": _t(
        {S.IN_PROGRESS, S.WAITING_CITIZEN}, {S.IN_PROGRESS, S.WAITING_CITIZEN}, {HEAD, DISPATCHER}, public=False
    ),
}


# Deciding a return (accept = dispatch elsewhere, or reject) passes to a
# supervisor once a case has bounced more than this many times.
SUPERVISOR_AFTER_BOUNCES = frozenset({"dispatch", "reject_return"})


def returns_before_supervisor() -> int:
    from django.conf import settings

    return int(settings.MINSHENG.get("RETURNS_BEFORE_SUPERVISOR", 2))


def action_label(action: str) -> str:
    labels = {
        "submit": _("Received"),
        "route": _("Assigned to a department"),
        "send_to_triage": _("Sent to a dispatcher"),
        "dispatch": _("Assigned to a department"),
        "redispatch": _("Transferred to another department"),
        "sign_for": _("Signed for by the department"),
        "request_material": _("More material requested"),
        "provide_material": _("Material provided"),
        "return": _("Returned by the department"),
        "reject_return": _("Return rejected"),
        "reply": _("Replied"),
        "rate": _("Rated"),
        "close_not_rated": _("Closed without a rating"),
        "reopen": _("Reopened"),
        "mark_invalid": _("Closed as invalid"),
        "mark_duplicate": _("Closed as a duplicate"),
        "mark_spam": _("Closed as spam"),
        "assign_handler": _("Handler assigned"),
        "note": _("Internal note"),
        "contact_viewed": _("Contact details viewed"),
        "extension_request": _("Extension requested"),
        "extension_approved": _("Extension approved"),
        "extension_rejected": _("Extension rejected"),
        "co_sign_for": _("Signed for by a co-handling department"),
        "co_opinion": _("Co-handling opinion given"),
        "escalate_manual": _("Escalated by a supervisor"),
        # Written by the deadline sweep (routing.escalation), one per level reached.
        "escalate_warning": _("Deadline warning"),
        "escalate_reminder": _("Overdue: reminder to the department"),
        "escalate_head": _("Overdue: department head told"),
        "escalate_supervision": _("Supervision order issued"),
        "escalate_criticism": _("Publicly criticised"),
        "email_link_used": _("Email link used"),
        "email_delivery_failed": _("Email delivery failed"),
    }
    return labels.get(action, action)


def actor_kinds(
    user, submission: Submission, *, citizen: bool = False, system: bool = False, department_id: int | None = None
) -> set[str]:
    """The roles in which ``user`` may act on ``submission``.

    ``department_id`` is set when an office without accounts acts through a
    signed email link: it acts as lead staff only if it leads the case.
    """
    if system:
        return {SYSTEM}
    if citizen:
        return {CITIZEN}
    if department_id is not None:
        return {LEAD_STAFF} if department_id == submission.lead_department_id else set()
    if user is None or not user.is_authenticated:
        return set()
    kinds: set[str] = set()
    if user.is_dispatcher:
        kinds.add(DISPATCHER)
    if user.is_supervisor:
        kinds.add(SUPERVISOR)
    if submission.lead_department_id and submission.lead_department_id in user.department_ids():
        kinds.add(LEAD_STAFF)
        if user.is_department_head:
            kinds.add(HEAD)
    return kinds


def allowed_actions(user, submission: Submission, *, citizen: bool = False) -> list[str]:
    """Actions this actor could take now (for showing buttons)."""
    kinds = actor_kinds(user, submission, citizen=citizen)
    return [name for name, t in TRANSITIONS.items() if submission.status in t.sources and kinds & t.actors]


def case_transition(
    *,
    submission_id: int,
    action: str,
    actor=None,
    as_citizen: bool = False,
    as_system: bool = False,
    as_department: int | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    to_status: str | None = None,
    expected_version: int | None = None,
    apply: Callable[[Submission], None] | None = None,
    now: datetime | None = None,
) -> Submission:
    """Move a case through ``action``; the only writer of ``Submission.status``.

    Raises ``TransitionNotAllowed`` when the action does not apply to the
    current status, ``PermissionDenied`` when the actor may not take it, and
    ``CaseChanged`` when ``expected_version`` is given and someone else acted
    first. On any error nothing is written.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Unknown action."))
    now = now or timezone.now()
    with transaction.atomic():
        try:
            submission = Submission.objects.select_for_update().get(pk=submission_id)
        except Submission.DoesNotExist:
            raise NotFound(_("The case does not exist.")) from None
        if expected_version is not None and submission.version != expected_version:
            raise CaseChanged(_("The case changed while you were looking at it. Please reload and try again."))
        if submission.status not in transition.sources:
            raise TransitionNotAllowed(
                _("This action is not possible while the case is “%(status)s”.")
                % {"status": submission.get_status_display()}
            )
        kinds = actor_kinds(actor, submission, citizen=as_citizen, system=as_system, department_id=as_department)
        if not kinds & transition.actors:
            raise PermissionDenied(_("You are not allowed to do this on this case."))
        if action in SUPERVISOR_AFTER_BOUNCES and submission.status == S.RETURNED and SUPERVISOR not in kinds:
            if submission.return_count > returns_before_supervisor():
                raise PermissionDenied(_("This case has been returned too often: a supervisor decides."))
        if to_status is None:
            if len(transition.targets) != 1:
                raise TransitionNotAllowed(_("The target status must be given for this action."))
            (to_status,) = transition.targets
        elif to_status not in transition.targets:
            raise TransitionNotAllowed(_("That status cannot be reached by this action."))

        from_status = submission.status
        if apply is not None:
            apply(submission)
        submission.status = to_status
        submission.version += 1
        submission.save()
        event = CaseEvent.objects.create(
            submission=submission,
            kind=EventKind.TRANSITION,
            action=action,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=_actor_label(actor, as_citizen, as_system, as_department),
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            payload=payload or {},
            is_public=transition.public,
            created_at=now,
        )
        _after_transition(submission, event, now)
    return submission


def _actor_label(actor, as_citizen: bool, as_system: bool, as_department: int | None = None) -> str:
    if as_system:
        return SYSTEM
    if as_citizen:
        return CITIZEN
    if as_department is not None:
        return f"email-link:{as_department}"
    return getattr(actor, "username", "") or ""


def _after_transition(submission: Submission, event: CaseEvent, now: datetime) -> None:
    """Deadlines follow the case; notifications leave after commit."""
    from routing import deadlines

    deadlines.on_transition(submission, event.action, now)
    from feedback import notifications

    notifications.enqueue_for_event(event)
