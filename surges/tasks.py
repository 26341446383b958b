from __future__ import annotations

from celery import shared_task

from portal.task_policy import TRANSIENT_MAIL_ERRORS, retrying
from surges import services
from surges.models import SurgeAlertNotification
from surges.services import surge_notification_send, surge_scan


@shared_task(acks_late=True, reject_on_worker_lost=True)
def surge_scan_task() -> int:
    """Beat job: detect surges from the database; idempotent (returns alerts created)."""
    return len(surge_scan().created)


@shared_task(**retrying(*TRANSIENT_MAIL_ERRORS))
def send_surge_notifications(notification_ids: list[int]) -> int:
    return sum(surge_notification_send(notification_id=pk) for pk in notification_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_pending_surge_notifications_sweep() -> int:
    """Send what a lost message left behind."""
    ids = list(
        SurgeAlertNotification.objects.filter(sent_at__isnull=True, attempts__lt=5).values_list("pk", flat=True)[:500]
    )
    return sum(surge_notification_send(notification_id=pk) for pk in ids)


# Late-bound, so a test that replaces ``send_surge_notifications.delay`` is obeyed.
services.notices_enqueue_register(lambda ids: send_surge_notifications.delay(ids))
