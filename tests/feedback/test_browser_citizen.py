"""A citizen in headless Chromium: submits in Chinese with a photo, follows the case, rates the reply.

Screenshots of every page at phone and desktop size go to artifacts/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.feedback.conftest import png_bytes

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def short_lived_connections():
    # The live server answers each request in a new thread; persistent
    # connections would outlive those threads and block dropping the test database.
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    old = settings_dict.get("CONN_MAX_AGE", 0)
    settings_dict["CONN_MAX_AGE"] = 0
    yield
    settings_dict["CONN_MAX_AGE"] = old


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the ORM calls in this test are
    # made between browser steps, never concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_citizen_submits_in_chinese_with_a_photo_tracks_and_rates(
    size, short_lived_connections, browser, live_server, transactional_db, tmp_path
):
    from demo.city import seed_demo
    from feedback.models import Rating, Status, Submission
    from tests.feedback.conftest import advance_to_replied

    seed_demo()
    ARTIFACTS.mkdir(exist_ok=True)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(png_bytes(size=(640, 480)))
    page = browser.new_page(viewport=VIEWPORTS[size], locale="zh-CN")

    def shot(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"intake-{size}-{name}.png"), full_page=True)

    page.goto(f"{live_server.url}/submit/")
    assert page.locator("h1").inner_text() == "反映诉求"
    page.get_by_label("投诉").check()
    page.select_option("#id_category", "environment.noise")
    page.fill("#id_title", "工地夜间施工噪音扰民")
    page.fill("#id_text", "幸福路工地每晚十一点后仍在施工，电话13812345678可联系我。")
    page.select_option("#id_district", "dongcheng")
    page.fill("#id_address", "幸福路88号")
    page.set_input_files("#id_attachments", str(photo))
    page.fill("#id_name", "张三")
    page.fill("#id_phone", "13812345678")
    page.check("#id_may_publish")
    shot("1-form")
    page.click("#submit-button")

    page.wait_for_selector("#tracking-number")
    number = page.inner_text("#tracking-number").strip()
    assert number.startswith("QH") and len(page.inner_text("#tracking-secret").strip()) >= 22
    shot("2-confirmation")
    submission = Submission.objects.get(tracking_number=number)
    assert submission.attachments.get().content_type == "image/png"

    page.click("#tracking-link")
    page.wait_for_selector("#timeline")
    assert page.url.endswith(f"/track/{number}/")  # the secret is gone from the address bar
    assert "已受理" in page.inner_text("#timeline")
    shot("3-tracking")

    advance_to_replied(submission)  # the department replies (staff screens belong to another issue)
    page.reload()
    page.wait_for_selector("#rate")
    page.get_by_label("满意", exact=True).check()
    page.locator("#rate").get_by_label("是").check()
    page.fill("#id_comment", "处理及时，谢谢！")
    shot("4-rating")
    page.click("#rate-button")
    page.wait_for_selector(".message.success")
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED
    assert Rating.objects.get(submission=submission).satisfaction == "satisfied"
    shot("5-rated")

    page.goto(f"{live_server.url}/board/")
    board = page.inner_text("main")
    assert "工地夜间施工噪音扰民" in board and "13812345678" not in board and "张三" not in board
    shot("6-board")
    page.goto(f"{live_server.url}/board/{number}/")
    shot("7-board-detail")
    page.close()
