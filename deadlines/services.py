"""Deadlines follow the case through its transitions.

``follow_event`` runs inside every case event's transaction (registered
with ``feedback.workflow.on_event`` by ``routing.apps``) and does what the
action table's ``deadline`` effect says. Durations come from the ``DeadlinePolicy`` of the case's category
and priority (built-in defaults when none is configured); the working-time
calendar (``city.calendar``) decides where a duration ends. Every deadline
is stored as an instant with a short trace of how it was computed, and carries
the state the escalation sweep needs (``next_level``, ``next_check_at``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from city.calendar import WorkCalendar, work_hours_label, working_day_seconds
from city.models import Category, Priority
from deadlines.models import Deadline, DeadlinePolicy, DurationUnit, Step
from feedback.models import CaseEvent, Submission
from feedback.workflow import ACTION_TABLE, Action, DeadlineEffect
from portal.errors import DomainError, TransitionNotAllowed

# Used when no policy row matches (and to seed the policy table).
DEFAULT_POLICIES: dict[str, dict] = {
    Priority.URGENT: {
        "sign_for_amount": 2,
        "sign_for_unit": DurationUnit.HOURS,
        "reply_amount": 24,
        "reply_unit": DurationUnit.HOURS,
        "escalation_period_hours": 4,
    },
    Priority.NORMAL: {
        "sign_for_amount": 1,
        "sign_for_unit": DurationUnit.WORKING_DAYS,
        "reply_amount": 5,
        "reply_unit": DurationUnit.WORKING_DAYS,
        "escalation_period_hours": 24,
    },
    Priority.COMPLEX: {
        "sign_for_amount": 1,
        "sign_for_unit": DurationUnit.WORKING_DAYS,
        "reply_amount": 15,
        "reply_unit": DurationUnit.WORKING_DAYS,
        "escalation_period_hours": 24,
    },
}
# Stored on the policy (data, shown as written): the demo city works in Chinese.
DEFAULT_INSTRUCTIONS = (
    "请于1个工作日内向督办部门书面报告办理进展。(Report progress to the supervision office within one working day.)"
)
LADDER_STEPS = (Step.SIGN_FOR, Step.REPLY)


def policy_defaults_seed() -> int:
    """Create the default (category-less) policies that do not exist yet. Idempotent."""
    created = 0
    for priority, values in DEFAULT_POLICIES.items():
        _policy, was_created = DeadlinePolicy.objects.get_or_create(
            category=None,
            priority=priority,
            defaults={**values, "rating_days": 7, "warn_percent": 75, "supervision_instructions": DEFAULT_INSTRUCTIONS},
        )
        created += was_created
    return created


def policy_for(submission: Submission) -> DeadlinePolicy:
    """The policy of the nearest category (walking up the tree), else the default, else built-in."""
    priority = submission.priority if submission.priority in Priority.values else Priority.NORMAL
    chain: list[int] = []
    category_id = submission.category_id
    while category_id is not None and category_id not in chain and len(chain) < 10:
        chain.append(category_id)
        category_id = Category.objects.filter(pk=category_id).values_list("parent_id", flat=True).first()
    candidates = {
        p.category_id: p
        for p in DeadlinePolicy.objects.filter(priority=priority).filter(
            Q(category_id__in=chain) | Q(category__isnull=True)
        )
    }
    for category_id in [*chain, None]:
        if category_id in candidates:
            return candidates[category_id]
    return DeadlinePolicy(
        priority=priority,
        rating_days=7,
        warn_percent=75,
        supervision_instructions=DEFAULT_INSTRUCTIONS,
        **DEFAULT_POLICIES[priority],
    )


@dataclass
class Computed:
    due_at: datetime
    warn_at: datetime | None
    in_working_time: bool
    is_provisional: bool
    trace: str


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def compute_due(
    *,
    start: datetime,
    amount: int,
    unit: str,
    warn_percent: int | None = None,
    warn_hours_before: int | None = None,
    calendar: WorkCalendar | None = None,
) -> Computed:
    """Where ``amount`` ``unit`` after ``start`` ends, and when to warn."""
    calendar = calendar or WorkCalendar()
    if unit in (DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS):
        seconds = amount * (working_day_seconds() if unit == DurationUnit.WORKING_DAYS else 3600)
        due_at = calendar.add_working(start, seconds)
        warn_at = calendar.add_working(start, seconds * warn_percent / 100) if warn_percent else None
        span = f"{amount} {unit.replace('_', ' ')} = {seconds / 3600:g} h of working time ({work_hours_label()})"
        in_working_time = True
    else:
        length = timedelta(hours=amount) if unit == DurationUnit.HOURS else timedelta(days=amount)
        due_at = start + length
        warn_at = start + length * warn_percent / 100 if warn_percent else None
        span = f"{amount} {unit} of clock time"
        in_working_time = False
    if warn_hours_before:
        warn_at = max(start, due_at - timedelta(hours=warn_hours_before))
    parts = [f"{span} from {_local(start)} → due {_local(due_at)} ({settings.TIME_ZONE})"]
    if calendar.skipped:
        parts.append(f"skipped {calendar.describe_skipped()}")
    if calendar.swapped:
        parts.append(f"worked {calendar.describe_swapped()} (调休)")
    if calendar.provisional_years:
        years = ", ".join(str(y) for y in sorted(calendar.provisional_years))
        parts.append(f"PROVISIONAL: no official calendar for {years}")
    return Computed(due_at, warn_at, in_working_time, bool(calendar.provisional_years), "; ".join(parts))


def policy_due(submission: Submission, step: str, start: datetime) -> tuple[datetime, str]:
    """Kept for callers of the first version: the due instant and its trace."""
    computed, _policy = _compute_for_step(submission, step, start)
    return computed.due_at, computed.trace


def _compute_for_step(submission: Submission, step: str, start: datetime) -> tuple[Computed, DeadlinePolicy]:
    policy = policy_for(submission)
    if step == Step.RATING:
        computed = compute_due(start=start, amount=policy.rating_days, unit=DurationUnit.DAYS)
    else:
        prefix = "sign_for" if step == Step.SIGN_FOR else "reply"
        computed = compute_due(
            start=start,
            amount=getattr(policy, f"{prefix}_amount"),
            unit=getattr(policy, f"{prefix}_unit"),
            warn_percent=policy.warn_percent,
            warn_hours_before=policy.warn_hours_before,
        )
    where = f"policy #{policy.pk} {policy}" if policy.pk else f"built-in default {policy.priority}"
    computed.trace = f"{step} · {where}: {computed.trace}"
    return computed, policy


def _ladder_start(deadline: Deadline) -> None:
    """Point the sweep at the first ladder level still ahead."""
    if deadline.step not in LADDER_STEPS:
        deadline.next_level, deadline.next_check_at = 0, None
    elif deadline.warn_at is not None and deadline.warn_at < deadline.due_at:
        deadline.next_level, deadline.next_check_at = 0, deadline.warn_at
    else:
        deadline.next_level, deadline.next_check_at = 1, deadline.due_at


def deadline_start(submission: Submission, step: str, at: datetime) -> Deadline:
    deadline_close(submission, step, at)
    computed, policy = _compute_for_step(submission, step, at)
    deadline = Deadline(
        submission=submission,
        step=step,
        department=submission.lead_department,
        policy=policy if policy.pk else None,
        started_at=at,
        due_at=computed.due_at,
        warn_at=computed.warn_at,
        in_working_time=computed.in_working_time,
        is_provisional=computed.is_provisional,
        trace=computed.trace,
        escalation_period=timedelta(hours=policy.escalation_period_hours),
        max_level=policy.escalation_levels,
    )
    _ladder_start(deadline)
    deadline.save()
    return deadline


def deadline_close(submission: Submission, step: str, at: datetime) -> None:
    Deadline.objects.filter(submission=submission, step=step, is_open=True).update(
        is_open=False, completed_at=at, next_check_at=None
    )


def deadline_pause(submission: Submission, at: datetime) -> None:
    """Stop the clocks of the case (waiting for the citizen). The sweep skips paused deadlines."""
    Deadline.objects.filter(submission=submission, is_open=True, paused_at__isnull=True).update(paused_at=at)


def _open_pause_seconds(submission: Submission, at: datetime, calendar: WorkCalendar) -> int:
    """Working time since the case's clocks were paused, when they are paused now."""
    paused = Deadline.objects.filter(submission=submission, is_open=True, paused_at__isnull=False).aggregate(
        at=Min("paused_at")
    )["at"]
    return calendar.working_seconds_between(paused, at) if paused else 0


