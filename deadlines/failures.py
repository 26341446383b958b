"""A task that failed for good leaves a visible row (``TaskFailure``) that supervisors see on the deadline board."""

from __future__ import annotations

import logging

from deadlines.models import TaskFailure

log = logging.getLogger(__name__)


def task_failure_record(*, task_name: str, task_id: str, arguments: str, error: BaseException) -> None:
    """Leave a visible trace of a task that failed for good. Never raises (the database may be the cause)."""

    log.error("task %s (%s) failed for good: %r", task_name, task_id, error)
    try:
        TaskFailure.objects.create(
            task_name=task_name[:200], task_id=task_id[:64], arguments=arguments[:2000], error=repr(error)[:4000]
        )
    except Exception:  # noqa: BLE001 - the alert must not hide the original failure
        log.exception("could not record the failure of task %s", task_name)
