"""Supports: one per verified person and suggestion, with rate limits and anomaly flags."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    ConsultationEvent,
    ConsultationStatus,
    Suggestion,
    SuggestionStatus,
    Support,
    SupportVerification,
)
from consultations.services.common import RateLimited, keyed_hash, require_manage
from feedback.ratelimit import rate_limit_check
from portal.errors import DomainError, NotFound, TransitionNotAllowed

# Anti-scripting limits (per hour unless said otherwise).
SUPPORT_REQUESTS_PER_CLIENT = 30
SUPPORT_CODES_PER_ADDRESS = 5
CODE_MINUTES = 15
CODE_ATTEMPTS = 5
# Anomaly flags the moderator sees on a support.
SAME_ADDRESS_WINDOW = timedelta(hours=1)
SAME_ADDRESS_LIMIT = 3  # earlier supports in this consultation from the same network address
BURST_WINDOW = timedelta(minutes=10)
BURST_LIMIT = 20  # supports of one suggestion in the window


def normalized_address(email: str) -> str:
    """The mailbox an address reaches: lower case, without a ``+tag`` (one person, one identity)."""
    local, _at, domain = email.strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def identity_hash(*, consultation_id: int, email: str) -> str:
    """Keyed by the consultation: one person's supports in two consultations do not link."""
    return keyed_hash(f"support:{consultation_id}:{normalized_address(email)}")


@dataclass
class SupportRequested:
    verification: SupportVerification
    code: str


@transaction.atomic
def support_request(
    *, suggestion_reference: str, email: str, client_hash: str = "", now: datetime | None = None
) -> SupportRequested:
    """Start a support: a six-digit code is e-mailed to ``email``; the support counts once it is confirmed."""

    now = now or timezone.now()
    suggestion = (
        Suggestion.objects.select_related("consultation")
        .filter(reference=suggestion_reference, status=SuggestionStatus.PUBLISHED)
        .first()
    )
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    if suggestion.consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(_("Supports are counted only while the consultation is open."))
    try:
        validate_email(email.strip())
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address.")) from None
    identity = identity_hash(consultation_id=suggestion.consultation_id, email=email)
    if (
        client_hash
        and not rate_limit_check(scope="consult-support", key=client_hash, limit=SUPPORT_REQUESTS_PER_CLIENT).allowed
    ):
        raise RateLimited(_("Too many supports from your connection. Please try again later."))
    if not rate_limit_check(scope="consult-code", key=identity[:32], limit=SUPPORT_CODES_PER_ADDRESS).allowed:
        raise RateLimited(_("Too many codes were sent to this address. Please try again later."))
    # Whether this address already supports the suggestion is told only to whoever reads its mail (at confirm).
    code = f"{secrets.randbelow(10**6):06d}"
    token = secrets.token_urlsafe(24)
    verification = SupportVerification.objects.create(
        suggestion=suggestion,
        email=email.strip(),
        token=token,
        code_hash=keyed_hash(f"{token}:{code}"),
        client_hash=client_hash,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
        created_at=now,
    )
    address, subject = email.strip(), _("Your code to support a suggestion: %(code)s") % {"code": code}
    body = _(
        "Enter the code %(code)s within %(minutes)d minutes to support “%(title)s”. "
        "If you did not ask for it, ignore this message."
    ) % {"code": code, "minutes": CODE_MINUTES, "title": suggestion.public_title}
    transaction.on_commit(lambda: _mail_code(subject, body, address))
    return SupportRequested(verification, code)


def _mail_code(subject: str, body: str, address: str) -> None:

    send_mail(subject, body, None, [address], fail_silently=True)


def support_confirm(*, token: str, code: str, now: datetime | None = None) -> Support:
    """Count the support once the e-mailed code matches; one support per verified address and suggestion.

    Every try uses up one of ``CODE_ATTEMPTS`` first (a conditional UPDATE, kept
    even when the code is wrong), so guessing the code is bounded.
    """
    now = now or timezone.now()
    used = SupportVerification.objects.filter(
        token=token or "-", confirmed_at__isnull=True, attempts__lt=CODE_ATTEMPTS, expires_at__gt=now
    ).update(attempts=F("attempts") + 1)
    if used != 1:
        raise DomainError(_("This code has expired. Ask for a new one."))
    with transaction.atomic():
        verification = (
            SupportVerification.objects.select_for_update().select_related("suggestion__consultation").get(token=token)
        )
        if verification.confirmed_at is not None or not hmac.compare_digest(
            verification.code_hash, keyed_hash(f"{verification.token}:{(code or '').strip()}")
        ):
            raise DomainError(_("The code is not right."))
        suggestion = verification.suggestion
        consultation = suggestion.consultation
        if consultation.status != ConsultationStatus.OPEN or suggestion.status != SuggestionStatus.PUBLISHED:
            raise TransitionNotAllowed(_("Supports are counted only while the consultation is open."))
        identity = identity_hash(consultation_id=consultation.pk, email=verification.email)
        flags = _anomaly_flags(suggestion, verification.client_hash, now)
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    consultation=consultation,
                    suggestion=suggestion,
                    identity_hash=identity,
                    email=verification.email,
                    client_hash=verification.client_hash,
                    flags=",".join(flags),
                    created_at=now,
                )
        except IntegrityError:
            raise TransitionNotAllowed(_("This address has already supported this suggestion.")) from None
        verification.confirmed_at = now
        verification.save(update_fields=["confirmed_at"])
        ConsultationEvent.objects.create(
            consultation=consultation,
            suggestion=suggestion,
            action="support",
            actor_label="citizen",
            reason=",".join(flags),
            created_at=now,
        )
    return support


def _anomaly_flags(suggestion: Suggestion, client_hash: str, now: datetime) -> list[str]:
    flags = []
    if client_hash:
        same_address = Support.objects.filter(
            consultation_id=suggestion.consultation_id,
            client_hash=client_hash,
            created_at__gte=now - SAME_ADDRESS_WINDOW,
        ).count()
        if same_address >= SAME_ADDRESS_LIMIT:
            flags.append("same_address")
    burst = Support.objects.filter(suggestion=suggestion, created_at__gte=now - BURST_WINDOW).count()
    if burst >= BURST_LIMIT:
        flags.append("burst")
    return flags


@transaction.atomic
def support_void(*, support_id: int, by, reason: str, now: datetime | None = None) -> Support:
    """A moderator takes a support out of the count (scripted voting), with a reason. It stays on record."""
    now = now or timezone.now()
    support = Support.objects.select_related("consultation").filter(pk=support_id).first()
    if support is None:
        raise NotFound(_("No such support."))
    require_manage(by, support.consultation)
    if not reason.strip():
        raise DomainError(_("Give a reason for voiding the support."))
    changed = Support.objects.filter(pk=support.pk, voided_at__isnull=True).update(
        voided_at=now, voided_by=by, void_reason=reason.strip()[:200]
    )
    if changed != 1:
        raise TransitionNotAllowed(_("This support is already void."))
    ConsultationEvent.objects.create(
        consultation=support.consultation,
        suggestion_id=support.suggestion_id,
        action="void_support",
        actor=by,
        actor_label=by.username,
        reason=reason.strip(),
        created_at=now,
    )
    support.refresh_from_db()
    return support
