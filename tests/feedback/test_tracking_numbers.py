"""Tracking numbers stay unique when many citizens submit at the same moment."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from feedback.models import Submission


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_get_twenty_unique_numbers(city):
    from feedback import services

    services._DAYS_WITH_SEQUENCE.clear()  # all threads race to create the day's sequence too
    from city.models import District
    from feedback.services import submission_create

    district = District.objects.get(code="dongcheng")
    barrier = threading.Barrier(20)
    results, errors = [], []

    def submit(i: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            submission, secret, created = submission_create(
                data={
                    "kind": "complaint",
                    "title": f"并发{i}",
                    "text": "内容",
                    "district": district,
                    "phone": "13800000000",
                },
                client_token=f"concurrency-token-{i:04d}",
            )
            results.append((submission.tracking_number, secret, created))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    numbers = [number for number, _, _ in results]
    assert len(numbers) == 20 and len(set(numbers)) == 20
    assert all(re.fullmatch(r"QH\d{8}-\d{6}", n) for n in numbers)
    serials = sorted(int(n[-6:]) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 20))  # no gaps, no repeats
    assert Submission.objects.count() == 20  # none lost


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_post_with_one_token_creates_one_submission(city):
    from city.models import District
    from feedback.services import submission_create

    district = District.objects.get(code="dongcheng")
    barrier = threading.Barrier(8)
    results = []

    def submit() -> None:
        from django.db import connections

        try:
            barrier.wait()
            results.append(
                submission_create(
                    data={"kind": "complaint", "title": "双击", "text": "内容", "district": district, "phone": "1"},
                    client_token="double-click-token-0001",
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Submission.objects.count() == 1
    assert len(results) == 8
    assert sum(created for _, _, created in results) == 1
    assert len({s.pk for s, _, _ in results}) == 1


@pytest.mark.django_db(transaction=True)
def test_day_sequence_starts_after_numbers_already_given(city):
    """A day's sequence created after numbers were given that day (e.g. a restore) starts after them."""
    from datetime import date

    from feedback import services

    day = date(2031, 1, 2)
    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE IF EXISTS feedback_tracking_20310102")
    services._DAYS_WITH_SEQUENCE.clear()
    Submission.objects.create(
        tracking_number="QH20310102-000041", secret_hash="x", kind="complaint", title="t", text="t"
    )
    assert services.tracking_number_next(day=day) == "QH20310102-000042"
    assert services.tracking_number_next(day=day) == "QH20310102-000043"
    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE IF EXISTS feedback_tracking_20310102")
