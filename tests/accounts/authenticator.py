"""Turn on a user's authenticator through the real service, and read its codes as the app would."""

from __future__ import annotations

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User

STEP = 30


def _step_now() -> int:
    return int(time.time()) // STEP


def code_at(device: TOTPDevice, step: int) -> str:
    totp = TOTP(device.bin_key, STEP, 0, 6, 0)
    totp.time = step * STEP
    return f"{totp.token():06d}"


def next_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet (each is accepted once), waiting for a new step if need be."""
    device.refresh_from_db()
    step = max(_step_now(), device.last_t + 1)
    while step > _step_now() + 1:
        time.sleep(1)
    return code_at(device, step)


def wrong_code(device: TOTPDevice) -> str:
    now = _step_now()
    good = {code_at(device, now + delta) for delta in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in good)


def enable_authenticator(user: User) -> TOTPDevice:
    device = services.totp_enrol_start(user=user)
    confirmed = services.totp_confirm(user=user, code=code_at(device, _step_now()))
    assert confirmed is not None
    return confirmed


def sign_in_with_code(client: Client, username: str, password: str, device: TOTPDevice) -> None:
    """The staff sign-in as a person does it: password, then the code."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/login/verify/", {"code": next_code(device)})
    assert response.status_code == 302 and "/accounts/login" not in response.url, response.content[:500]