def waiting_record(submission: Submission, at: datetime) -> int:
    """Add the wait for the citizen's material that ends at ``at`` to the case; returns its working seconds."""
    seconds = _open_pause_seconds(submission, at, WorkCalendar())
    if seconds:
        Submission.objects.filter(pk=submission.pk).update(waiting_seconds=F("waiting_seconds") + seconds)
        submission.waiting_seconds += seconds
    return seconds


def handling_time(calendar: WorkCalendar, created_at: datetime, replied_at: datetime, waiting_seconds: int) -> int:
    """Handling time in working seconds: submission to reply, less the time spent waiting for the citizen."""
    return max(0, calendar.working_seconds_between(created_at, replied_at) - waiting_seconds)


def handling_record(submission: Submission, at: datetime) -> int:
    """Store the case's handling time as of its reply at ``at`` (the latest reply counts after a reopen)."""
    calendar = WorkCalendar()
    waited = submission.waiting_seconds + _open_pause_seconds(submission, at, calendar)
    seconds = handling_time(calendar, submission.created_at, at, waited)
    Submission.objects.filter(pk=submission.pk).update(handling_seconds=seconds)
    submission.handling_seconds = seconds
    return seconds


def _shift(calendar: WorkCalendar, deadline: Deadline, moment: datetime, at: datetime) -> datetime:
    """Where ``moment`` lands when the time left at the pause restarts at ``at`` (a running clock does not move)."""
    paused_at = deadline.paused_at
    if paused_at is None:
        return moment
    if deadline.in_working_time:
        return calendar.add_working(at, calendar.working_seconds_between(paused_at, moment))
    return at + max(timedelta(0), moment - paused_at)


