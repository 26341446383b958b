from __future__ import annotations

from celery import shared_task

from feedback.access_codes import access_code_deliver, access_codes_purge
from feedback.models import Notification
from feedback.notifications import MAX_ATTEMPTS, TRANSIENT_DELIVERY_ERRORS, notification_send
from feedback.retention import submissions_anonymise_closed
from portal.task_policy import RELIABLE, TRANSIENT_MAIL_ERRORS, retrying


def _send_each(notification_ids: list[int]) -> tuple[int, BaseException | None]:
    """Try every row (one failing provider must not hold back the others); the first transient failure."""
    sent, failure = 0, None
    for pk in notification_ids:
        try:
            sent += notification_send(pk)
        except TRANSIENT_DELIVERY_ERRORS as exc:  # recorded on the row
            failure = failure or exc
    return sent, failure


@shared_task(**retrying(*TRANSIENT_MAIL_ERRORS))
def send_notifications(notification_ids: list[int]) -> int:
    # A retry runs the whole list again: rows already sent are skipped (sent_at), so each goes out once.
    sent, failure = _send_each(notification_ids)
    if failure is not None:
        raise failure
    return sent


def send_notifications_later(notification_ids: list[int]) -> None:
    """Enqueue a batch (registered with ``feedback.notifications.notifications_sender``)."""
    send_notifications.delay(notification_ids)


@shared_task(**RELIABLE)
def send_pending_notifications_sweep() -> int:
    """Send what a lost message (or a provider outage) left behind."""
    ids = list(
        Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)[:500]
    )
    return _send_each(ids)[0]


@shared_task(**retrying(*TRANSIENT_MAIL_ERRORS))
def deliver_access_code(code_id: int, kind: str, value: str, language: str) -> bool:
    """Send a "my cases" code if the contact has cases (the request did not look, so as not to tell)."""
    return access_code_deliver(code_id=code_id, kind=kind, value=value, language=language)


@shared_task(**RELIABLE)
def purge_access_codes() -> int:
    return access_codes_purge()


@shared_task(**RELIABLE)
def anonymise_closed_cases() -> int:

    return submissions_anonymise_closed()
