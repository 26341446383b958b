""" "My cases" without an account: a one-time code sent to the phone or e-mail address given at intake.

The citizen types a number or address; a code goes to it (only if some case
has it, but the answer, the rows written and the work done in the request are
the same either way, so the page never tells whether it is known). Typing the
code back opens a short session listing every case with that contact; it is
also how a lost tracking secret is recovered.

- Codes are six digits, live ``ACCESS_CODE_MINUTES``, are used once, and die
  after ``ACCESS_CODE_MAX_TRIES`` wrong tries; only the latest one counts.
- Neither contact nor code is stored in clear: keyed hashes (HMAC with the
  server's key). The code is derived from a per-row nonce when it is sent, so
  the task message carries no code.
- Requests are limited per contact and per client address (``portal.ratelimit``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import AccessCode, Submission
from feedback.phones import phone_normalize, phone_spellings
from feedback.sms import sms_send
from portal.errors import DomainError
from portal.ratelimit import RateLimitResult, hashed_key, rate_limit_check

log = logging.getLogger(__name__)

CODE_DIGITS = 6
CONTACT_MESSAGE = gettext_lazy("Enter the phone number or e-mail address you gave with your case.")


class CodeRefused(DomainError):
    """A code that does not open anything: wrong, expired, used, or tried too often."""


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" or "email"
    value: str  # E.164, or the address in lower case

    @property
    def hashed(self) -> str:
        return _keyed("access-contact", self.value)


def contact_parse(raw: str) -> Contact:
    """A phone number (normalised to E.164) or an e-mail address; ``ValidationError`` for anything else."""
    text = (raw or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(CONTACT_MESSAGE, code="invalid_contact") from None
        return Contact("email", text.lower())
    try:
        return Contact("phone", phone_normalize(text))
    except ValidationError:
        raise ValidationError(CONTACT_MESSAGE, code="invalid_contact") from None


def _keyed(purpose: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _code_of(row: AccessCode) -> str:
    digest = _keyed("access-code", f"{row.pk}:{row.nonce}")
    return f"{int(digest, 16) % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def _code_hash(row: AccessCode, code: str) -> str:
    return _keyed("access-code-hash", f"{row.pk}:{code}")


def cases_for_contact(contact: Contact) -> QuerySet[Submission]:
    """Every case given with this phone number or e-mail address, newest first (anonymised ones have none)."""
    if contact.kind == "email":
        cases = Submission.objects.filter(email__iexact=contact.value)
    else:
        cases = Submission.objects.filter(phone__in=phone_spellings(contact.value))
    return cases.select_related("lead_department").order_by("-created_at", "-id")


def access_code_request_allowed(*, contact: Contact, client: str) -> RateLimitResult:
    """Count this request against the contact and the client address; refused past either limit."""
    limits = settings.MINSHENG
    for scope, key, limit in (
        ("code-contact", contact.hashed[:32], limits["ACCESS_CODE_PER_CONTACT_PER_HOUR"]),
        ("code-address", client, limits["ACCESS_CODE_PER_ADDRESS_PER_HOUR"]),
    ):
        result = rate_limit_check(scope=scope, key=key, limit=limit)
        if not result.allowed:
            return result
    return RateLimitResult(allowed=True)


def access_code_request(*, contact: Contact, language: str, now: datetime | None = None) -> AccessCode:
    """Make a code for ``contact`` and queue its delivery after commit, whether or not the contact is known.

    The worker decides whether to send (``access_code_deliver``), so the
    request does the same work for a known and an unknown contact.
    """
    now = now or timezone.now()
    with transaction.atomic():
        row = AccessCode.objects.create(
            contact_hash=contact.hashed,
            nonce=secrets.token_hex(16),
            code_hash="",
            created_at=now,
            expires_at=now + timedelta(minutes=settings.MINSHENG["ACCESS_CODE_MINUTES"]),
        )
        row.code_hash = _code_hash(row, _code_of(row))
        row.save(update_fields=["code_hash"])
        transaction.on_commit(lambda: _safe_enqueue(row.pk, contact, language))
    return row


# How a code reaches the worker: ``feedback.tasks.deliver_access_code.delay``, registered by the app at
# start-up (the task layer sits above this module, so it is not imported from here).
Enqueue = Callable[[int, str, str, str], object]
_enqueue: list[Enqueue] = []


def on_code_requested(enqueue: Enqueue) -> None:
    """Register how a new code's delivery is queued (``FeedbackConfig.ready``)."""
    _enqueue[:] = [enqueue]


