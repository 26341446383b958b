"""The overdue dashboard: open deadlines, hours late in working or clock time, escalation levels, case lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from city.calendar import WorkCalendar
from city.models import Department
from deadlines.models import Deadline, Step
from feedback.models import CaseEvent, EventKind


def near_window() -> timedelta:
    return timedelta(hours=int(getattr(settings, "OVERSIGHT_NEAR_HOURS", 24)))


def public_criticism_level() -> int:
    return int(getattr(settings, "OVERSIGHT_PUBLIC_CRITICISM_LEVEL", 4))


def _escalation_model():
    try:
        return apps.get_model("deadlines", "Escalation")
    except LookupError:
        return None


def escalation_level_subquery(ref: str = "pk"):
    """Highest escalation level of the case at ``OuterRef(ref)`` (None when never escalated).

    Reads ``deadlines.Escalation`` when it exists, else escalation ``CaseEvent`` rows
    with ``payload = {"level": n, ...}``.
    """
    model = _escalation_model()
    if model is not None:
        qs = model.objects.filter(submission_id=OuterRef(ref)).order_by("-level").values("level")[:1]
        return Subquery(qs, output_field=IntegerField())
    qs = (
        CaseEvent.objects.filter(submission_id=OuterRef(ref), kind=EventKind.ESCALATION)
        .annotate(level=Cast(KeyTextTransform("level", "payload"), IntegerField()))
        .order_by("-level")
        .values("level")[:1]
    )
    return Subquery(qs, output_field=IntegerField())


def work_calendar():
    """The working-time calendar (``city.calendar.WorkCalendar``)."""
    return WorkCalendar()


def hours_late(due_at: datetime, now: datetime, calendar, *, in_working_time: bool = True) -> tuple[float, bool]:
    """Signed hours from ``due_at`` to ``now`` (negative: time left) and whether they are working hours.

    A deadline set in clock hours (urgent cases) is late in clock hours, nights and Sundays included.
    """
    used = calendar if in_working_time else None
    if due_at <= now:
        return working_hours_between(due_at, now, used)
    hours, working = working_hours_between(now, due_at, used)
    return -hours, working


def working_hours_between(start: datetime, end: datetime, calendar=None) -> tuple[float, bool]:
    """Hours between two instants: working time when a calendar is given, else wall-clock.

    Returns ``(hours, is_working_time)`` so pages can label the figure honestly.
    """
    if calendar is None:
        return (end - start).total_seconds() / 3600, False
    return calendar.working_seconds_between(start, end) / 3600, True


def open_deadlines(*, case_q: Q, now: datetime, departments=None):
    """Open, running deadlines that are overdue or due within the near window."""
    qs = Deadline.objects.filter(case_q, is_open=True, paused_at__isnull=True, due_at__lt=now + near_window())
    return qs if departments is None else qs.filter(department_id__in=departments)


def overdue_summary(*, case_q: Q, now: datetime, departments=None, names: dict | None = None) -> list[dict]:
    """Per department: overdue and near counts per step, ranked by overdue count (one query).

    ``names``: the departments by id, when the caller has them already (else a second query).
    """
    rows = (
        open_deadlines(case_q=case_q, now=now, departments=departments)
        .values("department_id", "step")
        .annotate(overdue=Count("id", filter=Q(due_at__lt=now)), near=Count("id", filter=Q(due_at__gte=now)))
    )
    names = names if names is not None else Department.objects.in_bulk()
    by_dept: dict = {}
    for row in rows:
        entry = by_dept.setdefault(
            row["department_id"],
            {"department": names.get(row["department_id"]), "overdue": 0, "near": 0, "steps": {}},
        )
        entry["overdue"] += row["overdue"]
        entry["near"] += row["near"]
        entry["steps"][row["step"]] = {"overdue": row["overdue"], "near": row["near"]}
    return sorted(by_dept.values(), key=lambda e: (-e["overdue"], -e["near"]))


def overdue_cases(
    *,
    case_q: Q,
    now: datetime,
    departments=None,
    department_id: int | None = None,
    step: str = "",
    state: str = "",
    with_levels: bool = False,
):
    """Open deadlines, oldest due first, with their case and department.

    ``with_levels`` annotates the escalation level per row (for the export); pages
    call ``attach_escalation_levels`` on the rows they show instead.
    """
    qs = open_deadlines(case_q=case_q, now=now, departments=departments)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if step in Step.values:
        qs = qs.filter(step=step)
    if state == "overdue":
        qs = qs.filter(due_at__lt=now)
    elif state == "near":
        qs = qs.filter(due_at__gte=now)
    qs = qs.select_related("submission", "submission__category", "submission__district", "department")
    if with_levels:
        qs = qs.annotate(escalation_level=escalation_level_subquery("submission_id"))
    return qs.order_by("due_at", "id")


def attach_escalation_levels(deadlines) -> list:
    """Set ``escalation_level`` on each deadline of a page in one query."""
    deadlines = list(deadlines)
    ids = {d.submission_id for d in deadlines}
    levels: dict = {}
    if ids:
        model = _escalation_model()
        if model is not None:
            rows = model.objects.filter(submission_id__in=ids).values_list("submission_id", "level")
        else:
            rows = (
                CaseEvent.objects.filter(submission_id__in=ids, kind=EventKind.ESCALATION)
                .annotate(level=Cast(KeyTextTransform("level", "payload"), IntegerField()))
                .values_list("submission_id", "level")
            )
        for submission_id, level in rows:
            levels[submission_id] = max(levels.get(submission_id) or 0, level or 0)
    for d in deadlines:
        d.escalation_level = levels.get(d.submission_id)
    return deadlines


@dataclass
class CaseLine:
    deadline: Deadline
    hours_overdue: float
    is_working_time: bool
    # From the due instant, not the hours: a case that fell due on a Sunday is overdue with 0 working hours.
    is_overdue: bool


def case_lines(deadlines, now: datetime) -> list[CaseLine]:
    """Rows of a page with the time overdue (negative: time left), in working time when the calendar exists."""
    lines = []
    calendar = work_calendar()  # one per page: it loads each calendar year once
    for d in attach_escalation_levels(deadlines):
        hours, working = hours_late(d.due_at, now, calendar, in_working_time=d.in_working_time)
        lines.append(CaseLine(d, hours, working, is_overdue=d.due_at <= now))
    return lines
