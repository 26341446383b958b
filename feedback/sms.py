"""Text messages (SMS) through a pluggable backend, chosen like Django's ``EMAIL_BACKEND``.

``settings.SMS_BACKEND`` names a class with ``send(*, to, body) -> str`` (the
provider's message id):

- ``feedback.sms.ConsoleBackend``: prints each message (development);
- ``feedback.sms.FileBackend``: one file per message under ``SMS_FILE_PATH``;
- ``feedback.sms.LocmemBackend``: keeps messages in ``feedback.sms.outbox`` (tests);
- ``feedback.sms.TwilioBackend``: Twilio's Messages API (``SMS_TWILIO_*`` settings).

A backend raises ``SmsTransientError`` (a ``ConnectionError``, so the tasks'
retry policy for mail covers it) when trying again later may work, and
``SmsRejected`` when it never will (a bad number, a blocked account).
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsRejected(Exception):
    """The provider refused the message for good; sending it again would fail the same way."""


class SmsTransientError(ConnectionError):
    """The provider could not take the message now (network, timeout, 429, 5xx): retry later."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str) -> str:
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    """Development: the message on standard output, as Django's console e-mail backend does."""

    def send(self, *, to: str, body: str) -> str:
        message_id = f"console-{secrets.token_hex(6)}"
        sys.stdout.write(f"SMS to {to} ({message_id}):\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
        return message_id


class FileBackend(BaseSmsBackend):
    """Development: each message in its own file under ``SMS_FILE_PATH``."""

    def __init__(self) -> None:
        self.directory = Path(getattr(settings, "SMS_FILE_PATH", "") or Path(settings.VAR_DIR) / "sms")
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, *, to: str, body: str) -> str:
        message_id = f"file-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
        (self.directory / f"{message_id}.txt").write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")
        return message_id


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    message_id: str


outbox: list[SentSms] = []
_outbox_lock = threading.Lock()


class LocmemBackend(BaseSmsBackend):
    """Tests: messages are appended to ``feedback.sms.outbox``."""

    def send(self, *, to: str, body: str) -> str:
        with _outbox_lock:
            message_id = f"locmem-{len(outbox) + 1}"
            outbox.append(SentSms(to=to, body=body, message_id=message_id))
        return message_id


class TwilioBackend(BaseSmsBackend):
    """Twilio's Programmable Messaging API: ``POST /2010-04-01/Accounts/{sid}/Messages.json``.

    Form fields ``To``, ``Body`` and ``From`` (or ``MessagingServiceSid`` when
    ``SMS_TWILIO_FROM`` starts with ``MG``), HTTP basic auth with the account
    SID and auth token; 201 with the message's ``sid`` on success.
    ``SMS_TWILIO_API_BASE`` points elsewhere for a regional edge (or a test's fake server).
    """

    def __init__(self) -> None:
        self.account_sid = getattr(settings, "SMS_TWILIO_ACCOUNT_SID", "")
        self.auth_token = getattr(settings, "SMS_TWILIO_AUTH_TOKEN", "")
        self.sender = getattr(settings, "SMS_TWILIO_FROM", "")
        self.api_base = str(getattr(settings, "SMS_TWILIO_API_BASE", "https://api.twilio.com")).rstrip("/")
        self.timeout = float(getattr(settings, "SMS_TIMEOUT_SECONDS", 10))
        missing = [
            name
            for name, value in (
                ("SMS_TWILIO_ACCOUNT_SID", self.account_sid),
                ("SMS_TWILIO_AUTH_TOKEN", self.auth_token),
                ("SMS_TWILIO_FROM", self.sender),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"SMS_BACKEND is Twilio but {', '.join(missing)} is not set.")

    def send(self, *, to: str, body: str) -> str:
        fields = {"To": to, "Body": body}
        fields["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        url = f"{self.api_base}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - https URL from settings
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            if exc.code == 429 or exc.code >= 500:
                raise SmsTransientError(f"SMS provider answered {exc.code}: {detail}") from None
            raise SmsRejected(f"SMS provider refused the message ({exc.code}): {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsTransientError(f"SMS provider unreachable: {exc}") from None
        except ValueError:
            raise SmsTransientError("SMS provider answered with something that is not JSON") from None
        return str(answer.get("sid", ""))


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        answer = json.loads(exc.read() or b"{}")
    except ValueError:
        return exc.reason or ""
    return str(answer.get("message") or answer.get("code") or exc.reason or "")[:150]


def sms_backend() -> BaseSmsBackend:
    """An instance of ``settings.SMS_BACKEND``."""
    backend_class = import_string(getattr(settings, "SMS_BACKEND", "feedback.sms.ConsoleBackend"))
    return backend_class()


def sms_send(*, to: str, body: str) -> str:
    """Hand one message to the configured backend; returns the provider's message id."""
    message_id = sms_backend().send(to=to, body=body)
    log.info("sms handed to provider: %s", message_id)
    return message_id
