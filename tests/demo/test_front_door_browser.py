"""The front door in headless Chromium, phone first: both actions above the fold, no sideways scrolling,
and the search box leads to the board. Screenshots go to artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.feedback.test_browser_citizen import ARTIFACTS, CHROMIUM, VIEWPORTS, browser, short_lived_connections

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]
__all__ = ["browser", "short_lived_connections"]  # fixtures shared with the citizen's browser test


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_front_door_fits_the_screen_and_its_search_leads_to_the_board(
    size, short_lived_connections, browser, live_server, transactional_db
):
    from demo.city import seed_demo
    from tests.demo.test_front_door import _published_reply

    seed_demo()
    submission = _published_reply(text="红星路垃圾堆了一周没人清运。")
    viewport = VIEWPORTS[size]
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(live_server.url + "/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"front-door-{size}.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for action in ("#cta-submit", "#cta-track"):
        box = page.locator(action).bounding_box()
        assert box is not None and box["y"] + box["height"] <= viewport["height"], action
    assert page.locator("#fig-received").inner_text() == "1"

    page.fill("#door-q", "垃圾")
    page.press("#door-q", "Enter")
    page.wait_for_url(re.compile(r"/board/\?q="))
    assert submission.tracking_number in page.content()
    page.close()