def _safe_enqueue(code_id: int, contact: Contact, language: str) -> None:
    try:
        for enqueue in _enqueue:
            enqueue(code_id, contact.kind, contact.value, language)
    except Exception:  # noqa: BLE001 - a broker outage: the citizen asks again
        log.warning("broker unavailable; access code %s not sent", code_id)


def access_code_deliver(*, code_id: int, kind: str, value: str, language: str, now: datetime | None = None) -> bool:
    """Send code ``code_id`` to the contact if some case has it. Safe to run twice: a handled row is skipped.

    A transient provider error propagates (the task retries); the row stays unhandled until it goes out.
    """
    now = now or timezone.now()
    contact = Contact(kind, value)
    with transaction.atomic():
        row = (
            AccessCode.objects.select_for_update(skip_locked=True)
            .filter(pk=code_id, handled_at__isnull=True, contact_hash=contact.hashed)
            .first()
        )
        if row is None:
            return False
        known = row.expires_at > now and cases_for_contact(contact).exists()
        if known:
            _send_code(contact, _code_of(row), language)
        row.handled_at = now
        row.save(update_fields=["handled_at"])
    return known


def _send_code(contact: Contact, code: str, language: str) -> None:
    minutes = settings.MINSHENG["ACCESS_CODE_MINUTES"]
    with translation.override(language or settings.LANGUAGE_CODE):
        body = _(
            "[12345] Your code for “my cases” is %(code)s. It is valid for %(minutes)s minutes. Never share it."
        ) % {"code": code, "minutes": minutes}
        if contact.kind == "phone":
            sms_send(to=contact.value, body=body)
        else:
            send_mail(_("Your code for “my cases”"), body, None, [contact.value], fail_silently=False)


def access_code_verify(*, contact: Contact, code: str, now: datetime | None = None) -> AccessCode:
    """Use the latest code of ``contact``; raises ``CodeRefused`` (a message for the citizen) unless it is right.

    A wrong try is counted on the row (a conditional UPDATE, so parallel tries
    cannot exceed the limit); a right one is claimed by one UPDATE that
    changes exactly one row, so a code opens one session only.
    """
    now = now or timezone.now()
    max_tries = settings.MINSHENG["ACCESS_CODE_MAX_TRIES"]
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    row = AccessCode.objects.filter(contact_hash=contact.hashed).order_by("-created_at", "-id").first()
    if row is None or row.used_at is not None:
        raise CodeRefused(_("There is no code waiting for this number or address. Ask for a new code."))
    if row.failed_attempts >= max_tries:
        raise CodeRefused(_("Too many wrong codes. Ask for a new code."))
    if row.expires_at <= now:
        raise CodeRefused(_("This code has expired. Ask for a new code."))
    if not (code.isdigit() and hmac.compare_digest(row.code_hash, _code_hash(row, code))):
        counted = AccessCode.objects.filter(pk=row.pk, failed_attempts__lt=max_tries).update(
            failed_attempts=F("failed_attempts") + 1
        )
        left = max_tries - row.failed_attempts - 1
        if not counted or left <= 0:
            raise CodeRefused(_("Too many wrong codes. Ask for a new code."))
        raise CodeRefused(_("This code is not right. You have %(left)s more tries.") % {"left": left})
    claimed = AccessCode.objects.filter(
        pk=row.pk, used_at__isnull=True, failed_attempts__lt=max_tries, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        raise CodeRefused(_("This code was already used. Ask for a new code."))
    return row


def verify_failures_allowed(*, client: str, count: bool) -> RateLimitResult:
    """Wrong codes from one client address, over every contact (stops a sweep over many numbers)."""
    limit = settings.MINSHENG["ACCESS_CODE_MAX_TRIES"] * settings.MINSHENG["ACCESS_CODE_PER_ADDRESS_PER_HOUR"]
    return rate_limit_check(scope="code-verify", key=hashed_key(client), limit=limit, count=count)


KEEP_USED_CODES = timedelta(days=1)


def access_codes_purge(*, now: datetime | None = None) -> int:
    """Delete codes older than a day (expired long ago); they only mattered for their minutes. One DELETE."""
    now = now or timezone.now()
    deleted, _by_model = AccessCode.objects.filter(created_at__lt=now - KEEP_USED_CODES).delete()
    return deleted
