from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services, totp
from accounts.models import TOTPDevice, User
from routing.demo import DEMO_PASSWORD

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"


def test_codes_match_the_rfc_6238_test_vectors():
    # RFC 6238 appendix B, SHA-1, truncated to 6 digits.
    assert totp.code_at(RFC_SECRET, 59 // 30) == "287082"
    assert totp.code_at(RFC_SECRET, 1111111109 // 30) == "081804"
    assert totp.code_at(RFC_SECRET, 2000000000 // 30) == "279037"


def test_a_code_from_the_next_step_is_accepted_but_garbage_is_not():
    step = totp.current_step()
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, step + 1)) == step + 1
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, step + 5)) is None
    assert totp.matching_step(RFC_SECRET, "abcdef") is None
    assert totp.matching_step(RFC_SECRET, "") is None


def enable(user: User) -> str:
    device = services.totp_enrol_start(user=user)
    code = totp.code_at(device.secret, totp.current_step() - 1)
    assert services.totp_verify(user=user, code=code, confirming=True)
    return device.secret


@pytest.mark.django_db
def test_supervisor_with_authenticator_needs_the_code_to_sign_in(client, city):
    supervisor = User.objects.get(username="supervisor")
    secret = enable(supervisor)
    response = client.post(reverse("accounts:login"), {"username": "supervisor", "password": DEMO_PASSWORD})
    assert response.url == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("accounts:login_verify"), {"code": "000000"})
    assert "验证码错误或已过期" in wrong.content.decode()
    response = client.post(reverse("accounts:login_verify"), {"code": totp.code_at(secret, totp.current_step())})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(supervisor.pk)


@pytest.mark.django_db
def test_a_code_works_only_once(city):
    supervisor = User.objects.get(username="supervisor")
    secret = enable(supervisor)
    code = totp.code_at(secret, totp.current_step())
    assert services.totp_verify(user=supervisor, code=code) is True
    assert services.totp_verify(user=supervisor, code=code) is False


@pytest.mark.django_db
def test_five_wrong_codes_end_the_pending_sign_in(client, city):
    enable(User.objects.get(username="supervisor"))
    client.post(reverse("accounts:login"), {"username": "supervisor", "password": DEMO_PASSWORD})
    for _ in range(5):
        response = client.post(reverse("accounts:login_verify"), {"code": "123456"})
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("accounts:login_verify")).url == reverse("accounts:login")


@pytest.mark.django_db
def test_enrolment_page_keeps_the_same_key_until_confirmed(client, city):
    client.force_login(User.objects.get(username="supervisor"))
    first = client.get(reverse("accounts:security")).context["secret"]
    client.post(reverse("accounts:security"), {"code": "000000"})
    assert client.get(reverse("accounts:security")).context["secret"] == first
    client.post(reverse("accounts:security"), {"code": totp.code_at(first, totp.current_step())})
    assert TOTPDevice.objects.get(user__username="supervisor").confirmed_at is not None


@pytest.mark.django_db
def test_users_without_authenticator_sign_in_with_the_password_alone(client, city):
    response = client.post(reverse("accounts:login"), {"username": "cgj_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url != reverse("accounts:login_verify")
