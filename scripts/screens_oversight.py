#!/usr/bin/env python
"""A supervisor's walk through the oversight pages in Chromium, with screenshots in artifacts/.

    python scripts/screens_oversight.py http://127.0.0.1:8000

Signs in as the demo supervisor, opens the dashboard, filters by a department,
drills down to the case list and a case, exports the CSV, reads the KPIs and
the digest, and opens the public scoreboard, at phone and desktop sizes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "artifacts"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "minsheng-demo-2026"


def walk(base: str, page, size: str) -> list[str]:
    notes = []

    def shot(name: str) -> None:
        page.screenshot(path=str(OUT / f"oversight-{size}-{name}.png"), full_page=True)

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{base}/oversight/")
    shot("1-dashboard")
    page.select_option("select[name=department]", index=1)
    page.click(".filters button[type=submit]")
    page.wait_for_load_state()
    notes.append(f"filtered: {page.url}")
    shot("2-dashboard-filtered")
    page.goto(f"{base}/oversight/")
    page.click("#dept-ranking tbody tr:first-child td:first-child a")
    page.wait_for_load_state()
    shot("3-drill-down")
    with page.expect_download() as download_info:
        page.click("#csv-export")
    download = download_info.value
    target = OUT / f"oversight-{size}-export.csv"
    download.save_as(str(target))
    notes.append(f"csv: {sum(1 for _ in target.open(encoding='utf-8-sig'))} lines")
    page.click("table tbody tr:first-child td:first-child a")
    page.wait_for_load_state()
    shot("4-case")
    page.goto(f"{base}/oversight/kpis/")
    page.wait_for_timeout(800)
    shot("5-kpis")
    page.goto(f"{base}/oversight/digest/")
    shot("6-digest")
    page.emulate_media(media="print")
    shot("7-digest-print")
    page.emulate_media(media="screen")
    page.goto(f"{base}/scoreboard/")
    shot("8-scoreboard")
    return notes


def main(base: str) -> int:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, accept_downloads=True, locale="zh-CN")
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.on("console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text))
            for note in walk(base, page, size):
                print(size, note)
            print(size, "browser errors:", errors or "none")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
