"""Offices without accounts: assignments by email with signed, expiring, one-case links.

A link carries one assignment id signed with ``TimestampSigner``; it expires
after ``MINSHENG['EMAIL_LINK_MAX_AGE_DAYS']``. Every use is a case event.
Delivery is a row per assignment, retried with exponential backoff; a
delivery that ran out of attempts is marked failed for dispatchers to see.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Assignment, AssignmentStatus, DeliveryStatus, EmailDelivery
from feedback.models import EventKind
from feedback.workflow import Action, event_record
from portal.errors import NotFound, PermissionDenied

log = logging.getLogger(__name__)
SALT = "minsheng.email-link"
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


def link_token(assignment_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(assignment_id))


def link_url(assignment_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("casework:email_case", args=[link_token(assignment_id)])


def link_assignment(token: str) -> Assignment:
    """The assignment a link is for, or NotFound if it is forged, expired or no longer live."""
    max_age = timedelta(days=int(settings.MINSHENG.get("EMAIL_LINK_MAX_AGE_DAYS", 14)))
    try:
        assignment_id = int(signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError):
        raise NotFound(_("This link is not valid or has expired.")) from None
    assignment = (
        Assignment.objects.select_related("submission", "department", "submission__category")
        .filter(pk=assignment_id, department__works_by_email=True)
        .exclude(status=AssignmentStatus.CANCELLED)
        .first()
    )
    if assignment is None:
        raise NotFound(_("This link is not valid or has expired."))
    return assignment


def link_use_record(*, assignment: Assignment, what: str, ip: str = "", at: datetime | None = None):
    """Every use of a link (opening it, each action) is an audit event on the case."""
    return event_record(
        case=assignment.submission,
        kind=EventKind.DELIVERY,
        action=Action.EMAIL_LINK_USED,
        actor_label=f"email-link:{assignment.department.code}",
        payload={"assignment": assignment.pk, "what": what, "ip": ip},
        at=at or timezone.now(),
    )


def email_delivery_create(*, assignment: Assignment, at: datetime) -> EmailDelivery | None:
    """Queue the mail for an email-working department; sent by a worker after commit."""
    department = assignment.department
    if not department.contact_email:
        log.warning("department %s works by email but has no address", department.code)
    delivery, _created = EmailDelivery.objects.get_or_create(
        assignment=assignment,
        defaults={"department": department, "to_email": department.contact_email, "next_attempt_at": at},
    )
    transaction.on_commit(lambda: _safe_enqueue(delivery.pk))
    return delivery


# What hands a delivery to a worker: the Celery task's ``delay``, registered by ``CaseworkConfig.ready``
# (this service never imports the task module above it). Without one, the sweep delivers.
_deliverers: list[Callable[[int], object]] = []


def email_deliverer(deliver: Callable[[int], object]) -> None:
    """Register the function that enqueues one delivery (the last one registered wins)."""
    _deliverers[:] = [deliver]


def _safe_enqueue(delivery_id: int) -> None:
    try:
        for deliver in _deliverers:
            deliver(delivery_id)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep delivers it
        log.warning("broker unavailable; email delivery %s left for the sweep", delivery_id)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def email_delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Try to send one delivery if it is due. Returns its status. Safe to call twice."""
    now = now or timezone.now()
    max_attempts = int(settings.MINSHENG.get("EMAIL_DELIVERY_MAX_ATTEMPTS", 5))
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .select_related("assignment__submission", "department")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return "skipped"
        delivery.attempts += 1
        case = delivery.assignment.submission
        try:
            if not delivery.to_email:
                raise smtplib.SMTPRecipientsRefused({})
            subject = _("New case %(number)s for %(department)s") % {
                "number": case.tracking_number,
                "department": delivery.department.name,
            }
            body = _(
                "Your department has been given case %(number)s: %(title)s\n\n%(text)s\n\n"
                "Open it to sign for it, ask for material, return or reply (one case per link):\n%(url)s"
            ) % {
                "number": case.tracking_number,
                "title": case.title,
                "text": case.text,
                "url": link_url(delivery.assignment_id),
            }
            send_mail(subject, body, None, [delivery.to_email], fail_silently=False)
        except TRANSIENT_ERRORS as exc:
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:200]
            if delivery.attempts >= max_attempts or not delivery.to_email:
                delivery.status = DeliveryStatus.FAILED
                event_record(
                    case=case,
                    kind=EventKind.DELIVERY,
                    action=Action.EMAIL_DELIVERY_FAILED,
                    actor_label="system",
                    payload={"department": delivery.department.code, "attempts": delivery.attempts},
                    at=now,
                )
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        return delivery.status


def email_delivery_retry(*, delivery_id: int, actor, now: datetime | None = None) -> EmailDelivery:
    """A dispatcher sends a failed delivery again (after fixing the address, say)."""
    now = now or timezone.now()
    if not (actor.is_dispatcher or actor.is_supervisor):
        raise PermissionDenied(_("Only dispatchers can retry a delivery."))
    delivery = EmailDelivery.objects.select_related("department").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(_("There is no such delivery."))
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        to_email=delivery.department.contact_email or delivery.to_email,
    )
    transaction.on_commit(lambda: _safe_enqueue(delivery.pk))
    delivery.refresh_from_db()
    return delivery
