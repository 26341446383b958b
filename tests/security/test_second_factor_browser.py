"""In a real browser: sign-in asks for the code; the admin gives no session for the password alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.walk import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def chromium(monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        connections.close_all()
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_sign_in_asks_for_the_code_and_the_admin_gives_no_session_for_the_password_alone(chromium, live_server):
    from accounts.models import User
    from demo.city import DEMO_PASSWORD, seed_demo
    from tests.accounts.authenticator import enable_authenticator, next_code, wrong_code

    seed_demo()
    supervisor = enable_authenticator(User.objects.get(username="supervisor"))
    admin = enable_authenticator(User.objects.get(username="admin"))

    page = chromium.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/oversight/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button.primary")
    assert page.url.endswith("/accounts/login/verify/")
    page.fill("input[name=code]", wrong_code(supervisor))
    page.click("main button.primary")
    assert "验证码错误或已过期" in page.content()
    page.fill("input[name=code]", next_code(supervisor))
    page.click("main button.primary")
    assert page.url.endswith("/oversight/")
    assert page.goto(f"{live_server.url}/oversight/").status == 200

    page = chromium.new_context().new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    assert "/admin/login/" in page.url
    assert "此账号已启用身份验证器" in page.locator(".errornote").first.inner_text()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" in page.url
    page.goto(f"{live_server.url}/oversight/")
    assert "/accounts/login/" in page.url

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.fill("#id_otp_token", next_code(admin))
    page.click("input[type=submit]")
    assert page.url == f"{live_server.url}/admin/"