def deadline_resume(submission: Submission, at: datetime) -> None:
    """Restart paused clocks: the time that was left at the pause counts again from ``at``."""
    for deadline in Deadline.objects.filter(submission=submission, is_open=True, paused_at__isnull=False):
        calendar = WorkCalendar()
        old_due = deadline.due_at
        deadline.due_at = _shift(calendar, deadline, old_due, at)
        if deadline.next_level == 0 and deadline.warn_at is not None:
            deadline.warn_at = _shift(calendar, deadline, deadline.warn_at, at)
        paused = f"{_local(deadline.paused_at or at)}–{_local(at)}"
        deadline.trace += f"; paused {paused} → due {_local(deadline.due_at)} (was {_local(old_due)})"
        deadline.is_provisional = deadline.is_provisional or bool(calendar.provisional_years)
        deadline.paused_at = None
        _ladder_resume(deadline)
        deadline.save()


def _ladder_resume(deadline: Deadline) -> None:
    if deadline.step not in LADDER_STEPS or deadline.next_level > deadline.max_level:
        deadline.next_check_at = None
    elif deadline.next_level == 0:
        _ladder_start(deadline)
    else:
        period = deadline.escalation_period or timedelta(hours=24)
        deadline.next_check_at = deadline.due_at + period * (deadline.next_level - 1)


def deadline_extend(submission: Submission, step: str, new_due_at: datetime, at: datetime, by=None) -> Deadline:
    """Move an open deadline later after an approved extension.

    The old deadline is closed and a new one takes its place, so the
    escalation ladder starts again for the new date (levels already reached
    stay on record). Raises a ``DomainError`` and changes nothing when there
    is no open deadline for ``step`` or ``new_due_at`` is not later.
    """
    current = Deadline.objects.select_for_update().filter(submission=submission, step=step, is_open=True).first()
    if current is None:
        raise TransitionNotAllowed(_("There is no open deadline for this step."))
    if new_due_at <= current.due_at:
        raise DomainError(_("An extension must move the deadline later."))
    Deadline.objects.filter(pk=current.pk).update(is_open=False, completed_at=at, next_check_at=None)
    who = getattr(by, "username", "") or "system"
    warn_at = None
    if current.warn_at is not None:
        warn_at = max(at, new_due_at - (current.due_at - current.warn_at))
    extended = Deadline(
        submission=submission,
        step=step,
        department=current.department,
        policy=current.policy,
        started_at=current.started_at,
        due_at=new_due_at,
        warn_at=warn_at,
        in_working_time=current.in_working_time,
        paused_at=current.paused_at,
        is_provisional=current.is_provisional,
        trace=f"{current.trace}; extended by {who} at {_local(at)}"
        f" from {_local(current.due_at)} to {_local(new_due_at)}",
        escalation_period=current.escalation_period,
        max_level=current.max_level,
        extended_from=current,
    )
    _ladder_start(extended)
    extended.save()
    return extended


