from __future__ import annotations

from datetime import timedelta

import pytest

from deadlines.models import Deadline, Step
from oversight.kpis import department_kpis, ranking
from oversight.services import rollup_refresh
from tests.oversight import drive as d
from tests.oversight.conftest import DAY

pytestmark = pytest.mark.django_db

EXPECTED = {
    # The returned case's sign-for clock is paused by the return (not closed), so it is not judged.
    "response": (1, 3),
    "on_time_reply": (5, 8),
    "resolution": (2, 4),
    "satisfaction": (3, 4),
    "return": (1, 5),
    "extension": (2, 5),
}


def fractions(row) -> dict:
    return {key: (rate.numerator, rate.denominator) for key, rate in row.rates.items()}


def test_every_formula_gives_the_known_answer_on_a_day_worked_through_the_services(known_day):
    rows = department_kpis(DAY, DAY, now=known_day["now"])
    cgj = rows[known_day["cgj"].pk]
    assert fractions(cgj) == EXPECTED
    assert cgj.rates["response"].value == pytest.approx(1 / 3)
    assert cgj.facts["reply_last_tenth"] == 1  # replied in time, but in the last tenth of its window
    assert cgj.handled == 6
    # Read from hourly buckets: within one bucket width (1 h) of percentile_cont on the cases.
    assert cgj.median_hours == pytest.approx(9.0, abs=1)
    assert cgj.p90_hours == pytest.approx(14.5, abs=1)


def test_exact_handling_percentiles_match_percentile_cont(known_day):
    from oversight.kpis import handling_percentiles, local_midnight

    exact = handling_percentiles(local_midnight(DAY), local_midnight(DAY + timedelta(days=1)))
    assert exact[known_day["cgj"].pk] == (6, pytest.approx(9.0), pytest.approx(14.5))


@pytest.mark.parametrize(
    ("hours", "bucket", "width"),
    [(0.2, 0, 1), (47.9, 47, 1), (50, 48, 6), (239, 234, 6), (300, 288, 24), (5000, 1440, 0)],
)
def test_handling_buckets_are_hourly_then_coarser(hours, bucket, width):
    from oversight.kpis import bucket_of, bucket_width

    assert bucket_of(hours) == bucket
    assert bucket_width(bucket) == width


def test_histogram_percentile_interpolates_between_bucket_midpoints():
    from oversight.kpis import histogram_percentile

    assert histogram_percentile({}, 0.5) is None
    assert histogram_percentile({10: 1}, 0.9) == 10.5
    assert histogram_percentile({2: 1, 4: 1, 6: 1, 10: 1}, 0.5) == pytest.approx(5.5)
    assert histogram_percentile({48: 3, 54: 1}, 0.5) == pytest.approx(51.0)


def test_city_row_sums_the_departments(known_day):
    rows = department_kpis(DAY, DAY, now=known_day["now"])
    city = rows[None]
    assert city.facts["assigned"] == 7  # five CGJ, two transferred to ZJJ
    assert city.rates["return"].denominator == 7
    assert city.median_hours == pytest.approx(9.0, abs=1)


def test_rollup_of_closed_days_gives_the_same_answers_as_live(known_day, later):
    assert rollup_refresh(first_day=DAY, last_day=DAY) == 2
    rows = department_kpis(DAY, DAY, now=later)
    # Refreshed days later, the 19:00 case is judged too: overdue, never signed for.
    assert fractions(rows[known_day["cgj"].pk]) == {**EXPECTED, "response": (1, 4)}


def test_rollup_refresh_twice_writes_the_same_rows(known_day):
    from oversight.models import DepartmentDay

    rollup_refresh(first_day=DAY, last_day=DAY)
    first = list(DepartmentDay.objects.order_by("department_id").values("department_id", "assigned", "reply_in_time"))
    rollup_refresh(first_day=DAY, last_day=DAY)
    again = list(DepartmentDay.objects.order_by("department_id").values("department_id", "assigned", "reply_in_time"))
    assert first == again and len(again) == 2


