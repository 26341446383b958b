"""Buck-passing: returns with their reasons, bounced cases, extensions, replies in the last tenth of their window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone

from casework.models import ReturnReason, ReturnRecord
from city.models import Department
from deadlines.models import Deadline, Step
from feedback.models import CaseEvent, Submission
from feedback.workflow import Action
from oversight.kpis import local_midnight, rolled_up_facts


def buck_passing(
    *, case_q: Q, first_day: date, last_day: date, now: datetime, departments=None, names: dict | None = None
) -> dict:
    """Returns with reasons, bounced cases, extensions (and last-minute ones), replies in the last tenth.

    Without case filters the last-tenth counts come from the rollup; with them, live. ``names``: the
    departments by id, when the caller has them already.
    """
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    # A return counts against the department that made it, when it made it: the case may since have moved on
    # (and the returning department stays responsible until the next one signs for it).
    returned = ReturnRecord.objects.filter(case_q, requested_at__gte=start, requested_at__lt=end)
    events = CaseEvent.objects.filter(case_q, created_at__gte=start, created_at__lt=end)
    if departments is not None:
        returned = returned.filter(department_id__in=departments)
        events = events.filter(submission__lead_department__in=departments)
    # One query for the returns per department and per reason (a department's returns are the sum of its
    # reasons'); a row per department and reason, so a handful, whatever the number of returns.
    returns: dict = {}
    reasons: dict = {}
    reason_rows = (
        returned.values("department_id", "reason_id", "reason__name_zh", "reason__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "reason_id")
    )
    for row in reason_rows:
        returns[row["department_id"]] = returns.get(row["department_id"], 0) + row["n"]
        reason = (
            ReturnReason(name_zh=row["reason__name_zh"], name_en=row["reason__name_en"]).name
            if row["reason_id"] is not None
            else "—"
        )
        reasons.setdefault(row["department_id"], []).append((reason, row["n"]))
    # Bounced: returned in the period, and more than once in all.
    bounced = list(
        Submission.objects.filter(return_count__gt=1, pk__in=returned.values("submission_id"))
        .select_related("lead_department", "category")
        .order_by("-return_count", "created_at")[:20]
    )
    last10 = _last_tenth(case_q, first_day, last_day, now, departments)
    extension_due = Deadline.objects.filter(
        submission_id=OuterRef("submission_id"), step=Step.REPLY, started_at__lte=OuterRef("created_at")
    ).order_by("-started_at")
    extensions = {}
    ext_rows = (
        events.filter(action=Action.EXTENSION_REQUEST)
        .annotate(
            due=Subquery(extension_due.values("due_at")[:1]),
            started=Subquery(extension_due.values("started_at")[:1]),
        )
        .annotate(
            last_minute_from=ExpressionWrapper(F("due") - (F("due") - F("started")) / 10, output_field=DateTimeField())
        )
        .values("submission__lead_department_id")
        .annotate(n=Count("id"), last_minute=Count("id", filter=Q(created_at__gte=F("last_minute_from"))))
    )
    for row in ext_rows:
        extensions[row["submission__lead_department_id"]] = (row["n"], row["last_minute"])
    names = names if names is not None else Department.objects.in_bulk()
    dept_ids = {pk for pk, n in returns.items() if n} | set(reasons) | set(extensions)
    dept_ids |= {pk for pk, n in last10.items() if n}
    per_department = sorted(
        (
            {
                "department": names.get(pk),
                "returns": returns.get(pk, 0),
                "reasons": reasons.get(pk, [])[:3],
                "extensions": extensions.get(pk, (0, 0))[0],
                "last_minute_extensions": extensions.get(pk, (0, 0))[1],
                "last10": last10.get(pk, 0),
            }
            for pk in dept_ids
            if pk is not None
        ),
        key=lambda e: (-e["returns"], -e["extensions"], -e["last10"]),
    )
    return {"departments": per_department, "bounced": bounced, "first_day": first_day, "last_day": last_day}


def _last_tenth(case_q: Q, first_day: date, last_day: date, now: datetime, departments) -> dict:
    """Per department: replies in time but in the last tenth of the window; rollup for closed days when unfiltered."""
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    today = timezone.localdate(now)
    if case_q or first_day >= today:
        return _last_tenth_live(case_q, start, end, departments)
    counts = {
        dept: row["reply_last_tenth"] or 0
        for dept, row in rolled_up_facts(
            first_day, min(last_day, today - timedelta(days=1)), departments=departments
        ).items()
    }
    if last_day >= today:
        for dept, n in _last_tenth_live(case_q, local_midnight(today), end, departments).items():
            counts[dept] = counts.get(dept, 0) + n
    return counts


def _last_tenth_live(case_q: Q, start: datetime, end: datetime, departments) -> dict:
    replied = Exists(
        CaseEvent.objects.filter(
            submission_id=OuterRef("submission_id"), action=Action.REPLY, created_at=OuterRef("completed_at")
        )
    )
    qs = Deadline.objects.filter(
        case_q, step=Step.REPLY, is_open=False, completed_at__gte=start, completed_at__lt=end
    ).filter(
        replied,
        completed_at__lte=F("due_at"),
        completed_at__gte=F("due_at") - (F("due_at") - F("started_at")) / 10,
    )
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    return dict(qs.values_list("department_id").annotate(n=Count("id")))


# --- digest --------------------------------------------------------------------------------------------------------
