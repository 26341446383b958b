"""The authenticator (django-otp's TOTP device) at the staff sign-in, and its enrolment page."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import User
from accounts.services import Verdict
from demo.city import DEMO_PASSWORD
from tests.accounts.authenticator import code_at, enable_authenticator, next_code, wrong_code

pytestmark = pytest.mark.django_db


def test_codes_match_the_rfc_6238_test_vectors(city):
    device = TOTPDevice(key=b"12345678901234567890".hex())
    # RFC 6238 appendix B, SHA-1, truncated to 6 digits.
    assert code_at(device, 59 // 30) == "287082"
    assert code_at(device, 1111111109 // 30) == "081804"


def test_supervisor_with_authenticator_needs_the_code_to_sign_in(client, city):
    supervisor = User.objects.get(username="supervisor")
    device = enable_authenticator(supervisor)
    response = client.post(reverse("accounts:login"), {"username": "supervisor", "password": DEMO_PASSWORD})
    assert response.url == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("accounts:login_verify"), {"code": wrong_code(device)})
    assert "验证码错误或已过期" in wrong.content.decode()
    response = client.post(reverse("accounts:login_verify"), {"code": next_code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(supervisor.pk)
    assert client.get(reverse("oversight:dashboard")).status_code == 200


def test_a_code_works_only_once(city):
    supervisor = User.objects.get(username="supervisor")
    device = enable_authenticator(supervisor)
    code = next_code(device)
    assert services.second_factor_verify(user=supervisor, code=code)[0] is Verdict.VERIFIED
    assert services.second_factor_verify(user=supervisor, code=code)[0] is Verdict.WRONG


def test_wrong_codes_count_across_sign_ins_and_lock_even_the_right_code(client, city, settings):
    supervisor = User.objects.get(username="supervisor")
    device = enable_authenticator(supervisor)
    wrong = wrong_code(device)
    for _cycle in range(3):  # the probe's 3 cycles of 5 wrong codes: the fifth wrong code overall locks
        client.post(reverse("accounts:login"), {"username": "supervisor", "password": DEMO_PASSWORD})
        for _ in range(2):
            response = client.post(reverse("accounts:login_verify"), {"code": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count == settings.AXES_FAILURE_LIMIT  # refused codes do not extend the lock
    assert response.url == reverse("accounts:login")
    client.post(reverse("accounts:login"), {"username": "supervisor", "password": DEMO_PASSWORD})
    response = client.post(reverse("accounts:login_verify"), {"code": next_code(device)}, follow=True)
    assert "_auth_user_id" not in client.session
    assert "验证码错误次数过多" in response.content.decode()


def test_the_lock_lifts_after_the_cooloff_and_a_right_code_resets_the_count(client, city, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    supervisor = User.objects.get(username="supervisor")
    device = enable_authenticator(supervisor)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        services.second_factor_verify(user=supervisor, code=wrong_code(device))
    assert services.second_factor_locked(supervisor)
    time.sleep(1.1)
    assert services.second_factor_verify(user=supervisor, code=next_code(device))[0] is Verdict.VERIFIED
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_pending_sign_in_expires(client, city, monkeypatch):
    device = enable_authenticator(User.objects.get(username="supervisor"))
    client.post(reverse("accounts:login"), {"username": "supervisor", "password": DEMO_PASSWORD})
    later = time.time() + 301
    monkeypatch.setattr("accounts.views.time.time", lambda: later)
    response = client.post(reverse("accounts:login_verify"), {"code": next_code(device)})
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_enrolment_page_keeps_the_same_key_until_confirmed(client, city):
    client.force_login(User.objects.get(username="supervisor"))
    first = client.get(reverse("accounts:security")).context["secret"]
    client.post(reverse("accounts:security"), {"code": "000000"})
    assert client.get(reverse("accounts:security")).context["secret"] == first
    device = TOTPDevice.objects.get(user__username="supervisor")
    client.post(reverse("accounts:security"), {"code": next_code(device)})
    assert TOTPDevice.objects.get(user__username="supervisor").confirmed
    # The session that turned it on gave a code: it stays signed in.
    assert client.get(reverse("accounts:security")).context["enabled"] is True


def test_turning_the_authenticator_on_revokes_tokens_given_for_the_password_alone(client, city):
    supervisor = User.objects.get(username="supervisor")
    token = client.post(reverse("api-token"), {"username": "supervisor", "password": DEMO_PASSWORD}).json()["token"]
    enable_authenticator(supervisor)
    assert not Token.objects.filter(key=token).exists()


def test_turning_it_off_needs_a_current_code(client, city):
    supervisor = User.objects.get(username="supervisor")
    device = enable_authenticator(supervisor)
    from tests.accounts.authenticator import sign_in_with_code

    sign_in_with_code(client, "supervisor", DEMO_PASSWORD, device)
    client.post(reverse("accounts:security"), {"action": "disable", "code": wrong_code(device)})
    assert services.second_factor_required(supervisor)
    client.post(reverse("accounts:security"), {"action": "disable", "code": next_code(device)})
    assert not services.second_factor_required(supervisor)


def test_users_without_authenticator_sign_in_with_the_password_alone(client, city):
    response = client.post(reverse("accounts:login"), {"username": "cgj_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url != reverse("accounts:login_verify")


def test_an_administrator_lifts_the_lock_in_the_admin(client, city, settings):
    supervisor = User.objects.get(username="supervisor")
    device = enable_authenticator(supervisor)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        services.second_factor_verify(user=supervisor, code=wrong_code(device))
    assert services.second_factor_locked(supervisor)
    client.force_login(User.objects.get(username="admin"))
    response = client.post(
        "/admin/otp_totp/totpdevice/", {"action": "lift_lockout", "_selected_action": [device.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not services.second_factor_locked(supervisor)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page  # the key is never shown
