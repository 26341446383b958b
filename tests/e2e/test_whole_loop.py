"""The whole loop in headless Chromium, in Chinese and in English.

A citizen submits on the real form, the routing task runs on commit (Celery
eager), staff sign for and reply on the case page, the citizen rates the reply
"unsatisfied" and sends it back, the reply deadline passes (``run_deadlines
--now`` far ahead) and the supervisor finds the escalation on the deadline
board and the oversight pages. Every page is checked with axe-core (served
from our own static files, so the page's CSP stays as it is), scanned for
interface text left in English on the Chinese walk, and photographed to
artifacts/e2e/<lang>-<step>.png (plus the other screen size).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# WCAG 2.x A/AA and axe's best practices: labels, names, headings, contrast, lists, language, title.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Heading problems are "moderate" to axe, but a page without a proper outline is what we check for.
ALWAYS_FAIL = {"heading-order", "empty-heading", "page-has-heading-one"}

# Interface text (navigation, headings, labels, buttons, table heads) in English on a Chinese page is a
# msgid nobody translated. Words of the people's own data, codes and file types are not interface text.
UNTRANSLATED_JS = """() => {
    const allowed = new Set(['PDF', 'JPEG', 'PNG', 'GIF', 'WebP', 'CSV']);
    const seen = new Set();
    const texts = new Set();
    for (const el of document.querySelectorAll(
            '.site-header, h1, h2, h3, label, legend, button, summary, th, .badge, .help, .message')) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) texts.add(walker.currentNode);
    }
    for (const node of texts) {
        // Codes, links people copy, and text marked as another language are not interface text.
        if (node.parentElement.closest('code, kbd, [lang]:not(html), script, style')) continue;
        const text = node.textContent.replace(/https?:[^\\s]+/g, '');
        for (const word of text.match(/[A-Za-z]{3,}/g) || []) if (!allowed.has(word)) seen.add(word);
    }
    return [...seen].sort();
}"""

# Elements that stick out past the right edge of the screen, outside any horizontally scrolling box.
OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('main *, .site-header *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 1) continue;
        let scroller = el.parentElement, clipped = false;
        for (; scroller; scroller = scroller.parentElement) {
            const style = getComputedStyle(scroller);
            if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) { clipped = true; break; }
        }
        if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className);
    }
    return out.slice(0, 8);
}"""

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


@pytest.fixture
def browser(monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The live server answers in threads of its own; persistent connections
    # would outlive them and keep the test database from being dropped.
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
    # The ORM is used between browser steps while Playwright's loop exists (never concurrently).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        # ORM calls made while Playwright's loop runs have a connection of their own: close it in that context.
        connections.close_all()
        chromium.close()


@pytest.fixture
def eager_celery(monkeypatch):
    """Run tasks enqueued on commit (routing, notifications) in the request that enqueued them."""
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


class Walk:
    """One person's browser tab, with the checks every page gets."""

    def __init__(self, browser, live_server, lang: str, who: str, viewport: dict):
        # Chinese is both the site's default and the browser's language; the
        # English walk has to choose English with the site's own switch.
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.page = self.context.new_page()
        self.url = live_server.url
        self.lang = lang
        self.who = who
        self.viewport = viewport
        self.csp_errors: list[str] = []
        self.page.on("console", self._note_csp_violation)

    def _note_csp_violation(self, message) -> None:
        # A blocked inline script or style is a page that silently works differently from how it was written.
        if "Content Security Policy" in message.text:
            self.csp_errors.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str) -> None:
        self.page.goto(self.url + path)
        self.page.wait_for_load_state()

    def choose_language(self) -> None:
        """Pick the walk's language in the header switch (a no-op for Chinese, the default)."""
        if self.lang == "zh-hans":
            assert self.page.locator("html").get_attribute("lang") == "zh-hans"
            return
        self.page.select_option("#lang-select", self.lang)
        with self.page.expect_navigation():
            self.page.click(".lang-switch button[type=submit]")
        assert self.page.locator("html").get_attribute("lang") == self.lang

    def check(self, step: str) -> None:
        """Screenshots at both sizes; no sideways scrolling on a phone; the page's language (and, in
        Chinese, no English interface text); then axe-core on the page as it is."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.lang}-{step}.png"), full_page=True)
        other = DESKTOP if self.viewport == PHONE else PHONE
        self.page.set_viewport_size(other)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.lang}-{step}-{_size(other)}.png"), full_page=True)
        self.page.set_viewport_size(PHONE)
        # Reflow: on a phone the page scrolls down, never sideways (wide tables scroll inside .table-wrap).
        overflow = self.page.evaluate(OVERFLOW_JS)
        assert not overflow, f"{self.lang}-{step}: wider than a phone screen: {overflow}"
        self.page.set_viewport_size(self.viewport)
        assert self.page.locator("html").get_attribute("lang") == self.lang, step
        if self.lang == "zh-hans":
            untranslated = self.page.evaluate(UNTRANSLATED_JS)
            assert not untranslated, f"{self.lang}-{step}: English left in the Chinese page: {untranslated}"
        violations = axe_violations(self.page, self.url)
        assert not violations, f"{self.lang}-{step}: " + "\n".join(violations)

    def login(self, username: str) -> None:
        from routing.demo import DEMO_PASSWORD

        self.goto("/accounts/login/")
        self.choose_language()
        self.check(f"{self.who}-login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit]")
        assert "/accounts/login/" not in self.page.url, self.page.inner_text("main")

    def act(self, action: str, fields: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
        """Open one action on the staff case page, fill it in and send it."""
        box = f"#action-{action}"
        if not self.page.locator(box).evaluate("d => d.open"):
            self.page.click(f"{box} summary")
        for selector, value in (fields or {}).items():
            self.page.fill(f"{box} {selector}", value)
        for selector, value in (select or {}).items():
            self.page.select_option(f"{box} {selector}", value)
        with self.page.expect_navigation():
            self.page.click(f"{box} button[name=do]")


def _size(viewport: dict) -> str:
    return "phone" if viewport == PHONE else "desktop"


def axe_violations(page, base_url: str) -> list[str]:
    """Serious and critical axe-core findings (and any heading finding), one line per rule.

    axe is loaded by URL from our own static files, which the page's CSP
    (script-src 'self') allows, so the check runs against the CSP users get.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=f"{base_url}/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }""",
        AXE_TAGS,
    )
    return [
        f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in result
        if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS_FAIL
    ]


def _later(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_citizen_staff_and_supervisor_close_the_loop(lang, browser, live_server, eager_celery):
    from feedback.models import Rating, Satisfaction, Status, Submission
    from routing.demo import seed_demo
    from routing.models import Assignment, Escalation, EscalationLevel

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
        assert not walk.csp_errors, walk.csp_errors
        walk.context.close()


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
