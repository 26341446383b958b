"""The citizen presses an overdue case (催办) or takes back one sent by mistake (撤回).

Both go through the one vocabulary (``Action.URGE``, ``Action.WITHDRAW`` in
``feedback.workflow``): urging writes a status-keeping event whose ``notify``
column tells the lead department and the supervisors; withdrawing is a
transition to closed, allowed by the table only before a department signed for
the case, and records why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from city.calendar import WorkCalendar
from feedback.models import CaseEvent, CloseReason, EventKind, Status, Submission
from feedback.workflow import ACTION_TABLE, CITIZEN, Action, case_transition, event_record
from portal.errors import NotFound, TransitionNotAllowed

# The department's clocks: a rating window running out is the citizen's own time, not an overdue case.
# (``deadlines.Step.SIGN_FOR`` and ``Step.REPLY``: intake reads deadlines through the case's reverse relation,
# never by importing the app above it; tests/portal/test_layers.py checks the values still agree.)
URGED_STEPS = ("sign_for", "reply")
REASON_MAX_LENGTH = 500
WITHDRAWABLE = ACTION_TABLE[Action.WITHDRAW].transition.sources  # type: ignore[union-attr]


@dataclass(frozen=True)
class UrgeState:
    """What the tracking page says about urging: may the citizen urge now, and if not, why."""

    allowed: bool
    is_overdue: bool
    urged_today: bool
    times_urged: int


def urge_day(now: datetime, calendar: WorkCalendar | None = None) -> date:
    """The working day an urge made at ``now`` counts for: today, or the next working day on a day off."""
    calendar = calendar or WorkCalendar()
    day = timezone.localtime(now, calendar.tz).date()
    for _step in range(40):  # the longest run of days off (Spring Festival with swaps) is far shorter
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def case_is_overdue(submission: Submission, now: datetime) -> bool:
    """A running sign-for or reply deadline of the case has passed."""
    return submission.deadlines.filter(
        step__in=URGED_STEPS, is_open=True, paused_at__isnull=True, due_at__lt=now
    ).exists()


def urge_state(submission: Submission, now: datetime) -> UrgeState:
    urges = list(CaseEvent.objects.filter(submission=submission, action=Action.URGE).values_list("payload", flat=True))
    today = urge_day(now).isoformat()
    urged_today = any((payload or {}).get("working_day") == today for payload in urges)
    overdue = submission.status not in (Status.CLOSED, Status.REPLIED) and case_is_overdue(submission, now)
    return UrgeState(
        allowed=overdue and not urged_today, is_overdue=overdue, urged_today=urged_today, times_urged=len(urges)
    )


def case_urge(*, submission_id: int, reason: str = "", now: datetime | None = None) -> CaseEvent:
    """Record the citizen's urge of an overdue case, at most once per working day.

    The lead department and the supervisors are told (the table's ``notify``);
    nothing else about the case changes. Raises ``TransitionNotAllowed`` with
    a message for the citizen when the case is not overdue, is answered or
    closed, or was already urged on this working day. The case row is locked,
    so two presses at once record one urge.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    with transaction.atomic():
        try:
            case = Submission.objects.select_for_update().get(pk=submission_id)
        except Submission.DoesNotExist:
            raise NotFound(_("The case does not exist.")) from None
        if case.status in (Status.CLOSED, Status.REPLIED):
            raise TransitionNotAllowed(_("This case has been answered: there is nothing to urge."))
        state = urge_state(case, now)
        if not state.is_overdue:
            raise TransitionNotAllowed(_("You can urge a case once its deadline has passed; it is still on time."))
        if state.urged_today:
            raise TransitionNotAllowed(
                _("You already urged this case today. You can urge it again on the next working day.")
            )
        return event_record(
            case=case,
            kind=EventKind.URGE,
            action=Action.URGE,
            actor_label=CITIZEN,
            reason=reason,
            payload={"working_day": urge_day(now).isoformat(), "count": state.times_urged + 1},
            is_public=True,
            at=now,
        )


def case_withdraw(*, submission_id: int, reason: str, now: datetime | None = None) -> Submission:
    """Close the case at the citizen's request, before any department signed for it.

    The close reason is "withdrawn" and the citizen's words are the event's
    reason; the lead department (if any) is told and every clock stops.
    Raises ``TransitionNotAllowed`` without a reason or once the case was signed for.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TransitionNotAllowed(_("Say why you withdraw the case."))
    if len(reason) > REASON_MAX_LENGTH:
        raise TransitionNotAllowed(_("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH})
    now = now or timezone.now()

    def apply(case: Submission) -> None:
        case.close_reason = CloseReason.WITHDRAWN
        case.closed_at = now

    try:
        return case_transition(
            submission_id=submission_id, action=Action.WITHDRAW, as_citizen=True, reason=reason, apply=apply, now=now
        )
    except TransitionNotAllowed:
        status = Submission.objects.filter(pk=submission_id).values_list("status", flat=True).first()
        if status == Status.CLOSED:
            raise TransitionNotAllowed(_("This case is already closed.")) from None
        raise TransitionNotAllowed(
            _("A department has already signed for this case, so it can no longer be withdrawn.")
        ) from None
