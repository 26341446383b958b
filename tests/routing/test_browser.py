"""In the browser, after ``run_deadlines --now``: the department sees the marks, the supervisor the escalation."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.city import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def board_as(browser, base_url: str, username: str, viewport: dict) -> tuple[str, object]:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}/deadlines/")
    return page.content(), context


def test_department_sees_warning_and_overdue_and_supervisor_sees_the_escalation(city, live_server, tmp_path):
    from playwright.sync_api import sync_playwright

    now = f"{timezone.localtime():%Y-%m-%d %H:%M}"
    call_command("seed_deadline_demo", "--now", now, stdout=open(tmp_path / "seed.txt", "w"))
    call_command("run_deadlines", "--now", now, stdout=open(tmp_path / "run.txt", "w"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            staff_html, context = board_as(browser, live_server.url, "cgj_staff", {"width": 390, "height": 844})
            overdue_rows = context.pages[0].locator("#overdue tbody tr").count()
            warning_rows = context.pages[0].locator("#warning tbody tr").count()
            context.close()
            supervisor_html, context = board_as(browser, live_server.url, "supervisor", {"width": 1280, "height": 900})
            escalation_items = context.pages[0].locator("#escalations li").count()
            context.close()
        finally:
            browser.close()
    assert overdue_rows == 2 and warning_rows == 1  # CGJ's own cases only (the water case is SWJ's)
    assert 'class="badge bad">超期' in staff_html and 'class="badge warn">临近期限' in staff_html
    assert "水务局" not in staff_html
    assert escalation_items >= 3 and "督办" in supervisor_html and "通报" in supervisor_html
