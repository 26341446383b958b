from __future__ import annotations

from celery import shared_task

from feedback.models import Notification
from feedback.notifications import notification_send
from feedback.retention import submissions_anonymise_closed
from portal.task_policy import RELIABLE, TRANSIENT_MAIL_ERRORS, retrying


@shared_task(**retrying(*TRANSIENT_MAIL_ERRORS))
def send_notifications(notification_ids: list[int]) -> int:
    return sum(notification_send(pk) for pk in notification_ids)


def send_notifications_later(notification_ids: list[int]) -> None:
    """Enqueue a batch (registered with ``feedback.notifications.notifications_sender``)."""
    send_notifications.delay(notification_ids)


@shared_task(**RELIABLE)
def send_pending_notifications_sweep() -> int:
    """Send what a lost message left behind."""
    ids = list(Notification.objects.filter(sent_at__isnull=True, attempts__lt=5).values_list("pk", flat=True)[:500])
    return sum(notification_send(pk) for pk in ids)


@shared_task(**RELIABLE)
def anonymise_closed_cases() -> int:

    return submissions_anonymise_closed()