def test_recent_period_with_only_open_overdue_cases_is_zero_not_perfect(departments):
    cgj, _zjj = departments
    d.clock_policies()
    today = DAY + timedelta(days=10)
    d.case(cgj, created=d.at(today, 9 - d.REPLY_HOURS), signed=d.at(today, 9 - d.REPLY_HOURS))  # reply due 09:00
    d.case(cgj, created=d.at(today, 6))  # sign-for due 08:00
    rows = department_kpis(today, today, now=d.at(today, 12))
    assert rows[cgj.pk].rates["on_time_reply"].value == 0.0
    assert rows[cgj.pk].rates["response"].value == 0.0


def test_cases_still_inside_their_window_are_not_judged(departments):
    cgj, _zjj = departments
    d.clock_policies()
    d.case(cgj, created=d.at(DAY, 23 - d.REPLY_HOURS), signed=d.at(DAY, 23 - d.REPLY_HOURS))  # reply due 23:00
    rows = department_kpis(DAY, DAY, now=d.at(DAY, 12))
    assert rows.get(cgj.pk) is None or rows[cgj.pk].rates["on_time_reply"].denominator == 0


def test_department_below_minimum_sample_is_listed_apart_not_ranked(known_day):
    rows = department_kpis(DAY, DAY, now=known_day["now"])
    ranked, apart = ranking(rows, by="on_time_reply")
    assert [r.department_id for r in ranked] == [known_day["cgj"].pk]
    assert [r.department_id for r in apart] == [known_day["zjj"].pk]


def test_minimum_sample_setting_moves_a_department_out_of_the_ranking(known_day, settings):
    settings.OVERSIGHT_KPI_MIN_SAMPLE = 9  # CGJ's largest denominator is 8 replies judged
    ranked, apart = ranking(department_kpis(DAY, DAY, now=known_day["now"]))
    assert ranked == []
    assert {r.department_id for r in apart} == {known_day["cgj"].pk, known_day["zjj"].pk}


def test_kpis_run_a_bounded_number_of_queries_whatever_the_number_of_departments(
    known_day, later, django_assert_max_num_queries
):
    rollup_refresh(first_day=DAY - timedelta(days=5), last_day=DAY)
    with django_assert_max_num_queries(13):
        department_kpis(DAY - timedelta(days=5), later.date(), now=later)


def test_today_is_read_from_the_rollup_up_to_its_refresh_and_live_after(departments):
    from oversight.models import RollupState

    cgj, _zjj = departments
    d.clock_policies()
    today = DAY + timedelta(days=20)
    signed = d.at(today, 12 - d.REPLY_HOURS)
    early, later = (d.case(cgj, created=signed, signed=signed) for _ in range(2))
    d.reply(early, d.at(today, 9))
    rollup_refresh(first_day=today, last_day=today, now=d.at(today, 10))
    # From here on, only the rollup knows about the 09:00 reply.
    Deadline.objects.filter(submission=early, step=Step.REPLY).delete()
    assert RollupState.objects.get().today_until == d.at(today, 10) - timedelta(minutes=2)
    # A reply after the refresh: read live. Nothing is counted twice.
    d.reply(later, d.at(today, 11))
    rows = department_kpis(today, today, now=d.at(today, 11.5))
    assert fractions(rows[cgj.pk])["on_time_reply"] == (2, 2)
    # Without the rollup state, today is read live from midnight: the 09:00 reply is gone.
    RollupState.objects.all().delete()
    assert fractions(department_kpis(today, today, now=d.at(today, 11.5))[cgj.pk])["on_time_reply"] == (1, 1)


def test_beat_task_refreshes_recent_days_and_is_safe_to_run_twice(departments, settings):
    from oversight.models import DepartmentDay
    from oversight.tasks import refresh_rollup

    cgj, _zjj = departments
    from django.utils import timezone

    today = timezone.localdate()
    d.case(cgj, created=d.at(today - timedelta(days=1), 10))
    assert "oversight-refresh-rollup" in settings.CELERY_BEAT_SCHEDULE
    refresh_rollup(days=2)
    refresh_rollup(days=2)
    assert DepartmentDay.objects.get(department=cgj, day=today - timedelta(days=1)).assigned == 1
