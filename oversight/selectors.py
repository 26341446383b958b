"""Reads for the supervisors' pages: overdue dashboard, buck-passing, digest, public scoreboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from feedback.models import CaseEvent, EventKind, Submission
from feedback.workflow import Action
from oversight.kpis import department_kpis, local_midnight, ranking, rolled_up_facts
from routing.models import (
    Category,
    Deadline,
    Department,
    District,
    ReturnReason,
    ReturnRecord,
    Step,
)


def near_window() -> timedelta:
    return timedelta(hours=int(getattr(settings, "OVERSIGHT_NEAR_HOURS", 24)))


def public_criticism_level() -> int:
    return int(getattr(settings, "OVERSIGHT_PUBLIC_CRITICISM_LEVEL", 4))


def _escalation_model():
    try:
        return apps.get_model("routing", "Escalation")
    except LookupError:
        return None


def escalation_level_subquery(ref: str = "pk"):
    """Highest escalation level of the case at ``OuterRef(ref)`` (None when never escalated).

    Reads ``routing.Escalation`` when it exists, else escalation ``CaseEvent`` rows
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
    """The working-time calendar (``routing.calendar.WorkCalendar``) when it exists, else None."""
    try:
        from routing.calendar import WorkCalendar  # type: ignore[attr-defined]
    except ImportError:
        return None
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


def overdue_summary(*, case_q: Q, now: datetime, departments=None) -> list[dict]:
    """Per department: overdue and near counts per step, ranked by overdue count (one query)."""
    rows = (
        open_deadlines(case_q=case_q, now=now, departments=departments)
        .values("department_id", "step")
        .annotate(overdue=Count("id", filter=Q(due_at__lt=now)), near=Count("id", filter=Q(due_at__gte=now)))
    )
    names = {d.pk: d for d in Department.objects.all()}
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


def buck_passing(*, case_q: Q, first_day: date, last_day: date, now: datetime, departments=None) -> dict:
    """Returns with reasons, bounced cases, extensions (and last-minute ones), replies in the last tenth.

    Without case filters the last-tenth counts come from the rollup; with them, live.
    """
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    # A return counts against the department that made it, when it made it: the case may since have moved on
    # (and the returning department stays responsible until the next one signs for it).
    returned = ReturnRecord.objects.filter(case_q, requested_at__gte=start, requested_at__lt=end)
    events = CaseEvent.objects.filter(case_q, created_at__gte=start, created_at__lt=end)
    if departments is not None:
        returned = returned.filter(department_id__in=departments)
        events = events.filter(submission__lead_department__in=departments)
    returns = dict(returned.values_list("department_id").annotate(n=Count("id")))
    reasons: dict = {}
    reason_names = {r.pk: r.name for r in ReturnReason.objects.all()}
    reason_rows = returned.values("department_id", "reason_id").annotate(n=Count("id")).order_by("-n", "reason_id")
    for row in reason_rows[:200]:
        reasons.setdefault(row["department_id"], []).append((reason_names.get(row["reason_id"], "—"), row["n"]))
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
    names = {d.pk: d for d in Department.objects.all()}
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


def _counts(qs, key: str) -> dict:
    return dict(qs.values_list(key).annotate(n=Count("id")))


