"""Working-time deadlines across holidays, swapped working days, weekends and working-hour edges."""

from __future__ import annotations

from datetime import date

import pytest

from city.calendar import WorkCalendar, calendar_missing_years
from deadlines.services import compute_due
from tests.routing.conftest import local

# start (local), amount, unit, expected due (local), why
CASES = [
    # 国庆 2026: Oct 1-7 off, Sat Oct 10 is a working day (调休).
    ("2026-09-30 16:00", 5, "working_days", "2026-10-13 16:00", "National Day week skipped, Sat Oct 10 worked"),
    ("2026-10-09 17:00", 1, "working_days", "2026-10-10 17:00", "the swapped working Saturday counts"),
    ("2026-10-03 10:00", 1, "working_days", "2026-10-08 18:00", "a start inside the holiday waits for Oct 8"),
    ("2026-09-20 10:00", 1, "working_days", "2026-09-21 10:00", "the working Sunday Sep 20 counts"),
    ("2026-09-24 15:00", 1, "working_days", "2026-09-28 15:00", "Mid-Autumn Fri Sep 25 and the weekend skipped"),
    # 春节 2026: Feb 15-23 off, Sat Feb 14 and Sat Feb 28 are working days.
    ("2026-02-13 15:00", 1, "working_days", "2026-02-14 15:00", "Sat Feb 14 worked before Spring Festival"),
    ("2026-02-13 15:00", 5, "working_days", "2026-02-27 15:00", "Spring Festival Feb 15-23 skipped"),
    ("2026-02-27 17:00", 1, "working_days", "2026-02-28 17:00", "Sat Feb 28 worked after Spring Festival"),
    # Ordinary weekends.
    ("2026-03-06 16:00", 1, "working_days", "2026-03-09 16:00", "Friday afternoon to Monday afternoon"),
    ("2026-03-07 11:00", 1, "working_days", "2026-03-09 18:00", "a Saturday start counts from Monday 09:00"),
    ("2026-03-02 09:00", 15, "working_days", "2026-03-20 18:00", "complex case: three working weeks"),
    # Working-hour edges: 09:00-12:00, 13:30-18:00.
    ("2026-03-10 12:30", 1, "working_hours", "2026-03-10 14:30", "a start in the lunch break waits for 13:30"),
    ("2026-03-10 18:00", 1, "working_days", "2026-03-11 18:00", "a start at closing time counts from tomorrow"),
    ("2026-03-11 08:00", 3, "working_hours", "2026-03-11 12:00", "ends exactly at noon, not after lunch"),
    ("2026-03-11 11:00", 2, "working_hours", "2026-03-11 14:30", "the lunch break does not count"),
    ("2026-03-11 17:59", 1, "working_hours", "2026-03-12 09:59", "one minute today, the rest tomorrow"),
    # Clock-time policies (urgent) ignore the calendar.
    ("2026-10-03 22:00", 2, "hours", "2026-10-04 00:00", "urgent sign-for: 2 clock hours, even on a holiday"),
    ("2026-10-01 09:00", 24, "hours", "2026-10-02 09:00", "urgent reply: 24 clock hours"),
    ("2026-09-30 10:00", 7, "days", "2026-10-07 10:00", "rating window: 7 calendar days"),
]


@pytest.mark.parametrize(("start", "amount", "unit", "expected", "why"), CASES, ids=[c[4] for c in CASES])
@pytest.mark.django_db
def test_deadline_table(official_calendar, start, amount, unit, expected, why):
    computed = compute_due(start=local(start), amount=amount, unit=unit)
    assert computed.due_at == local(expected), why
    assert computed.is_provisional is False


@pytest.mark.django_db
def test_trace_names_the_skipped_holiday_and_the_swapped_day(official_calendar):
    computed = compute_due(start=local("2026-09-30 16:00"), amount=5, unit="working_days", warn_percent=75)
    assert "10-01..10-07 National Day" in computed.trace
    assert "10-10 National Day (调休)" in computed.trace
    assert "due 2026-10-13 16:00" in computed.trace
    # 75 % of 37.5 working hours = 28 h 07 min 30 s: 2 h on Sep 30, 7.5 h on Oct 8, 9 and 10,
    # then 3 h 37 min 30 s on Mon Oct 12 (09:00-12:00 and 13:30-14:07:30).
    assert computed.warn_at == local("2026-10-12 14:07").replace(second=30)


@pytest.mark.django_db
def test_a_january_deadline_of_an_unpublished_year_is_provisional_not_a_crash(official_calendar):
    computed = compute_due(start=local("2026-12-30 10:00"), amount=5, unit="working_days")
    # Jan 1 2027 is a fixed holiday, Jan 2-3 a weekend.
    assert computed.due_at == local("2027-01-07 10:00")
    assert computed.is_provisional is True
    assert "PROVISIONAL: no official calendar for 2027" in computed.trace


