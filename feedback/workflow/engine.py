"""The one door through the action table: ``case_transition`` and ``event_record`` write every case event.

Nothing else in the code base writes ``Submission.status``. A caller names an
action; ``case_transition`` locks the row, checks that the action is allowed
from the current status and for this actor, applies the action's own field
changes, writes one append-only ``CaseEvent`` and then runs the reactions
registered by higher apps (``on_event``): deadlines and notifications live in
``deadlines`` and ``feedback.notifications`` and register themselves at start-up,
so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import CaseEvent, EventKind, Submission
from feedback.workflow.vocabulary import (
    ACTION_TABLE,
    CITIZEN,
    DISPATCHER,
    HEAD,
    LEAD_STAFF,
    OPERATOR,
    SUPERVISOR,
    SUPERVISOR_AFTER_BOUNCES,
    SYSTEM,
    TRANSITIONS,
    Action,
    S,
    returns_before_supervisor,
)
from portal.errors import CaseChanged, NotFound, PermissionDenied, TransitionNotAllowed


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
    if getattr(user, "is_operator", False):
        kinds.add(OPERATOR)
    if user.is_supervisor:
        kinds.add(SUPERVISOR)
    if submission.lead_department_id and submission.lead_department_id in user.department_ids():
        kinds.add(LEAD_STAFF)
        if user.is_department_head:
            kinds.add(HEAD)
    return kinds


def allowed_actions(kinds: set[str] | frozenset[str], status: str) -> list[str]:
    """The buttons (slugs of ``BUTTONS``) that an actor holding ``kinds`` sees on a case in ``status``.

    Only for showing forms: the services check again, with the row locked, when they run.
    """
    names = []
    for rule in ACTION_TABLE.values():
        for button in rule.buttons:
            statuses = button.statuses if button.statuses is not None else rule.transition.sources  # type: ignore[union-attr]
            if status in statuses and kinds & button.who:
                names.append(button.name)
    return names


# Reactions to every recorded event, registered by the apps that own them in
# their ``AppConfig.ready``: ``routing`` moves the deadlines (stage 10),
# ``feedback.notifications`` queues who is told (stage 20). They run inside the
# event's transaction, lowest stage first, so a failure rolls the event back.
EventHook = Callable[[Submission, CaseEvent, datetime], None]
_hooks: list[tuple[int, EventHook]] = []


def on_event(hook: EventHook, *, stage: int) -> EventHook:
    """Register ``hook`` to run after every case event is written (registering twice is harmless)."""
    if all(existing is not hook for _stage, existing in _hooks):
        _hooks.append((stage, hook))
        _hooks.sort(key=lambda item: item[0])
    return hook


def event_written(submission: Submission, event: CaseEvent, now: datetime) -> None:
    """Run the registered reactions for an event just written (every writer of events calls this)."""
    for _stage, hook in _hooks:
        hook(submission, event, now)


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
    transition = TRANSITIONS.get(action)  # type: ignore[call-overload]
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
        event_written(submission, event, now)
    return submission


def event_record(
    *,
    case: Submission,
    kind: str,
    action: Action,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
    is_public: bool = False,
    at: datetime,
) -> CaseEvent:
    """Write an append-only event that does not change the status, and run the registered reactions."""
    if action not in ACTION_TABLE or ACTION_TABLE[action].transition is not None:
        raise ValueError(f"{action!r} is not a status-keeping action of the table")
    event = CaseEvent.objects.create(
        submission=case,
        kind=kind,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label or getattr(actor, "username", "") or "",
        from_status=case.status,
        to_status=case.status,
        reason=reason,
        payload=payload or {},
        is_public=is_public,
        created_at=at,
    )
    event_written(case, event, at)
    return event


def _actor_label(actor, as_citizen: bool, as_system: bool, as_department: int | None = None) -> str:
    if as_system:
        return SYSTEM
    if as_citizen:
        return CITIZEN
    if as_department is not None:
        return f"email-link:{as_department}"
    return getattr(actor, "username", "") or ""
