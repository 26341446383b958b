"""Who hears about an event, and sending it exactly once after commit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from feedback.models import CaseEvent, Notification, Submission
from feedback.workflow import Action, action_label
from portal.outbox import outbox_notify_sql
from portal.rawinsert import insert_parts

log = logging.getLogger(__name__)

# Who else hears about an event: registered by higher apps (``routing`` adds the staff) at start-up.
RecipientSource = Callable[[CaseEvent], list[Notification]]
_recipient_sources: list[RecipientSource] = []


def add_recipients(source: RecipientSource) -> None:
    """Register a function that returns the unsaved notification rows of an event (idempotent)."""
    if source not in _recipient_sources:
        _recipient_sources.append(source)


def notify_event(submission: Submission, event: CaseEvent, now: datetime) -> None:
    """The ``workflow.on_event`` hook: every event's notifications."""
    enqueue_for_event(event)


def enqueue_for_event(event: CaseEvent) -> None:
    """Create the notification rows now, in one statement; a worker sends them after commit.

    ``ON CONFLICT DO NOTHING`` against ``notification_once`` makes a second
    call record nothing (no savepoint per row), and the same statement
    announces the new rows through the outbox (``portal.outbox``): the
    worker's listener hands them to ``send_notifications`` once the
    transaction commits; the notification sweep sends whatever it missed.
    """
    rows = _notifications_for(event)
    for source in _recipient_sources:
        rows += source(event)
    if not rows:
        return
    columns = ""
    values: list[str] = []
    params: list = []
    for row in rows:
        columns, placeholders, row_params = insert_parts(row)
        values.append(f"({placeholders})")
        params += row_params
    statement = f"""
        WITH created AS (
            INSERT INTO {Notification._meta.db_table} ({columns}) VALUES {", ".join(values)}
            ON CONFLICT DO NOTHING RETURNING id)
        SELECT {outbox_notify_sql("'n:' || string_agg(id::text, ',')")} FROM created HAVING count(*) > 0
    """
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# What hands notification ids to a worker: the Celery task's ``delay``, registered by ``FeedbackConfig.ready``
# (so this service never imports the task module above it). Without one, rows wait for the sweep.
_senders: list[Callable[[list[int]], object]] = []


def notifications_sender(send: Callable[[list[int]], object]) -> None:
    """Register the function that enqueues a batch of notification ids (the last one registered wins)."""
    _senders[:] = [send]


def notifications_enqueue(ids: list[int], *, batch: int = 500) -> None:
    """Hand notification ids to a worker in batches. Never raises: a broker outage leaves the rows for the sweep."""
    for start in range(0, len(ids), batch):
        try:
            for send in _senders:
                send(ids[start : start + batch])
        except Exception:  # noqa: BLE001 - any broker error must not break the request or the sweep
            log.warning("broker unavailable; %d notifications left for the sweep", len(ids) - start)
            return


def _notifications_for(event: CaseEvent) -> list[Notification]:
    submission = event.submission
    rows: list[Notification] = []
    if event.is_public and submission.email:
        with translation.override(submission.language or settings.LANGUAGE_CODE):
            subject = _("Your case %(number)s: %(what)s") % {
                "number": submission.tracking_number,
                "what": action_label(event.action),
            }
            if event.action == Action.SUBMIT:
                body = _received_body(submission)
            else:
                body = _("The status of your case %(number)s changed: %(what)s.") % {
                    "number": submission.tracking_number,
                    "what": action_label(event.action),
                }
        rows.append(
            Notification(
                event=event,
                recipient_email=submission.email,
                subject=subject,
                body=body,
                created_at=event.created_at,
            )
        )
    return rows


def _received_body(submission) -> str:
    """The confirmation email. It never holds the secret: rows and mail servers keep copies."""
    return _(
        "We received your submission “%(title)s”.\n\n"
        "Tracking number: %(number)s\n\n"
        "Follow it at %(url)s with the tracking number and the secret code shown when you submitted."
    ) % {
        "title": submission.title,
        "number": submission.tracking_number,
        "url": settings.SITE_URL.rstrip("/") + "/track/",
    }


def notification_send(notification_id: int) -> bool:
    """Send one notification if it is still unsent. Safe to call twice.

    When the database goes away after the mail server accepted the message but
    before ``sent_at`` is committed, the sent mark is retried on a fresh
    connection for up to ``MARK_SENT_RETRY_SECONDS`` so the sweep does not mail
    it again (a PostgreSQL restart takes about a second).
    """
    handed_over = False
    try:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk=notification_id, sent_at__isnull=True)
                .first()
            )
            if note is None:
                return False
            address = note.recipient_email or (note.recipient.email if note.recipient else "")
            note.attempts += 1
            if note.channel == "email" and address:
                send_mail(note.subject, note.body, None, [address], fail_silently=False)
            handed_over = True
            note.sent_at = timezone.now()
            note.save(update_fields=["sent_at", "attempts"])
            return True
    except DATABASE_GONE:
        if not handed_over:
            raise
        _mark_sent_after_outage(notification_id)
        return True


DATABASE_GONE = (OperationalError, InterfaceError)
MARK_SENT_RETRY_SECONDS = 30.0


def _mark_sent_after_outage(notification_id: int) -> None:
    deadline = time.monotonic() + MARK_SENT_RETRY_SECONDS
    delay = 0.25
    while True:
        connection.close()  # the broken connection; the next query opens a new one
        try:
            Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1
            )
            log.warning("notification %s marked sent after a database outage", notification_id)
            return
        except DATABASE_GONE:
            if time.monotonic() + delay > deadline:
                log.error("notification %s was mailed but could not be marked sent", notification_id)
                raise
            time.sleep(delay)
            delay = min(delay * 2, 4.0)