@pytest.mark.django_db
def test_a_year_without_any_data_uses_weekends_and_fixed_holidays():
    calendar = WorkCalendar()
    assert calendar.is_working_day(date(2030, 10, 2)) is False  # National Day, fixed
    assert calendar.is_working_day(date(2030, 10, 4)) is True  # a Friday; lunar and swapped days unknown
    assert calendar.provisional_years == {2030}


@pytest.mark.django_db
def test_an_administrator_holiday_changes_the_deadline(official_calendar):
    from city.models import CalendarDay

    CalendarDay.objects.create(date=date(2026, 3, 9), is_working=False, name="City flood day")
    computed = compute_due(start=local("2026-03-06 16:00"), amount=1, unit="working_days")
    assert computed.due_at == local("2026-03-10 16:00")
    assert "03-09 City flood day" in computed.trace


@pytest.mark.django_db
def test_seeding_twice_keeps_an_administrators_correction(official_calendar):
    from city.calendar import calendar_seed
    from city.models import CalendarDay, CalendarSource

    CalendarDay.objects.filter(date=date(2026, 10, 10)).update(
        is_working=False, source=CalendarSource.ADMINISTRATOR, name="corrected"
    )
    counts = calendar_seed()
    assert counts["created"] == 0
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "corrected"


@pytest.mark.django_db
def test_supervisors_are_warned_from_december_first_when_next_year_is_missing(official_calendar):
    from city.models import CalendarDay

    assert calendar_missing_years(today=date(2026, 11, 30)) == []
    assert calendar_missing_years(today=date(2026, 12, 1)) == [2027]
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working=False, name="New Year's Day")
    assert calendar_missing_years(today=date(2026, 12, 1)) == []


def test_work_hours_are_read_strictly_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.env import read_work_hours

    monkeypatch.setenv("WORK_HOURS", "08:30-12:00, 14:00-17:30")
    assert read_work_hours("WORK_HOURS", default="09:00-18:00") == [(510, 720), (840, 1050)]
    for bad in ("9-18", "13:00-12:00", "09:00-12:00,11:00-13:00", "09:00-25:00"):
        monkeypatch.setenv("WORK_HOURS", bad)
        with pytest.raises(ImproperlyConfigured, match="WORK_HOURS"):
            read_work_hours("WORK_HOURS", default="09:00-18:00")


@pytest.mark.django_db
def test_configured_working_hours_change_the_deadline(official_calendar, settings):
    settings.MINSHENG = {**settings.MINSHENG, "WORK_HOURS": [(8 * 60 + 30, 12 * 60), (14 * 60, 17 * 60 + 30)]}
    # 1 working day = 7 h: Fri 16:00-17:30 (1.5 h), then Mon 08:30-12:00 (3.5 h) and 14:00-16:00 (2 h).
    computed = compute_due(start=local("2026-03-06 16:00"), amount=1, unit="working_days")
    assert computed.due_at == local("2026-03-09 16:00")
    assert "08:30-12:00,14:00-17:30" in computed.trace


def _walked_seconds(calendar: WorkCalendar, start, end) -> int:
    """Reference: walk every day of the span and add up its working ranges."""
    from datetime import timedelta

    from django.utils import timezone

    a, b = timezone.localtime(start, calendar.tz), timezone.localtime(end, calendar.tz)
    day, total = a.date(), 0
    while day <= b.date():
        if calendar.is_working_day(day):
            low = a.hour * 3600 + a.minute * 60 + a.second if day == a.date() else 0
            high = b.hour * 3600 + b.minute * 60 + b.second if day == b.date() else 86400
            total += sum(max(0, min(e, high) - max(s, low)) for s, e in calendar.ranges)
        day += timedelta(days=1)
    return total


def test_working_seconds_between_matches_a_day_by_day_walk_over_holidays(official_calendar):
    import random
    from datetime import timedelta

    rng = random.Random(7)
    calendar = WorkCalendar()  # one calendar for every span, as a CSV export uses it
    origin = local("2025-12-20 00:00")
    for _ in range(300):
        start = origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
        end = start + timedelta(minutes=rng.choice([rng.randrange(0, 600), rng.randrange(0, 60 * 24 * 120)]))
        assert calendar.working_seconds_between(start, end) == _walked_seconds(WorkCalendar(), start, end)
    # Spans read backwards from an earlier anchor extend the running sums the other way.
    # New Year's Day off, Thursday Jan 2 whole (7.5 h), Friday Jan 3 09:00-10:00.
    assert calendar.working_seconds_between(local("2025-01-01 00:00"), local("2025-01-03 10:00")) == 8.5 * 3600


def test_working_seconds_between_is_the_inverse_of_add_working(official_calendar):
    calendar = WorkCalendar()
    start = local("2026-09-30 16:00")
    for seconds in (60, 2 * 3600, 7.5 * 3600, 5 * 7.5 * 3600, 40 * 7.5 * 3600):
        assert calendar.working_seconds_between(start, calendar.add_working(start, seconds)) == seconds
    assert calendar.working_seconds_between(local("2026-10-01 09:00"), local("2026-10-07 18:00")) == 0
