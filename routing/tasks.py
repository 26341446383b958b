"""Thin Celery tasks over routing services (on ``deadlines.tasks.ReliableTask``: idempotent, bounded retries)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from deadlines.tasks import ReliableTask
from feedback.models import Status, Submission
from feedback.services import submission_received_react
from routing.selectors import routing_training_rows
from routing.services import router_train, submission_route

log = logging.getLogger(__name__)


@shared_task(base=ReliableTask)
def route_submission(submission_id: int) -> bool:
    """Idempotent: a case already routed is left alone. The intake's reactions (its e-mail) run first."""
    submission_received_react(submission_id=submission_id)
    return submission_route(submission_id=submission_id) is not None


@shared_task(base=ReliableTask)
def route_unrouted_sweep(older_than_seconds: int = 30, limit: int = 500) -> int:
    """Route what a lost message left behind (status still 'submitted')."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Submission.objects.filter(status=Status.SUBMITTED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(route_submission(pk) for pk in ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1900)
def train_router_nightly() -> int:
    """Retrain the suggester on closed cases; workers pick the new file up on their next check."""

    rows = routing_training_rows()
    if not rows:
        return 0
    router_train(rows=rows)
    return len(rows)
