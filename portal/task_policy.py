"""The one retry policy of every Celery task (house style 5).

Tasks take ids, are idempotent, are acknowledged late and re-queued when a worker dies; they retry
only named transient errors, at most ``max_retries`` times with exponential, jittered backoff.
"""

from __future__ import annotations

import smtplib

from django.db import InterfaceError, OperationalError

TRANSIENT_DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
TRANSIENT_MAIL_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)

# Options for tasks that run again safely (every task here).
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}
# ... and for those that retry: pass ``autoretry_for`` with the transient errors of what they touch.
RETRY = {**RELIABLE, "retry_backoff": 2, "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}


def retrying(*transient: type[BaseException]) -> dict:
    """``shared_task`` options: the one retry policy, on the given transient errors only."""
    return {**RETRY, "autoretry_for": tuple(transient)}
