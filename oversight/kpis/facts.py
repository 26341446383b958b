"""The facts every KPI counts, per department and day: live queries and the rolled-up days."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Assignment, AssignmentRole, ReturnRecord
from deadlines.models import Deadline, Step
from feedback.models import CaseEvent, Rating, Satisfaction, Submission
from feedback.workflow import Action
from oversight.models import DepartmentDay, RollupState

FACT_FIELDS = [
    "received",
    "assigned",
    "returned",
    "extensions",
    "signfor_done",
    "signfor_in_time",
    "reply_done",
    "reply_in_time",
    "reply_closed_late",
    "reply_last_tenth",
    "rated",
    "resolved",
    "satisfied",
    "answered_directly",
]
LIVE_FIELDS = ["signfor_open_overdue", "reply_open_overdue"]

# (key, label, numerator, denominator parts, formula shown next to the figure)
RATES = [
    (
        "response",
        _("Response rate"),
        "signfor_in_time",
        ("signfor_done", "signfor_open_overdue"),
        _("signed for in time ÷ (sign-for deadlines closed + open and overdue)"),
    ),
    (
        "on_time_reply",
        _("On-time reply rate"),
        "reply_in_time",
        ("reply_done", "reply_closed_late", "reply_open_overdue"),
        _("replied in time ÷ (replied + closed late without reply + open and overdue)"),
    ),
    ("resolution", _("Resolution rate"), "resolved", ("rated",), _("rated “resolved” ÷ rated")),
    (
        "satisfaction",
        _("Satisfaction rate"),
        "satisfied",
        ("rated",),
        _("(satisfied + basically satisfied) ÷ rated"),
    ),
    ("return", _("Return rate"), "returned", ("assigned",), _("returned ÷ assigned")),
    ("extension", _("Extension rate"), "extensions", ("assigned",), _("extension requests ÷ assigned")),
]
RATE_KEYS = [r[0] for r in RATES]
# Lower is better for these.
INVERSE_RATES = {"return", "extension"}


def min_sample() -> int:
    return int(getattr(settings, "OVERSIGHT_KPI_MIN_SAMPLE", 20))


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _keys(by_day: bool, dept_field: str) -> list[str]:
    return ["dept"] + (["day"] if by_day else [])


def _group(qs, dept_field: str, day_field: str, by_day: bool):
    qs = qs.annotate(dept=F(dept_field))
    if by_day:
        qs = qs.annotate(day=TruncDate(day_field, tzinfo=timezone.get_current_timezone()))
    return qs.values(*_keys(by_day, dept_field))


def _event_at_completion(action: Action):
    """True when the deadline was closed by ``action`` (same instant, same case)."""
    return Exists(
        CaseEvent.objects.filter(
            submission_id=OuterRef("submission_id"), action=action, created_at=OuterRef("completed_at")
        )
    )


def fact_queries(start: datetime, end: datetime, *, by_day: bool = False, departments=None) -> list:
    """The querysets whose rows are ``{dept, [day], <fact>: n}`` for facts dated in [start, end)."""
    signfor = Deadline.objects.filter(
        step=Step.SIGN_FOR, is_open=False, completed_at__gte=start, completed_at__lt=end, department__isnull=False
    )
    reply = Deadline.objects.filter(
        step=Step.REPLY, is_open=False, completed_at__gte=start, completed_at__lt=end, department__isnull=False
    )
    signed, replied = _event_at_completion(Action.SIGN_FOR), _event_at_completion(Action.REPLY)
    in_time = Q(completed_at__lte=F("due_at"))
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    assigned = Assignment.objects.filter(role=AssignmentRole.LEAD, assigned_at__gte=start, assigned_at__lt=end)
    # A return (退单) counts against the department that made it, when it made it, whatever triage decides
    # later: the same records as the dashboard's buck-passing table.
    returned = ReturnRecord.objects.filter(requested_at__gte=start, requested_at__lt=end)
    # Extension requests, and questions the hotline answered at intake from the department's knowledge-base
    # article (直接答复): both are events of the case's lead department, counted in one query.
    extensions = CaseEvent.objects.filter(
        action__in=[Action.EXTENSION_REQUEST, Action.ANSWER_DIRECTLY], created_at__gte=start, created_at__lt=end
    )
    received = Submission.objects.filter(created_at__gte=start, created_at__lt=end, lead_department__isnull=False)
    if departments is not None:
        signfor, reply = signfor.filter(department__in=departments), reply.filter(department__in=departments)
        ratings = ratings.filter(reply__department__in=departments)
        assigned, returned = assigned.filter(department__in=departments), returned.filter(department__in=departments)
        extensions = extensions.filter(submission__lead_department__in=departments)
        received = received.filter(lead_department__in=departments)
    return [
        _group(signfor, "department_id", "completed_at", by_day).annotate(
            signfor_done=Count("id"), signfor_in_time=Count("id", filter=Q(signed, in_time))
        ),
        _group(reply, "department_id", "completed_at", by_day).annotate(
            reply_done=Count("id", filter=Q(replied)),
            reply_in_time=Count("id", filter=Q(replied, in_time)),
            reply_closed_late=Count("id", filter=Q(~Q(replied), completed_at__gt=F("due_at"))),
            # Replied in time, but only in the last tenth of the time allowed.
            reply_last_tenth=Count(
                "id", filter=Q(replied, in_time, completed_at__gte=F("due_at") - (F("due_at") - F("started_at")) / 10)
            ),
        ),
        _group(ratings, "reply__department_id", "created_at", by_day).annotate(
            rated=Count("id"),
            resolved=Count("id", filter=Q(is_resolved=True)),
            satisfied=Count("id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        ),
        _group(assigned, "department_id", "assigned_at", by_day).annotate(assigned=Count("id")),
        _group(returned, "department_id", "requested_at", by_day).annotate(returned=Count("id")),
        _group(extensions, "submission__lead_department_id", "created_at", by_day).annotate(
            extensions=Count("id", filter=Q(action=Action.EXTENSION_REQUEST)),
            answered_directly=Count("id", filter=Q(action=Action.ANSWER_DIRECTLY)),
        ),
        _group(received, "lead_department_id", "created_at", by_day).annotate(received=Count("id")),
    ]


def collect_facts(start: datetime, end: datetime, *, by_day: bool = False, departments=None) -> dict:
    """``{(dept, day|None): {fact: n}}`` for facts dated in [start, end); one query per fact family."""
    facts: dict = defaultdict(lambda: dict.fromkeys(FACT_FIELDS, 0))
    if start >= end:
        return facts
    for qs in fact_queries(start, end, by_day=by_day, departments=departments):
        for row in qs:
            key = (row.pop("dept"), row.pop("day", None))
            for name, value in row.items():
                facts[key][name] += value
    return facts


def open_overdue(start: datetime, end: datetime, now: datetime, *, departments=None) -> dict:
    """Open, running deadlines whose due time fell in [start, min(end, now)), by department and step."""
    qs = Deadline.objects.filter(
        is_open=True,
        paused_at__isnull=True,
        step__in=[Step.SIGN_FOR, Step.REPLY],
        due_at__gte=start,
        due_at__lt=min(end, now),
        department__isnull=False,
    )
    if departments is not None:
        qs = qs.filter(department__in=departments)
    result: dict = defaultdict(lambda: dict.fromkeys(LIVE_FIELDS, 0))
    for row in qs.values("department_id", "step").annotate(n=Count("id")):
        result[row["department_id"]][f"{row['step']}_open_overdue".replace("sign_for", "signfor")] += row["n"]
    return result


def rollup_split(first_day: date, last_day: date, now: datetime) -> tuple[date | None, datetime]:
    """Where the rollup ends and live reading begins for local days first_day..last_day.

    Closed days always come from the rollup. Today comes from it too up to the
    instant the last refresh covered (``RollupState.today_until``), and live after.
    Returns ``(last rolled-up day or None, live start)``.
    """

    today = timezone.localdate(now)
    live_from = local_midnight(today)
    if last_day >= today:
        until = RollupState.objects.filter(pk=1).values_list("today_until", flat=True).first()
        if until is not None and until >= live_from and until <= now:
            live_from = until
    rolled_last = min(last_day, today if live_from > local_midnight(today) else today - timedelta(days=1))
    return (rolled_last if rolled_last >= first_day else None), max(live_from, local_midnight(first_day))


def rolled_up_facts(first_day: date, last_day: date, *, departments=None) -> dict:
    """Sum of ``DepartmentDay`` rows for first_day..last_day inclusive, by department."""

    qs = DepartmentDay.objects.filter(day__gte=first_day, day__lte=last_day)
    if departments is not None:
        qs = qs.filter(department__in=departments)
    rows = qs.values("department_id").annotate(**{name: Sum(name) for name in FACT_FIELDS})
    return {row.pop("department_id"): row for row in rows}


def period_facts(first_day: date, last_day: date, *, now: datetime | None = None, departments=None) -> dict:
    """Facts per department for local days first_day..last_day: the rollup, then live after it (see rollup_split)."""
    now = now or timezone.now()
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    rolled_last, live_start = rollup_split(first_day, last_day, now)
    totals: dict = defaultdict(lambda: dict.fromkeys(FACT_FIELDS + LIVE_FIELDS, 0))
    if rolled_last is not None:
        for dept, row in rolled_up_facts(first_day, rolled_last, departments=departments).items():
            for name in FACT_FIELDS:
                totals[dept][name] += row[name] or 0
    for (dept, _day), row in collect_facts(live_start, end, departments=departments).items():
        for name in FACT_FIELDS:
            totals[dept][name] += row[name]
    for dept, row in open_overdue(start, end, now, departments=departments).items():
        for name in LIVE_FIELDS:
            totals[dept][name] += row[name]
    return totals
