"""Handling time: stored working seconds, exact percentiles and the hourly histograms."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from city.calendar import WorkCalendar
from deadlines.services import handling_time
from feedback.models import Submission
from oversight.kpis.facts import local_midnight, rollup_split
from oversight.models import HandlingDay, VolumeDay


def handling_hours_qs(start: datetime, end: datetime, *, departments=None):
    qs = Submission.objects.filter(replied_at__gte=start, replied_at__lt=end, lead_department__isnull=False)
    if departments is not None:
        qs = qs.filter(lead_department__in=departments)
    return qs


def handling_missing(qs) -> list[tuple[int, int | None, datetime, int]]:
    """``(id, dept, replied_at, working seconds)`` for replied cases whose handling time was never stored.

    Cases replied through the workflow always have it (``deadlines.services.handling_record``);
    this covers rows written by other means (imports, old data). Normally empty.
    """

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
