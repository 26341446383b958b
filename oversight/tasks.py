from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from oversight.services import digest_send, rollup_refresh


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_rollup(days: int = 2) -> int:
    """Recompute the last ``days`` local days (today included); safe to run twice."""
    today = timezone.localdate()
    return rollup_refresh(first_day=today - timedelta(days=days - 1), last_day=today)


@shared_task(acks_late=True)
def send_weekly_digest() -> int:
    """On Mondays, the previous seven local days to every supervisor.

    Beat runs it hourly so a missed hour is caught up; ``DigestRun`` makes it once per week.
    """
    today = timezone.localdate()
    if today.weekday() != 0:
        return 0
    return digest_send(first_day=today - timedelta(days=7), last_day=today - timedelta(days=1))
