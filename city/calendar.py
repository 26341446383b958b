"""Working time: which days are working days, and where a span of working time ends.

Exceptional dates (holidays, and weekend days that are working days, 调休) are
rows of ``CalendarDay``. A year with at least one row counts as published. Any
other year is computed from weekends and the fixed-date holidays and every
deadline that touches it is marked provisional, so a deadline in January of a
year the State Council has not published yet is computed, never a crash.
Working hours come from ``settings.MINSHENG["WORK_HOURS"]``.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from city.models import CalendarDay, CalendarSource

# Holidays with a fixed solar date (the law of 2025): used only for years
# without published data. Lunar holidays cannot be guessed reliably.
FIXED_HOLIDAYS = {
    (1, 1): "New Year's Day",
    (5, 1): "Labour Day",
    (5, 2): "Labour Day",
    (10, 1): "National Day",
    (10, 2): "National Day",
    (10, 3): "National Day",
}
# A deadline further away than this is a configuration error, not a date.
MAX_DAYS_AHEAD = 3 * 366


def work_ranges() -> list[tuple[int, int]]:
    """Working hours of a working day as (start, end) seconds after midnight."""
    return [(start * 60, end * 60) for start, end in settings.MINSHENG["WORK_HOURS"]]


def working_day_seconds() -> int:
    return sum(end - start for start, end in work_ranges())


def work_hours_label() -> str:
    return ",".join(
        f"{s // 3600:02d}:{s % 3600 // 60:02d}-{e // 3600:02d}:{e % 3600 // 60:02d}" for s, e in work_ranges()
    )


@dataclass
class WorkCalendar:
    """The calendar as one computation sees it; loads each year it touches once."""

    tz: zoneinfo.ZoneInfo = field(default_factory=lambda: zoneinfo.ZoneInfo(settings.TIME_ZONE))
    ranges: list[tuple[int, int]] = field(default_factory=work_ranges)
    exceptions: dict[date, tuple[bool, str]] = field(default_factory=dict)
    loaded_years: set[int] = field(default_factory=set)
    published_years: set[int] = field(default_factory=set)
    provisional_years: set[int] = field(default_factory=set)
    skipped: list[tuple[date, str]] = field(default_factory=list)
    swapped: list[tuple[date, str]] = field(default_factory=list)
    # Running sums of whole working days (see ``_running``), over the days running_bounds[0]..[1].
    running_sums: dict[date, int] = field(default_factory=dict)
    running_bounds: list[date] = field(default_factory=list)

    @cached_property
    def day_seconds(self) -> int:
        """Working seconds of one working day (the working hours' length)."""
        return sum(end - start for start, end in self.ranges)

    def _load(self, year: int) -> None:
        if year in self.loaded_years:
            return
        self.loaded_years.add(year)
        rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_working", "name")
        for day, is_working, name in rows:
            self.exceptions[day] = (is_working, name)
            self.published_years.add(year)

    def is_published(self, year: int) -> bool:
        self._load(year)
        return year in self.published_years

    def day_kind(self, day: date) -> tuple[bool, str]:
        """(is a working day, why) for one date."""
        self._load(day.year)
        if day in self.exceptions:
            return self.exceptions[day]
        if day.year not in self.published_years:
            self.provisional_years.add(day.year)
            fixed = FIXED_HOLIDAYS.get((day.month, day.day))
            if fixed:
                return False, fixed
        return (day.weekday() < 5), ("" if day.weekday() < 5 else "weekend")

    def is_working_day(self, day: date) -> bool:
        return self.day_kind(day)[0]

    def _visit(self, day: date) -> bool:
        is_working, why = self.day_kind(day)
        if not is_working:
            self.skipped.append((day, why or "holiday"))
        elif day.weekday() >= 5:
            self.swapped.append((day, why))
        return is_working

    def _instant(self, day: date, seconds: int) -> datetime:
        if seconds >= 24 * 3600:
            return datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.tz)
        return datetime.combine(day, time(seconds // 3600, seconds % 3600 // 60, seconds % 60), tzinfo=self.tz)

    def add_working(self, start: datetime, seconds: float) -> datetime:
        """The instant at which ``seconds`` of working time after ``start`` have passed."""
        local = timezone.localtime(start, self.tz)
        day = local.date()
        offset = local.hour * 3600 + local.minute * 60 + local.second
        remaining = int(round(seconds))
        for _ in range(MAX_DAYS_AHEAD):
            if self._visit(day):
                for range_start, range_end in self.ranges:
                    begin = max(range_start, offset)
                    if begin >= range_end:
                        continue
                    available = range_end - begin
                    if remaining <= available:
                        return self._instant(day, begin + remaining)
                    remaining -= available
            day += timedelta(days=1)
            offset = 0
        raise ValueError("working time span ends more than three years ahead")

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Working time between two instants (0 when ``end`` is not after ``start``).

        Whole days in between come from running sums kept per calendar, so a
        long span, or many spans read with one calendar (a CSV export), costs
        a lookup rather than a walk over the days.
        """
        if end <= start:
            return 0
        local_start, local_end = timezone.localtime(start, self.tz), timezone.localtime(end, self.tz)
        first, last = local_start.date(), local_end.date()
        lower = local_start.hour * 3600 + local_start.minute * 60 + local_start.second
        upper = local_end.hour * 3600 + local_end.minute * 60 + local_end.second
        if first == last:
            return self._within(first, lower, upper)
        whole = self._running(last - timedelta(days=1)) - self._running(first)
        return self._within(first, lower, 24 * 3600) + whole + self._within(last, 0, upper)

    def _within(self, day: date, lower: int, upper: int) -> int:
        """Working seconds of ``day`` between two offsets from its midnight."""
        if not self.is_working_day(day):
            return 0
        return sum(max(0, min(range_end, upper) - max(range_start, lower)) for range_start, range_end in self.ranges)

    def _running(self, day: date) -> int:
        """Working seconds of whole days from an arbitrary anchor through ``day``; differences are spans."""
        running, bounds = self.running_sums, self.running_bounds
        if not bounds:
            running[day] = 0
            bounds.extend([day, day])
        full = self.day_seconds
        while bounds[1] < day:
            nxt = bounds[1] + timedelta(days=1)
            running[nxt] = running[bounds[1]] + (full if self.is_working_day(nxt) else 0)
            bounds[1] = nxt
        while bounds[0] > day:
            prev = bounds[0] - timedelta(days=1)
            running[prev] = running[bounds[0]] - (full if self.is_working_day(bounds[0]) else 0)
            bounds[0] = prev
        return running[day]

    def describe_skipped(self) -> str:
        """'10-01..10-07 National Day, 10-11 weekend': consecutive days with one reason are grouped."""
        return _group(self.skipped)

    def describe_swapped(self) -> str:
        return _group(self.swapped)


def _group(days: list[tuple[date, str]]) -> str:
    groups: list[list] = []
    for day, why in sorted(set(days)):
        if groups and groups[-1][2] == why and (day - groups[-1][1]).days == 1:
            groups[-1][1] = day
        else:
            groups.append([day, day, why])
    parts = []
    for first, last, why in groups:
        span = f"{first:%m-%d}" if first == last else f"{first:%m-%d}..{last:%m-%d}"
        parts.append(f"{span} {why}".strip())
    return ", ".join(parts)


def calendar_seed() -> dict[str, int]:
    """Copy the official holidays and swapped working days from ``chinese_calendar``.

    Idempotent, and never overwrites a date an administrator entered.
    """
    import chinese_calendar

    version = getattr(chinese_calendar, "__version__", "")
    note = f"chinese-calendar {version}".strip()
    rows = [
        CalendarDay(date=day, is_working=False, name=str(name), source=CalendarSource.OFFICIAL, note=note)
        for day, name in chinese_calendar.constants.holidays.items()
    ] + [
        CalendarDay(date=day, is_working=True, name=str(name), source=CalendarSource.OFFICIAL, note=note)
        for day, name in chinese_calendar.constants.workdays.items()
    ]
    with transaction.atomic():
        before = CalendarDay.objects.count()
        CalendarDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        after = CalendarDay.objects.count()
    years = sorted({row.date.year for row in rows})
    return {"created": after - before, "official_days": len(rows), "first_year": years[0], "last_year": years[-1]}


def calendar_missing_years(*, today: date | None = None) -> list[int]:
    """Years a deadline may reach soon that have no published calendar.

    The current year always counts; from 1 December the next year does too.
    """
    today = today or timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    published = {d.year for d in CalendarDay.objects.filter(date__year__in=years).dates("date", "year")}
    return [year for year in years if year not in published]
