"""Celery tasks of the deadlines: the periodic sweep, and the base every reliable task uses.

Every task on ``ReliableTask`` is idempotent (safe to run twice, safe to redeliver after a
worker dies: ``acks_late`` with ``reject_on_worker_lost``), retries only on
named transient database errors with a bounded backoff, and a task that still
fails is recorded as a ``TaskFailure`` row that supervisors see, instead of
looping. Deadlines are never Celery countdowns: the database holds ``due_at``
and the periodic sweep reads it.
"""

from __future__ import annotations

from datetime import datetime

from celery import Task, shared_task

from deadlines import escalation
from deadlines.failures import task_failure_record
from portal.task_policy import RETRY, TRANSIENT_DATABASE_ERRORS

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


# The name it had before the app split: beat schedules and queued messages keep working.
@shared_task(base=ReliableTask, name="routing.tasks.deadline_sweep")
def deadline_sweep(now: str | None = None) -> dict[str, int]:
    """Warnings, escalations and not-rated closes due at ``now`` (ISO 8601; default: the current time)."""

    moment = datetime.fromisoformat(now) if now else None
    return escalation.deadlines_sweep(now=moment).as_dict()  # looked up at call time: tests replace it
