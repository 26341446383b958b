"""Celery tasks of casework (registered through CELERY_IMPORTS)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_assignment_email(delivery_id: int) -> str:
    """Idempotent: a delivery already sent, failed or not yet due is left alone."""
    from routing.casework.email_links import email_delivery_attempt

    return email_delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def email_delivery_sweep(limit: int = 200) -> int:
    """Send deliveries that are due again (backoff) or whose message was lost."""
    from routing.casework.email_links import email_delivery_attempt
    from routing.models import DeliveryStatus, EmailDelivery

    ids = list(
        EmailDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_delivery_attempt(delivery_id=pk) == "sent" for pk in ids)
