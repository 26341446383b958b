"""Chart data for the KPI page: plain dicts that go into a JSON data block, drawn by static/oversight/charts.js.

Each chart also carries its rows, so the page prints the same figures as a table below it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from city.models import Category
from deadlines.models import Deadline, Step
from oversight.kpis import local_midnight, period_histograms, period_volumes
from oversight.models import DepartmentDay

TOP_CATEGORIES = 6
# Upper bounds in working hours (a working day is 7.5 h by default); each falls on a rollup bucket edge.
HANDLING_BUCKETS = [4, 8, 16, 24, 40, 72, 120, 240]


# Longer periods are drawn per week: a year of daily bars is neither legible nor quick to render.
DAILY_UP_TO_DAYS = 62


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _slots(first: date, last: date) -> tuple[list[date], callable]:
    """The x-axis (days, or Mondays for long periods) and the function mapping a day to its slot."""
    if (last - first).days < DAILY_UP_TO_DAYS:
        return _days(first, last), lambda d: d
    monday = first - timedelta(days=first.weekday())
    slots = [monday + timedelta(weeks=i) for i in range((last - monday).days // 7 + 1)]
    return slots, lambda d: d - timedelta(days=d.weekday())


def volume_by_category(first: date, last: date, *, departments=None) -> dict:
    rows = period_volumes(first, last, departments=departments)
    parents = {}
    names = {}
    for c in Category.objects.all():
        parents[c.pk] = c.parent_id
        names[c.pk] = c.name

    def root(pk):
        while pk is not None and parents.get(pk):
            pk = parents[pk]
        return pk

    per: dict = defaultdict(lambda: defaultdict(int))
    totals: dict = defaultdict(int)
    slots, slot_of = _slots(first, last)
    for row in rows:
        key = root(row["category_id"])
        per[key][slot_of(row["day"])] += row["n"]
        totals[key] += row["n"]
    top = [k for k, _n in sorted(totals.items(), key=lambda kv: -kv[1])][:TOP_CATEGORIES]
    other = [k for k in totals if k not in top]
    days = slots
    series = [{"label": names.get(k) or _("Uncategorised"), "data": [per[k].get(d, 0) for d in days]} for k in top]
    if other:
        series.append({"label": _("Other"), "data": [sum(per[k].get(d, 0) for k in other) for d in days]})
    return {
        "title": _("Submissions per day by category")
        if len(slots) == len(_days(first, last))
        else _("Submissions per week by category"),
        "type": "bar",
        "stacked": True,
        "labels": [d.isoformat() for d in days],
        "series": series,
    }


def rates_over_time(first: date, last: date, *, departments=None) -> dict:
    """Daily city-wide response, on-time reply and satisfaction rates from the rollup (closed days only)."""

    qs = DepartmentDay.objects.filter(day__gte=first, day__lte=last)
    if departments is not None:
        qs = qs.filter(department__in=departments)
    rows = {
        r["day"]: r
        for r in qs.values("day").annotate(
            signfor_in_time=Sum("signfor_in_time"),
            signfor_done=Sum("signfor_done"),
            reply_in_time=Sum("reply_in_time"),
            reply_done=Sum("reply_done"),
            reply_closed_late=Sum("reply_closed_late"),
            satisfied=Sum("satisfied"),
            rated=Sum("rated"),
        )
    }
    start, end = local_midnight(first), local_midnight(last + timedelta(days=1))
    now = timezone.now()
    open_late = Deadline.objects.filter(
        is_open=True, paused_at__isnull=True, due_at__gte=start, due_at__lt=min(end, now), department__isnull=False
    )
    if departments is not None:
        open_late = open_late.filter(department__in=departments)
    late = defaultdict(lambda: {"sign_for": 0, "reply": 0})
    for r in (
        open_late.annotate(day=TruncDate("due_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "step")
        .annotate(n=Count("id"))
    ):
        if r["step"] in (Step.SIGN_FOR, Step.REPLY):
            late[r["day"]][r["step"]] += r["n"]
    closed_last = min(last, timezone.localdate() - timedelta(days=1))
    days, slot_of = _slots(first, closed_last) if closed_last >= first else ([], None)
    sums: dict = defaultdict(lambda: defaultdict(int))
    for day, r in rows.items():
        if day <= closed_last:
            for name, value in r.items():
                if name != "day":
                    sums[slot_of(day)][name] += value or 0
    for day, counts in late.items():
        if day <= closed_last:
            sums[slot_of(day)]["late_sign_for"] += counts["sign_for"]
            sums[slot_of(day)]["late_reply"] += counts["reply"]

    def pct(num, den):
        return round(num / den * 100, 1) if den else None

    response, on_time, satisfaction = [], [], []
    for d in days:
        r = sums[d]
        response.append(pct(r["signfor_in_time"], r["signfor_done"] + r["late_sign_for"]))
        on_time.append(pct(r["reply_in_time"], r["reply_done"] + r["reply_closed_late"] + r["late_reply"]))
        satisfaction.append(pct(r["satisfied"], r["rated"]))
    weekly = closed_last >= first and (closed_last - first).days >= DAILY_UP_TO_DAYS
    return {
        "title": _("Rates per week (%)") if weekly else _("Rates per day (%)"),
        "type": "line",
        "percent": True,
        "labels": [d.isoformat() for d in days],
        "series": [
            {"label": _("Response rate"), "data": response},
            {"label": _("On-time reply rate"), "data": on_time},
            {"label": _("Satisfaction rate"), "data": satisfaction},
        ],
    }


def handling_distribution(first: date, last: date, *, departments=None, histogram: dict | None = None) -> dict:
    """The period's handling-time histogram (from the rollup), regrouped into a few readable bars."""
    labels, lower = [], 0
    for upper in HANDLING_BUCKETS:
        labels.append(_("%(low)s–%(high)s h") % {"low": lower, "high": upper})
        lower = upper
    labels.append(_("over %(hours)s h") % {"hours": lower})
    counts = [0] * len(labels)
    hists = [histogram] if histogram is not None else period_histograms(first, last, departments=departments).values()
    for hist in hists:
        for bucket, n in hist.items():
            index = next((i for i, upper in enumerate(HANDLING_BUCKETS) if bucket < upper), len(HANDLING_BUCKETS))
            counts[index] += n
    return {
        "title": _("Handling time (working hours, submission to reply)"),
        "type": "bar",
        "labels": labels,
        "series": [{"label": _("Cases"), "data": counts}],
    }


def kpi_charts(first: date, last: date, *, departments=None, histogram: dict | None = None) -> list[dict]:
    charts = [
        volume_by_category(first, last, departments=departments),
        rates_over_time(first, last, departments=departments),
        handling_distribution(first, last, departments=departments, histogram=histogram),
    ]
    for i, chart in enumerate(charts):
        chart["id"] = f"chart-{i}"
        chart["rows"] = [[label, *[s["data"][j] for s in chart["series"]]] for j, label in enumerate(chart["labels"])]
    return charts
