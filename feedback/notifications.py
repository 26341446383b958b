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

from feedback.citizen_access import redact
from feedback.models import CaseEvent, Notification, Submission
from feedback.sms import SmsRejected, SmsTransientError, sms_send
from feedback.workflow import Action, action_label
from portal.outbox import outbox_in_process, outbox_notify_sql
from portal.rawinsert import insert_parts
from portal.task_policy import TRANSIENT_MAIL_ERRORS

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
            ON CONFLICT DO NOTHING RETURNING id),
        announced AS (SELECT 'n:' || string_agg(id::text, ',') AS payload FROM created HAVING count(*) > 0)
        SELECT payload, {outbox_notify_sql("payload")} FROM announced
    """
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        announced = cursor.fetchone()
    outbox_in_process(announced[0] if announced else None)


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


# What the citizen is told by text message as well (each SMS costs money and attention): receipt with the
# link, a request for material, the reply, and the end of the case.
SMS_ACTIONS = frozenset({Action.SUBMIT, Action.REQUEST_MATERIAL, Action.REPLY, Action.CLOSE_NOT_RATED, Action.WITHDRAW})
# Public events the citizen made themselves and needs no message about.
CITIZEN_OWN_ACTIONS = frozenset({Action.URGE})


def _notifications_for(event: CaseEvent) -> list[Notification]:
    submission = event.submission
    rows: list[Notification] = []
    if not event.is_public or event.action in CITIZEN_OWN_ACTIONS:
        return rows
    # Set in memory by ``submission_create`` for the receipt only; never saved on the event.
    secret = getattr(event, "tracking_secret", None)
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        if submission.email:
            subject = _("Your case %(number)s: %(what)s") % {
                "number": submission.tracking_number,
                "what": action_label(event.action),
            }
            if event.action == Action.SUBMIT:
                body = _received_body(submission, secret)
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
        if submission.phone.startswith("+") and event.action in SMS_ACTIONS:
            rows.append(
                Notification(
                    event=event,
                    channel="sms",
                    recipient_phone=submission.phone,
                    subject=str(action_label(event.action))[:200],
                    body=_sms_body(submission, event, secret),
                    created_at=event.created_at,
                )
            )
    return rows


def tracking_link(tracking_number: str, secret: str | None) -> str:
    """The case's private link (with its secret), or the lookup page when the secret is not at hand."""
    base = settings.SITE_URL.rstrip("/")
    if secret:
        return f"{base}/t/{tracking_number}/{secret}/"
    return f"{base}/track/?n={tracking_number}"


def _received_body(submission, secret: str | None) -> str:
    """The confirmation e-mail, with the private link. The stored copy loses the secret once it is sent."""
    return _(
        "We received your submission “%(title)s”.\n\n"
        "Tracking number: %(number)s\n\n"
        "Follow it here (keep this link private: it opens your case): %(url)s\n\n"
        "Lost the link? Ask for a one-time code at %(my_cases)s with this e-mail address."
    ) % {
        "title": submission.title,
        "number": submission.tracking_number,
        "url": tracking_link(submission.tracking_number, secret),
        "my_cases": settings.SITE_URL.rstrip("/") + "/my-cases/",
    }


def _sms_body(submission, event: CaseEvent, secret: str | None) -> str:
    if event.action == Action.SUBMIT:
        return _("[12345] Case %(number)s received. Follow it: %(url)s") % {
            "number": submission.tracking_number,
            "url": tracking_link(submission.tracking_number, secret),
        }
    return _("[12345] Case %(number)s: %(what)s. See %(url)s") % {
        "number": submission.tracking_number,
        "what": action_label(event.action),
        "url": settings.SITE_URL.rstrip("/") + "/my-cases/",
    }


def notification_send(notification_id: int) -> bool:
    """Send one notification (e-mail or SMS) if it is still unsent. Safe to call twice.

    Each attempt is counted on the row with its error. A transient failure
    (``TRANSIENT_DELIVERY_ERRORS``) is raised after it is recorded, so the
    task retries it; a refusal for good (``SmsRejected``) stops the attempts.
    Once sent, the stored body loses any tracking secret it carried.

    When the database goes away after the mail server or SMS provider accepted
    the message but before ``sent_at`` is committed, the sent mark is retried
    on a fresh connection for up to ``MARK_SENT_RETRY_SECONDS`` so the sweep
    does not send it again (a PostgreSQL restart takes about a second).
    """
    handed_over = False
    failure: BaseException | None = None
    try:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk=notification_id, sent_at__isnull=True)
                .first()
            )
            if note is None:
                return False
            note.attempts += 1
            try:
                _deliver(note)
            except SmsRejected as exc:
                note.attempts = max(note.attempts, MAX_ATTEMPTS)  # the sweep leaves it alone
                note.last_error = str(exc)[:200]
                note.save(update_fields=["attempts", "last_error"])
                log.warning("notification %s refused for good: %s", notification_id, exc)
                return False
            except TRANSIENT_DELIVERY_ERRORS as exc:
                note.last_error = str(exc)[:200] or type(exc).__name__
                note.save(update_fields=["attempts", "last_error"])
                failure = exc
            else:
                handed_over = True
                note.sent_at = timezone.now()
                note.body = redact(note.body)
                note.last_error = ""
                note.save(update_fields=["sent_at", "attempts", "body", "last_error"])
    except DATABASE_GONE:
        if not handed_over:
            raise
        _mark_sent_after_outage(notification_id)
        return True
    if failure is not None:
        raise failure
    return True


# Errors after which the same message may well go through later; the task retries these.
TRANSIENT_DELIVERY_ERRORS: tuple[type[BaseException], ...] = (*TRANSIENT_MAIL_ERRORS, SmsTransientError)
# The sweep stops trying a row after this many attempts (``send_pending_notifications_sweep``).
MAX_ATTEMPTS = 5


def _deliver(note: Notification) -> None:
    if note.channel == "sms":
        if note.recipient_phone:
            sms_send(to=note.recipient_phone, body=note.body)
        return
    address = note.recipient_email or (note.recipient.email if note.recipient else "")
    if note.channel == "email" and address:
        send_mail(note.subject, note.body, None, [address], fail_silently=False)


DATABASE_GONE = (OperationalError, InterfaceError)
MARK_SENT_RETRY_SECONDS = 30.0


def _mark_sent_after_outage(notification_id: int) -> None:
    deadline = time.monotonic() + MARK_SENT_RETRY_SECONDS
    delay = 0.25
    while True:
        connection.close()  # the broken connection; the next query opens a new one
        try:
            note = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).first()
            if note is not None:
                Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
                    sent_at=timezone.now(), attempts=F("attempts") + 1, body=redact(note.body)
                )
            log.warning("notification %s marked sent after a database outage", notification_id)
            return
        except DATABASE_GONE:
            if time.monotonic() + delay > deadline:
                log.error("notification %s was mailed but could not be marked sent", notification_id)
                raise
            time.sleep(delay)
            delay = min(delay * 2, 4.0)
