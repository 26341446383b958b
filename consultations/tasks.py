"""Thin periodic tasks: close what is due, climb the answer ladder, send notices. All idempotent."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from consultations.deadlines import escalations_sweep
from consultations.notices import notice_send, notices_unsent
from consultations.services import consultations_anonymise, consultations_close_due
from deadlines.tasks import ReliableTask


@shared_task(base=ReliableTask)
def consultations_sweep(now: str | None = None) -> dict[str, int]:
    """Close consultations past their closing time, record the answer deadline's warnings and escalations,
    and forget personal data that is no longer needed."""
    moment = datetime.fromisoformat(now) if now else None
    closed = consultations_close_due(now=moment)
    escalations = escalations_sweep(now=moment)
    return {"closed": closed, "escalations": escalations, "anonymised": consultations_anonymise(now=moment)}


@shared_task(base=ReliableTask)
def send_notices(ids: list[int]) -> int:
    return sum(notice_send(pk) for pk in ids)


def send_notices_later(ids: list[int]) -> None:
    """Enqueue a batch of notices (registered with ``consultations.notices.notices_sender``)."""
    send_notices.delay(ids)


@shared_task(base=ReliableTask)
def send_pending_notices_sweep() -> int:
    """Notices whose message was lost (broker outage, dead worker)."""
    return sum(notice_send(pk) for pk in notices_unsent())
