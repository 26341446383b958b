"""Thin Celery tasks over routing services.

Every task here is idempotent (safe to run twice, safe to redeliver after a
worker dies: ``acks_late`` with ``reject_on_worker_lost``), retries only on
named transient database errors with a bounded backoff, and a task that still
fails is recorded as a ``TaskFailure`` row that supervisors see, instead of
looping. Deadlines are never Celery countdowns: the database holds ``due_at``
and the periodic sweep reads it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import Task, shared_task
from django.utils import timezone

from feedback.models import Status, Submission
from feedback.services import submission_received_react
from portal.task_policy import RETRY, TRANSIENT_DATABASE_ERRORS
from routing import escalation
from routing.selectors import routing_training_rows
from routing.services import router_train, submission_route, task_failure_record

log = logging.getLogger(__name__)
TRANSIENT_ERRORS = TRANSIENT_DATABASE_ERRORS


class ReliableTask(Task):
    """Base for idempotent tasks: late ack, bounded retries on transient errors, visible final failure."""

    abstract = True
    acks_late = RETRY["acks_late"]
    reject_on_worker_lost = RETRY["reject_on_worker_lost"]
    autoretry_for = TRANSIENT_DATABASE_ERRORS
    retry_backoff = RETRY["retry_backoff"]
    retry_backoff_max = RETRY["retry_backoff_max"]
    retry_jitter = RETRY["retry_jitter"]
    max_retries = RETRY["max_retries"]

    def on_failure(self, exc, task_id, args, kwargs, einfo):  # noqa: D401 - Celery hook
        task_failure_record(task_name=self.name, task_id=task_id or "", arguments=repr((args, kwargs)), error=exc)


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


@shared_task(base=ReliableTask)
def deadline_sweep(now: str | None = None) -> dict[str, int]:
    """Warnings, escalations and not-rated closes due at ``now`` (ISO 8601; default: the current time)."""

    moment = datetime.fromisoformat(now) if now else None
    return escalation.deadlines_sweep(now=moment).as_dict()  # looked up at call time: tests replace it
