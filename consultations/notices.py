"""E-mails to citizens and staff about consultation events: rows now, sent once after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from consultations.models import ConsultationEvent, Notice

log = logging.getLogger(__name__)


def notices_create(*, event: ConsultationEvent, recipients: Iterable[tuple[str, str]], subject_body) -> list[int]:
    """One notice per address for ``event``; ``subject_body(language)`` words it. Never twice (unique key).

    ``recipients`` are (address, language) pairs; blank addresses are skipped.
    """
    rows = []
    seen: set[str] = set()
    for address, language in recipients:
        address = (address or "").strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        with translation.override(language or settings.LANGUAGE_CODE):
            subject, body = subject_body()
        rows.append(Notice(event=event, recipient_email=address, subject=str(subject)[:200], body=str(body)))
    # ON CONFLICT DO NOTHING: an address already told about this event is not told twice.
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(Notice.objects.filter(event=event, sent_at__isnull=True).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


# What hands notice ids to a worker: the Celery task's ``delay``, registered by ``ConsultationsConfig.ready``
# (this module never imports the task module above it). Without one, the sweep sends them.
_senders: list[Callable[[list[int]], object]] = []


def notices_sender(send: Callable[[list[int]], object]) -> None:
    """Register the function that enqueues a batch of notice ids (the last one registered wins)."""
    _senders[:] = [send]


def _enqueue(ids: list[int]) -> None:
    try:
        for send in _senders:
            send(ids)
    except Exception:  # noqa: BLE001 - a broker outage leaves the rows for the sweep
        log.warning("broker unavailable; %d consultation notices left for the sweep", len(ids))


def notice_send(notice_id: int) -> bool:
    """Send one notice if it is still unsent; a second call does nothing."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update(skip_locked=True).filter(pk=notice_id, sent_at__isnull=True).first()
        if notice is None:
            return False
        notice.attempts += 1
        send_mail(notice.subject, notice.body, None, [notice.recipient_email], fail_silently=False)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at", "attempts"])
        return True


def notices_unsent(limit: int = 500) -> list[int]:
    return list(
        Notice.objects.filter(sent_at__isnull=True, attempts__lt=5)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
