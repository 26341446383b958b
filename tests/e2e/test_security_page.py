"""The second-factor page in a browser: the key and its otpauth:// link (long unbroken strings) stay inside their
card on a phone and on a desktop (the link used to run 350 px past the card's edge)."""

from __future__ import annotations

import pytest

from tests.e2e.walk import ARTIFACTS, DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_key_and_its_link_stay_inside_the_card(viewport, browser, live_server):
    from demo.city import DEMO_PASSWORD, seed_demo

    seed_demo()
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(live_server.url + "/accounts/security/")
    link = page.locator("a[href^='otpauth://']")
    card = page.locator("main section.card").first
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"security-{viewport['width']}.png"), full_page=True)
    edge = card.bounding_box()
    for element in (link, page.locator("#totp-secret")):
        box = element.bounding_box()
        assert box["x"] + box["width"] <= edge["x"] + edge["width"] + 1, (element, box, edge)
    context.close()
