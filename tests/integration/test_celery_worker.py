"""A real Celery worker, on the same broker and database as the portal, runs our tasks."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.integration.conftest import celery_worker, database_url_for_test_db, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_real_worker_routes_a_submission_end_to_end(city):
    from city.models import Category
    from feedback.models import Status, Submission
    from feedback.services import submission_create

    env = {"DATABASE_URL": database_url_for_test_db()}
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    with celery_worker(env=env) as worker:
        category = Category.objects.get(code="water.supply")
        submission, secret, created = submission_create(
            data={"kind": "complaint", "category": category, "title": "停水三天", "text": "小区停水三天了"},
        )
        assert created and secret
        routed = wait_for(
            lambda: Submission.objects.filter(pk=submission.pk).exclude(status=Status.SUBMITTED).first(), timeout=40
        )
        if not routed:
            worker.terminate()
            pytest.fail("worker did not route the case:\n" + (worker.stdout.read() if worker.stdout else ""))
    assert routed.status == Status.ASSIGNED
    assert routed.lead_department.code == "SWJ"
    assert routed.events.filter(action="route").count() == 1


def test_ci_runs_against_redis_and_postgres():
    """In CI the suite must use the real services, never silently fall back."""
    if not os.environ.get("CI"):
        pytest.skip("only meaningful in CI")
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_the_worker_routes_and_mails_from_the_outbox_within_seconds(city):
    """No broker publish in the request: the worker's listener turns the commit into routing and the e-mail."""
    import time

    from city.models import Category
    from feedback.models import Notification, Status, Submission
    from feedback.services import submission_create

    env = {"DATABASE_URL": database_url_for_test_db()}
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    category = Category.objects.get(code="water.supply")
    data = {"kind": "complaint", "category": category, "title": "停水三天", "text": "小区停水三天了"}
    with celery_worker(env=env) as worker:
        first, _secret, _created = submission_create(data=data)  # also waits for the worker to start
        if not wait_for(lambda: Submission.objects.exclude(status=Status.SUBMITTED).filter(pk=first.pk).first(), 40):
            worker.terminate()
            pytest.fail("worker did not route the case:\n" + (worker.stdout.read() if worker.stdout else ""))
        started = time.monotonic()
        second, _secret, _created = submission_create(data={**data, "email": "citizen@example.com"})
        routed = wait_for(lambda: Submission.objects.exclude(status=Status.SUBMITTED).filter(pk=second.pk).first(), 10)
        routed_after = time.monotonic() - started
        mailed = wait_for(
            lambda: Notification.objects.filter(
                event__submission=second, recipient_email="citizen@example.com", sent_at__isnull=False
            ).first(),
            10,
        )
    assert routed and routed.status == Status.ASSIGNED
    assert routed_after < 5  # seconds: the listener, not the minute-long sweep
    assert mailed and mailed.recipient_email == "citizen@example.com"