def follow_event(submission: Submission, event: CaseEvent, at: datetime) -> None:
    """Start, stop, pause or resume the case's deadlines as the action table says (a ``workflow.on_event`` hook)."""
    effect = ACTION_TABLE[Action(event.action)].deadline if event.action in Action.values else DeadlineEffect.NONE
    _EFFECTS[effect](submission, at)


def _assigned(submission: Submission, at: datetime) -> None:
    deadline_close(submission, Step.REPLY, at)
    deadline_start(submission, Step.SIGN_FOR, at)


def _signed_for(submission: Submission, at: datetime) -> None:
    deadline_close(submission, Step.SIGN_FOR, at)
    deadline_start(submission, Step.REPLY, at)


def _resume_after_citizen(submission: Submission, at: datetime) -> None:
    # Only the citizen's wait is taken off the handling time.
    waiting_record(submission, at)
    deadline_resume(submission, at)


def _replied(submission: Submission, at: datetime) -> None:
    handling_record(submission, at)
    deadline_close(submission, Step.REPLY, at)
    deadline_start(submission, Step.RATING, at)


def _reopened(submission: Submission, at: datetime) -> None:
    deadline_close(submission, Step.RATING, at)
    deadline_start(submission, Step.REPLY, at)


def _closed(submission: Submission, at: datetime) -> None:
    for step in (Step.SIGN_FOR, Step.REPLY, Step.RATING):
        deadline_close(submission, step, at)


_EFFECTS: dict[DeadlineEffect, Callable[[Submission, datetime], object]] = {
    DeadlineEffect.NONE: lambda submission, at: None,
    DeadlineEffect.ASSIGNED: _assigned,
    DeadlineEffect.SIGNED_FOR: _signed_for,
    DeadlineEffect.PAUSE: deadline_pause,
    DeadlineEffect.RESUME_AFTER_CITIZEN: _resume_after_citizen,
    DeadlineEffect.RESUME: deadline_resume,
    DeadlineEffect.REPLIED: _replied,
    DeadlineEffect.REOPENED: _reopened,
    DeadlineEffect.CLOSED: _closed,
}


def deadlines_shift(submission: Submission, *, by: timedelta | None = None, due_in: timedelta | None = None) -> int:
    """Move the case's open deadlines in time, as if that much time had passed; returns how many moved.

    For trying the closed loop without waiting (``manage.py shift_deadlines``):
    ``by=-48h`` moves every open deadline 48 hours earlier; ``due_in`` moves
    them so the first one falls due that long from now (negative: overdue).
    Start, warning, due time and the sweep's next check move together, so the
    ladder stays where it was and the sweep records what is now due, once.
    """
    deadlines = list(
        Deadline.objects.select_for_update().filter(submission=submission, is_open=True).order_by("due_at")
    )
    if not deadlines:
        return 0
    if due_in is not None:
        by = timezone.now() + due_in - deadlines[0].due_at
    if not by:
        return 0
    for deadline in deadlines:
        deadline.started_at += by
        deadline.due_at += by
        if deadline.warn_at is not None:
            deadline.warn_at += by
        if deadline.next_check_at is not None:
            deadline.next_check_at += by
        deadline.trace += f"; shifted by {by.total_seconds() / 3600:+.2f} h at {_local(timezone.now())}"
        deadline.save(update_fields=["started_at", "due_at", "warn_at", "next_check_at", "trace"])
    return len(deadlines)
