"""Celery tasks of casework: the e-mail deliveries to departments that work by e-mail."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from casework.email_links import email_delivery_attempt
from casework.models import DeliveryStatus, EmailDelivery


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_assignment_email(delivery_id: int) -> str:
    """Idempotent: a delivery already sent, failed or not yet due is left alone."""
    return email_delivery_attempt(delivery_id=delivery_id)


def deliver_assignment_email_later(delivery_id: int) -> None:
    """Enqueue one delivery (registered with ``casework.email_links.email_deliverer``)."""
    deliver_assignment_email.delay(delivery_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def email_delivery_sweep(limit: int = 200) -> int:
    """Send deliveries that are due again (backoff) or whose message was lost."""
    ids = list(
        EmailDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_delivery_attempt(delivery_id=pk) == "sent" for pk in ids)
