"""Writes on accounts: the second factor.

The authenticator is django-otp's ``TOTPDevice`` (RFC 6238, each code
accepted once). Every door that takes a password asks this module for the
code, so wrong codes count per user whichever door they came through, and
lock like wrong passwords do: ``AXES_FAILURE_LIMIT`` failures in a row lock
the second factor for ``AXES_COOLOFF_TIME`` hours, even for the right code.
"""

from __future__ import annotations

import enum
from base64 import b32encode
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import User

DEVICE_NAME = "authenticator"


class Verdict(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    LOCKED = "locked"


def _failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def _lockout() -> timedelta:
    cooloff = settings.AXES_COOLOFF_TIME
    return cooloff if isinstance(cooloff, timedelta) else timedelta(hours=float(cooloff))


def _locked(device: TOTPDevice) -> bool:
    failed_at = device.throttling_failure_timestamp
    return (
        device.throttling_failure_count >= _failure_limit()
        and failed_at is not None
        and timezone.now() < failed_at + _lockout()
    )


def second_factor_required(user: User) -> bool:
    """True if ``user`` has a confirmed authenticator: every sign-in then needs its code."""
    return bool(user.pk) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_verify(*, user: User, code: str) -> tuple[Verdict, TOTPDevice | None]:
    """Check a code of ``user``'s confirmed authenticator; a failure counts towards the lockout.

    Returns the verdict and, when verified, the device (callers put it on the
    session with ``django_otp.login``). A locked device refuses even the
    right code, and a refused code does not extend the lock.
    """
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return Verdict.WRONG, None
        if _locked(device):
            return Verdict.LOCKED, None
        if not code:
            return Verdict.WRONG, None  # no guess was made: nothing to count
        if device.verify_token(code):  # counts a failure on the device itself
            return Verdict.VERIFIED, device
        return (Verdict.LOCKED if _locked(device) else Verdict.WRONG), None


def second_factor_locked(user: User) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device is not None and _locked(device)


def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created with a fresh key if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_confirm(*, user: User, code: str) -> TOTPDevice | None:
    """Turn the authenticator on if ``code`` matches the key being enrolled.

    API tokens the user obtained before are revoked: they were given for the
    password alone.
    """
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not code or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        Token.objects.filter(user=user).delete()
    return device


def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def totp_secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it."""
    return b32encode(device.bin_key).decode("ascii")