def digest_build(*, first_day: date, last_day: date, now: datetime) -> dict:
    """Everything the leaders' digest shows for local days first_day..last_day, compared with the period before."""
    length = (last_day - first_day).days + 1
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    prev_start = local_midnight(first_day - timedelta(days=length))
    current = Submission.objects.filter(created_at__gte=start, created_at__lt=end)
    previous = Submission.objects.filter(created_at__gte=prev_start, created_at__lt=start)
    roots = _category_roots()
    cat_now, cat_prev = (
        _roll_to_roots(_counts(current, "category_id"), roots),
        _roll_to_roots(_counts(previous, "category_id"), roots),
    )
    categories = {c.pk: c for c in Category.objects.filter(parent__isnull=True)}
    topics = [
        {"category": categories.get(pk), "count": n, "previous": cat_prev.get(pk, 0), "is_new": not cat_prev.get(pk)}
        for pk, n in sorted(cat_now.items(), key=lambda kv: -kv[1])
        if pk is not None
    ]
    districts = {d.pk: d for d in District.objects.all()}
    dist_now, dist_prev = _counts(current, "district_id"), _counts(previous, "district_id")
    hot_spots = [
        {"district": districts.get(pk), "count": n, "previous": dist_prev.get(pk, 0)}
        for pk, n in sorted(dist_now.items(), key=lambda kv: -kv[1])
        if pk is not None
    ]
    total, total_prev = sum(dist_now.values()), sum(dist_prev.values())
    kpis = department_kpis(first_day, last_day, now=now)
    ranked, apart = ranking(kpis)
    overdue = overdue_summary(case_q=Q(), now=now)
    returns = buck_passing(case_q=Q(), first_day=first_day, last_day=last_day, now=now)["departments"]
    longest_overdue = list(
        overdue_cases(case_q=Q(), now=now, state="overdue").select_related("submission__lead_department")[:5]
    )
    # Cases reopened during the period (read from the reopen events, indexed by action and time), most reopened first.
    reopened_now = CaseEvent.objects.filter(action=Action.REOPEN, created_at__gte=start, created_at__lt=end)
    most_reopened = list(
        Submission.objects.filter(pk__in=reopened_now.values("submission_id"))
        .select_related("lead_department", "category")
        .order_by("-reopen_count", "created_at")[:5]
    )
    daily = list(
        current.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return {
        "first_day": first_day,
        "last_day": last_day,
        "previous_first_day": first_day - timedelta(days=length),
        "total": total,
        "total_previous": total_prev,
        "change": _change(total, total_prev),
        "daily": daily,
        "topics": topics[:10],
        "new_topics": [t for t in topics if t["is_new"]],
        "hot_spots": hot_spots[:10],
        "surge_alerts": surge_alerts(start, end),
        # Only departments with something overdue, or something returned: a list of zeros tells leaders nothing.
        "most_overdue": [e for e in overdue if e["overdue"]][:5],
        "most_returns": sorted((e for e in returns if e["returns"]), key=lambda e: -e["returns"])[:5],
        "city": kpis[None],
        "ranked": ranked,
        "apart": apart,
        "departments": {d.pk: d for d in Department.objects.all()},
        "longest_overdue": case_lines(longest_overdue, now),
        "most_reopened": most_reopened,
    }


def _change(now_count: int, prev_count: int) -> float | None:
    return None if not prev_count else (now_count - prev_count) / prev_count * 100


def _category_roots() -> dict:
    parents = dict(Category.objects.values_list("id", "parent_id"))

    def root(pk):
        seen = set()
        while parents.get(pk) and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk

    return {pk: root(pk) for pk in parents}


def _roll_to_roots(counts: dict, roots: dict) -> dict:
    rolled: dict = {}
    for pk, n in counts.items():
        key = roots.get(pk, pk)
        rolled[key] = rolled.get(key, 0) + n
    return rolled


def surge_alerts(start: datetime, end: datetime) -> list:
    """Surge alerts raised in the period, when the ``surges`` app is installed."""
    if not apps.is_installed("surges"):
        return []
    try:
        model = apps.get_model("surges", "SurgeAlert")
    except LookupError:
        return []
    field_names = {f.name for f in model._meta.get_fields()}
    stamp = next((n for n in ("raised_at", "created_at", "first_at") if n in field_names), None)
    qs = model.objects.all()
    if stamp:
        qs = qs.filter(**{f"{stamp}__gte": start, f"{stamp}__lt": end}).order_by(f"-{stamp}")
    return list(qs[:20])


# --- public scoreboard -----------------------------------------------------------------------------------------------


def criticised_submission_ids(level: int):
    """Ids of cases escalated to ``level`` or above (a subquery; starts from the escalations, not the cases)."""
    model = _escalation_model()
    if model is not None:
        return model.objects.filter(level__gte=level).values("submission_id")
    return (
        CaseEvent.objects.filter(kind=EventKind.ESCALATION)
        .annotate(level=Cast(KeyTextTransform("level", "payload"), IntegerField()))
        .filter(level__gte=level)
        .values("submission_id")
    )


def criticised_cases(*, now: datetime, limit: int = 50) -> list:
    """Overdue cases that reached public criticism (通报) on the escalation ladder; no personal data."""
    qs = (
        Submission.objects.filter(pk__in=criticised_submission_ids(public_criticism_level()))
        .select_related("lead_department", "category", "district")
        .only(
            "tracking_number",
            "created_at",
            "status",
            "lead_department__name_zh",
            "lead_department__name_en",
            "category__name_zh",
            "category__name_en",
            "district__name_zh",
            "district__name_en",
        )
        .order_by("-created_at")
    )
    return list(qs[:limit])
