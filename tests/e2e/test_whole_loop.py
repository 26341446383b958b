"""The whole loop in headless Chromium, in Chinese and in English.

A citizen submits on the real form, the routing task runs on commit (Celery
eager), staff sign for and reply on the case page, the citizen rates the reply
"unsatisfied" and sends it back, the reply deadline passes (``run_deadlines
--now`` far ahead) and the supervisor finds the escalation on the deadline
board and the oversight pages. Every page gets the checks of ``tests/e2e/walk.py``:
axe-core, CSP violations, sideways scrolling on a phone, interface text left in
English on the Chinese walk, and screenshots to artifacts/e2e/<lang>-<step>.png.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.e2e.walk import AXE, CHROMIUM, DESKTOP, LANGUAGES, PHONE, Walk, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

# What each language shows on the pages the walk relies on.
TEXT = {
    "zh-hans": {
        "submit_h1": "反映诉求",
        "accepted": "已受理",
        "reopened": "已重办",
        "title": "东门垃圾桶满了三天没人清运",
        "text": "幸福小区东门的两个垃圾桶已经满了三天，没有人来清运，气味很大。",
        "reply": "已安排环卫工人清运，并增加每日清运频次。",
        "why": "垃圾桶今天又满了，问题没有解决。",
    },
    "en": {
        "submit_h1": "Tell us what is wrong",
        "accepted": "Received",
        "reopened": "Reopened",
        "title": "Bins at the east gate not emptied for three days",
        "text": "The two rubbish bins at the east gate of Xingfu estate have been full for three days and smell.",
        "reply": "Street cleaners emptied the bins and will now come every day.",
        "why": "The bins are full again today; nothing has changed.",
    },
}


def _later(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_citizen_staff_and_supervisor_close_the_loop(lang, browser, live_server, eager_celery):
    from casework.models import Assignment
    from deadlines.models import Escalation, EscalationLevel
    from demo.city import seed_demo
    from feedback.models import Rating, Satisfaction, Status, Submission

    assert AXE.exists(), "axe-core is vendored at static/vendor/axe/axe.min.js"
    seed_demo()
    words = TEXT[lang]

    # 1. The citizen, on a phone, submits a complaint.
    citizen = Walk(browser, live_server, lang, "citizen", PHONE)
    page = citizen.page
    citizen.goto("/")
    citizen.choose_language()
    citizen.check("01-home")
    # From the keyboard, the first Tab reaches "skip to content", and it lands in <main>.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    citizen.goto("/submit/")
    assert page.locator("h1").inner_text() == words["submit_h1"]
    page.check("input[name=kind][value=complaint]")
    page.select_option("#id_category", "city.garbage")
    page.fill("#id_title", words["title"])
    page.fill("#id_text", words["text"])
    page.select_option("#id_district", "dongcheng")
    page.fill("#id_address", "幸福路88号")
    page.fill("#id_name", "王芳")
    page.fill("#id_phone", "13900001111")
    page.check("#id_may_publish")
    citizen.check("02-submit-form")
    with page.expect_navigation():
        page.click("#submit-button")
    number = page.inner_text("#tracking-number").strip()
    citizen.check("03-submitted")

    # 2. The routing task ran when the submission committed: the case is with the city management bureau.
    case = Submission.objects.get(tracking_number=number)
    assert case.status == Status.ASSIGNED, case.status
    lead = Assignment.objects.get(submission=case, role="lead", ended_at__isnull=True)
    assert lead.department.code == "CGJ"

    with page.expect_navigation():
        page.click("#tracking-link")
    page.wait_for_selector("#timeline")
    assert page.url.endswith(f"/track/{number}/")
    assert words["accepted"] in page.inner_text("#timeline")
    citizen.check("04-tracking")

    # 3. Staff of that bureau, at a desk, sign for the case and reply.
    staff = Walk(browser, live_server, lang, "staff", DESKTOP)
    staff.login("cgj_staff")
    staff.goto("/staff/")
    assert number in staff.page.inner_text("main")
    staff.check("05-inbox")
    with staff.page.expect_navigation():
        staff.page.click(f"main a:has-text('{words['title']}')")
    staff.check("06-case")
    staff.act("sign_for")
    assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    staff.act("reply", {"textarea[name=text]": words["reply"]}, {"select": "resolved"})
    assert Submission.objects.get(pk=case.pk).status == Status.REPLIED
    staff.check("07-case-replied")

    # 4. The citizen is not satisfied, says so, and sends the case back.
    page.reload()
    page.wait_for_selector("#rate")
    assert words["reply"] in page.inner_text("#replies")
    page.check("#rate input[name=satisfaction][value=unsatisfied]")
    page.check("#rate input[name=is_resolved][value=no]")
    citizen.check("08-rate")
    with page.expect_navigation():
        page.click("#rate-button")
    rating = Rating.objects.get(submission=case)
    assert (rating.satisfaction, rating.is_resolved) == (Satisfaction.UNSATISFIED, False)
    assert Submission.objects.get(pk=case.pk).status == Status.CLOSED
    page.wait_for_selector("#reopen")
    page.fill("#reopen textarea[name=reason]", words["why"])
    citizen.check("09-reopen")
    with page.expect_navigation():
        page.click("#reopen button[type=submit]")
    case.refresh_from_db()
    assert (case.status, case.reopen_count) == (Status.IN_PROGRESS, 1)
    assert words["reopened"] in page.inner_text("#timeline")
    citizen.check("10-reopened")

    # 5. Nobody acts; a month later the deadline sweep escalates the reopened case.
    call_command("run_deadlines", now=_later(30))
    escalation = Escalation.objects.filter(submission=case).order_by("-level").first()
    assert escalation is not None and escalation.level >= EscalationLevel.SUPERVISION

    # 6. The supervisor sees it on the deadline board and in oversight.
    supervisor = Walk(browser, live_server, lang, "supervisor", DESKTOP)
    supervisor.login("supervisor")
    supervisor.goto("/deadlines/")
    assert number in supervisor.page.inner_text("#escalations")
    supervisor.check("11-deadlines")
    supervisor.goto("/oversight/")
    supervisor.check("12-oversight")
    supervisor.goto(f"/oversight/cases/{case.pk}/")
    assert supervisor.page.locator("h1 .badge.bad").count() == 1
    supervisor.check("13-oversight-case")

    for walk in (citizen, staff, supervisor):
        walk.close()


@pytest.mark.django_db(transaction=True)
def test_the_accessibility_check_reports_a_missing_label_low_contrast_and_a_skipped_heading(browser, live_server):
    """The check above passes because the pages are right, not because axe never ran."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/track/")
    assert axe_violations(page, live_server.url) == []
    # Spoil the page through the DOM (the CSP allows CSSOM changes, not style attributes).
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.appendChild(document.createElement('input'));
            const faint = document.createElement('p');
            faint.textContent = 'faint text';
            faint.style.color = '#c8c8c8';
            main.appendChild(faint);
            const deep = document.createElement('h4');
            deep.textContent = 'skipped levels';
            main.appendChild(deep);
        }"""
    )
    found = {line.split(":")[0].split("] ")[1] for line in axe_violations(page, live_server.url)}
    assert {"label", "color-contrast", "heading-order"} <= found, found
    context.close()
