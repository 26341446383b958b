from __future__ import annotations

import pytest
from django.urls import reverse

from demo.city import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_staff_are_locked_out_after_five_failures_even_with_the_right_password(client, city):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "cgj_staff", "password": "wrong"})
    response = client.post(url, {"username": "cgj_staff", "password": DEMO_PASSWORD})
    assert response.status_code in (403, 429)
    assert "登录已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_account_does_not_lock_another(client, city):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "cgj_staff", "password": "wrong"})
    response = client.post(url, {"username": "zjj_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_every_page_has_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
