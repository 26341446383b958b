"""Writes on accounts: the optional second factor."""

from __future__ import annotations

from django.utils import timezone

from accounts import totp
from accounts.models import TOTPDevice, User


def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The user's device, creating an unconfirmed one with a fresh secret if there is none."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": totp.secret_new()})
    return device


def totp_verify(*, user: User, code: str, confirming: bool = False) -> bool:
    """True if ``code`` is valid now and was not used before (each code works once)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None or (device.confirmed_at is None and not confirming):
        return False
    step = totp.matching_step(device.secret, code)
    if step is None:
        return False
    # The conditional UPDATE settles a race between two uses of the same code.
    updates = {"last_used_step": step}
    if confirming and device.confirmed_at is None:
        updates["confirmed_at"] = timezone.now()
    return TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(**updates) == 1


def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def totp_required(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
