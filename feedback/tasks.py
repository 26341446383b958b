from __future__ import annotations

import smtplib

from celery import shared_task

from feedback.models import Notification
from feedback.notifications import notification_send

TRANSIENT_MAIL_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


@shared_task(
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_notifications(notification_ids: list[int]) -> int:
    return sum(notification_send(pk) for pk in notification_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_pending_notifications_sweep() -> int:
    """Send what a lost message left behind."""
    ids = list(Notification.objects.filter(sent_at__isnull=True, attempts__lt=5).values_list("pk", flat=True)[:500])
    return sum(notification_send(pk) for pk in ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def anonymise_closed_cases() -> int:
    from feedback.retention import submissions_anonymise_closed

    return submissions_anonymise_closed()
