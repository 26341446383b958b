"""KPIs per department and period, computed with set-based queries.

Every rate is ``numerator ÷ denominator`` over *facts* dated in the period:

- response rate (响应率) = sign-for deadlines met by a sign-for
  ÷ (sign-for deadlines closed in the period + sign-for deadlines open and overdue).
  A case still inside its sign-for window is not yet decided and is left out;
  once its window passes unsigned it counts against the department.
- on-time reply rate (按期办结率) = replied in time
  ÷ (replied + closed late without a reply + open and overdue). Open overdue
  cases count in the period their deadline fell in, so a recent period cannot
  look perfect just because its late cases are not answered yet.
- resolution rate (解决率) = ratings "resolved" ÷ ratings.
- satisfaction rate (满意率) = (satisfied + basically satisfied) ÷ ratings.
- return rate (退单率) = returns requested by the department ÷ lead assignments made.
- extension rate (延期率) = extension requests ÷ lead assignments made.
- handling time = working time from submission to the (latest) reply, less the
  working time the case waited for the citizen's material
  (``Submission.handling_seconds``, see ``routing.deadlines.handling_record``);
  median and 90th percentile in working hours, read from hourly histograms
  (``HandlingDay``), so within one bucket width (1 h below 48 working hours)
  of ``percentile_cont`` on the cases themselves.

Closed past days come from ``DepartmentDay`` (kept current by the workers);
today and open overdue deadlines are always read live. The same fact queries
fill both, so the two can never disagree.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import CaseEvent, Rating, Satisfaction, Submission
from feedback.workflow import Action
from routing.models import Assignment, AssignmentRole, Deadline, ReturnRecord, Step

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
    extensions = CaseEvent.objects.filter(action=Action.EXTENSION_REQUEST, created_at__gte=start, created_at__lt=end)
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
        _group(extensions, "submission__lead_department_id", "created_at", by_day).annotate(extensions=Count("id")),
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
    from oversight.models import RollupState

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
    from oversight.models import DepartmentDay

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


@dataclass
class Rate:
    key: str
    label: str
    formula: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass
class KpiRow:
    department_id: int | None
    facts: dict
    rates: dict[str, Rate] = field(default_factory=dict)
    median_hours: float | None = None
    p90_hours: float | None = None
    handled: int = 0
    histogram: dict = field(default_factory=dict)

    @property
    def sample(self) -> int:
        """Cases the department was judged on: the larger of decided sign-fors and assignments."""
        return max(self.facts.get("assigned", 0), self.facts.get("signfor_done", 0))

    @property
    def is_ranked(self) -> bool:
        return self.sample >= min_sample()


def rates_from(facts: dict) -> dict[str, Rate]:
    return {
        key: Rate(key, str(label), str(formula), facts.get(num, 0), sum(facts.get(d, 0) for d in dens))
        for key, label, num, dens, formula in RATES
    }


def handling_hours_qs(start: datetime, end: datetime, *, departments=None):
    qs = Submission.objects.filter(replied_at__gte=start, replied_at__lt=end, lead_department__isnull=False)
    if departments is not None:
        qs = qs.filter(lead_department__in=departments)
    return qs


def handling_missing(qs) -> list[tuple[int, int | None, datetime, int]]:
    """``(id, dept, replied_at, working seconds)`` for replied cases whose handling time was never stored.

    Cases replied through the workflow always have it (``routing.deadlines.handling_record``);
    this covers rows written by other means (imports, old data). Normally empty.
    """
    from routing.calendar import WorkCalendar
    from routing.deadlines import handling_time

    calendar = WorkCalendar()
    rows = qs.filter(handling_seconds__isnull=True).values_list(
        "id", "lead_department_id", "created_at", "replied_at", "waiting_seconds"
    )
    return [
        (pk, dept, replied, handling_time(calendar, created, replied, waiting))
        for pk, dept, created, replied, waiting in rows.iterator()
    ]


def handling_backfill(start: datetime, end: datetime) -> int:
    """Store the missing handling times of cases replied in [start, end); returns how many were filled."""
    missing = handling_missing(handling_hours_qs(start, end))
    Submission.objects.bulk_update(
        [Submission(pk=pk, handling_seconds=seconds) for pk, _dept, _replied, seconds in missing],
        ["handling_seconds"],
        batch_size=1000,
    )
    return len(missing)


def handling_percentiles(start: datetime, end: datetime, *, departments=None) -> dict:
    """Exact ``{dept: (handled, median_hours, p90_hours)}`` in working hours, from the cases.

    The pages read the histograms instead; this is the reference they are checked against.
    """
    qs = handling_hours_qs(start, end, departments=departments)
    by_dept: dict = defaultdict(list)
    for dept, seconds in qs.filter(handling_seconds__isnull=False).values_list(
        "lead_department_id", "handling_seconds"
    ):
        by_dept[dept].append(seconds / 3600)
    for _pk, dept, _replied, seconds in handling_missing(qs):
        by_dept[dept].append(seconds / 3600)
    return {d: (len(v), statistics.median(v), _percentile(v, 0.9)) for d, v in by_dept.items()}


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation, the same answer as percentile_cont."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * fraction
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def department_kpis(first_day: date, last_day: date, *, now: datetime | None = None, departments=None) -> dict:
    """``{dept_id: KpiRow}`` plus ``None`` for the whole city. A bounded number of queries."""
    facts = period_facts(first_day, last_day, now=now, departments=departments)
    histograms = period_histograms(first_day, last_day, now=now, departments=departments)
    percentiles = {dept: histogram_summary(hist) for dept, hist in histograms.items()}
    rows: dict = {}
    city = dict.fromkeys(FACT_FIELDS + LIVE_FIELDS, 0)
    for dept in set(facts) | set(percentiles):
        row = KpiRow(dept, dict(facts.get(dept, dict.fromkeys(FACT_FIELDS + LIVE_FIELDS, 0))))
        row.rates = rates_from(row.facts)
        row.handled, row.median_hours, row.p90_hours = percentiles.get(dept, (0, None, None))
        rows[dept] = row
        for name in city:
            city[name] += row.facts.get(name, 0)
    city_row = KpiRow(None, city, rates_from(city))
    city_hist: dict = defaultdict(int)
    for hist in histograms.values():
        for bucket, n in hist.items():
            city_hist[bucket] += n
    city_row.handled, city_row.median_hours, city_row.p90_hours = histogram_summary(city_hist)
    city_row.histogram = dict(city_hist)
    rows[None] = city_row
    return rows


# --- handling-time histograms -----------------------------------------------------------------------------------------
# Buckets (lower bound in hours): hourly below 48 h, 6-hourly below 240 h, daily below 1440 h, then one open bucket.
# A percentile read from them is within one bucket width of the exact one.
OPEN_BUCKET = 1440


def bucket_of(hours: float) -> int:
    hours = max(hours, 0.0)
    if hours < 48:
        return int(hours)
    if hours < 240:
        return 48 + int((hours - 48) // 6) * 6
    if hours < OPEN_BUCKET:
        return 240 + int((hours - 240) // 24) * 24
    return OPEN_BUCKET


def bucket_width(lower: int) -> int:
    return 1 if lower < 48 else 6 if lower < 240 else 24 if lower < OPEN_BUCKET else 0


def _bucket_sql() -> str:
    h = '"feedback_submission"."handling_seconds" / 3600.0'
    return (
        f"CASE WHEN {h} IS NULL THEN NULL WHEN {h} < 48 THEN floor({h}) "
        f"WHEN {h} < 240 THEN 48 + floor(({h} - 48) / 6) * 6 "
        f"WHEN {h} < {OPEN_BUCKET} THEN 240 + floor(({h} - 240) / 24) * 24 ELSE {OPEN_BUCKET} END"
    )


def histogram_live(start: datetime, end: datetime, *, by_day: bool = False, departments=None) -> dict:
    """``{(dept, day|None): {bucket: cases}}`` for cases replied in [start, end), in working hours.

    One query; a second one only when some replied case has no stored handling time.
    """
    qs = handling_hours_qs(start, end, departments=departments)
    result: dict = defaultdict(lambda: defaultdict(int))
    if start >= end:
        return result
    tz = timezone.get_current_timezone()
    missing = False
    if connection.vendor == "postgresql":
        from django.db.models.expressions import RawSQL

        rows = qs.annotate(dept=F("lead_department_id"), bucket=RawSQL(_bucket_sql(), []))
        keys = ["dept", "bucket"]
        if by_day:
            rows = rows.annotate(day=TruncDate("replied_at", tzinfo=tz))
            keys.append("day")
        for row in rows.values(*keys).annotate(n=Count("id")):
            if row["bucket"] is None:
                missing = True
            else:
                result[(row["dept"], row.get("day"))][int(row["bucket"])] += row["n"]
    else:
        for dept, replied, seconds in qs.values_list("lead_department_id", "replied_at", "handling_seconds"):
            if seconds is None:
                missing = True
            else:
                day = timezone.localtime(replied, tz).date() if by_day else None
                result[(dept, day)][bucket_of(seconds / 3600)] += 1
    for _pk, dept, replied, seconds in handling_missing(qs) if missing else ():
        day = timezone.localtime(replied, tz).date() if by_day else None
        result[(dept, day)][bucket_of(seconds / 3600)] += 1
    return result


def volume_live(start: datetime, end: datetime, *, departments=None):
    """Rows ``{lead_department_id, category_id, day, n}``: submissions received in [start, end)."""
    qs = Submission.objects.filter(created_at__gte=start, created_at__lt=end)
    if departments is not None:
        qs = qs.filter(lead_department__in=departments)
    return (
        qs.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("lead_department_id", "category_id", "day")
        .annotate(n=Count("id"))
    )


def period_volumes(first_day: date, last_day: date, *, now: datetime | None = None, departments=None) -> list[dict]:
    """Rows ``{category_id, day, n}`` for local days first_day..last_day: ``VolumeDay`` for closed days, live today."""
    from oversight.models import VolumeDay

    now = now or timezone.now()
    rolled_last, live_start = rollup_split(first_day, last_day, now)
    rows: list[dict] = []
    if rolled_last is not None:
        qs = VolumeDay.objects.filter(day__gte=first_day, day__lte=rolled_last)
        if departments is not None:
            qs = qs.filter(department__in=departments)
        rows.extend(qs.values("category_id", "day").annotate(n=Sum("cases")))
    end = local_midnight(last_day + timedelta(days=1))
    if live_start < end:
        rows.extend(volume_live(live_start, end, departments=departments))
    return rows


def period_histograms(first_day: date, last_day: date, *, now: datetime | None = None, departments=None) -> dict:
    """``{dept: {bucket: cases}}``: ``HandlingDay`` rows for closed days, live for today."""
    from oversight.models import HandlingDay

    now = now or timezone.now()
    rolled_last, live_start = rollup_split(first_day, last_day, now)
    result: dict = defaultdict(lambda: defaultdict(int))
    if rolled_last is not None:
        qs = HandlingDay.objects.filter(day__gte=first_day, day__lte=rolled_last)
        if departments is not None:
            qs = qs.filter(department__in=departments)
        for row in qs.values("department_id", "bucket").annotate(n=Sum("cases")):
            result[row["department_id"]][row["bucket"]] += row["n"]
    end = local_midnight(last_day + timedelta(days=1))
    for (dept, _day), hist in histogram_live(live_start, end, departments=departments).items():
        for bucket, n in hist.items():
            result[dept][bucket] += n
    return result


def histogram_percentile(hist: dict, fraction: float) -> float | None:
    """percentile_cont over the bucket midpoints: within one bucket width of the exact figure."""
    total = sum(hist.values())
    if not total:
        return None
    rank = (total - 1) * fraction
    low_rank, high_rank = int(rank), min(int(rank) + 1, total - 1)
    points = {}
    seen = 0
    for bucket in sorted(hist):
        count = hist[bucket]
        for wanted in (low_rank, high_rank):
            if wanted not in points and seen <= wanted < seen + count:
                points[wanted] = bucket + bucket_width(bucket) / 2
        seen += count
    return points[low_rank] + (points[high_rank] - points[low_rank]) * (rank - low_rank)


def histogram_summary(hist: dict) -> tuple[int, float | None, float | None]:
    return sum(hist.values()), histogram_percentile(hist, 0.5), histogram_percentile(hist, 0.9)


def ranking(rows: dict, *, by: str = "on_time_reply") -> tuple[list[KpiRow], list[KpiRow]]:
    """Departments with enough cases ranked best first, and the rest listed apart (not ranked)."""
    departments = [r for key, r in rows.items() if key is not None]
    ranked = [r for r in departments if r.is_ranked]
    apart = sorted((r for r in departments if not r.is_ranked), key=lambda r: -r.sample)
    reverse = by not in INVERSE_RATES

    def score(r: KpiRow):
        v = r.rates[by].value
        return (v is not None, v if v is not None else 0)

    ranked.sort(key=score, reverse=reverse)
    if not reverse:  # lower is better, but rows without a figure still go last
        ranked.sort(key=lambda r: r.rates[by].value is None)
    return ranked, apart
