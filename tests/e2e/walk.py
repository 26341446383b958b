"""What every browser walk shares: the headless Chromium tab and the checks each page gets.

Each page is checked with axe-core (served from our own static files, so the
page's CSP stays as it is), for sideways scrolling on a phone, for CSP
violations and, on the Chinese walk, for interface text left in English; and it
is photographed to artifacts/e2e/<lang>-<prefix><step>.png (plus the other
screen size). The fixtures that start the browser live in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
# The narrowest phone the walks were asked to fit (issue 15: the scoreboard was 941 px in a 324 px box).
NARROW_PHONE = {"width": 324, "height": 720}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = ["zh-hans", "en"]

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
            '.site-header, h1, h2, h3, label, legend, button, summary, th, .badge, .help, .message, ' +
            '.timeline strong')) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) texts.add(walker.currentNode);
    }
    for (const node of texts) {
        // Codes, links people copy, and text marked as another language are not interface text.
        if (node.parentElement.closest('code, kbd, [lang]:not(html), script, style')) continue;
        // Open311 is the name of a standard, like PDF.
        const text = node.textContent.replace(/https?:[^\\s]+/g, '').replace(/Open311/g, '');
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


class Walk:
    """One person's browser tab, with the checks every page gets."""

    def __init__(self, browser, live_server, lang: str, who: str, viewport: dict, prefix: str = ""):
        # Chinese is both the site's default and the browser's language; the
        # English walk has to choose English with the site's own switch.
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        self.page = self.context.new_page()
        self.url = live_server.url
        self.lang = lang
        self.who = who
        self.viewport = viewport
        self.prefix = prefix
        self.screenshots: list[Path] = []
        self.csp_errors: list[str] = []
        self.page.on("console", self._note_csp_violation)

    def _note_csp_violation(self, message) -> None:
        # A blocked inline script or style is a page that silently works differently from how it was written.
        if "Content Security Policy" in message.text:
            self.csp_errors.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str) -> None:
        self.page.goto(self.url + path)
        self.page.wait_for_load_state()

    def follow(self, selector: str) -> None:
        """Click a link or submit button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.click(selector)
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
        name = f"{self.lang}-{self.prefix}{step}"
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        other = DESKTOP if self.viewport == PHONE else PHONE
        self.page.set_viewport_size(other)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-{_size(other)}.png"), full_page=True)
        self.screenshots += [ARTIFACTS / f"{name}.png", ARTIFACTS / f"{name}-{_size(other)}.png"]
        self.page.set_viewport_size(PHONE)
        # Reflow: on a phone the page scrolls down, never sideways (wide tables scroll inside .table-wrap).
        overflow = self.page.evaluate(OVERFLOW_JS)
        assert not overflow, f"{name}: wider than a phone screen: {overflow}"
        self.page.set_viewport_size(NARROW_PHONE)
        # Let resize observers (charts) redraw for the new width before measuring.
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        self.page.wait_for_timeout(150)
        widths = self.page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name}: {widths[0]} px wide on a {widths[1]} px phone: {self._widest()}"
        self.page.set_viewport_size(self.viewport)
        assert self.page.locator("html").get_attribute("lang") == self.lang, step
        if self.lang == "zh-hans":
            untranslated = self.page.evaluate(UNTRANSLATED_JS)
            assert not untranslated, f"{name}: English left in the Chinese page: {untranslated}"
        violations = axe_violations(self.page, self.url)
        assert not violations, f"{name}: " + "\n".join(violations)

    def _widest(self) -> list[str]:
        """The innermost elements that reach past the right edge (to say what to fix)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                .slice(0, 6)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className
                           + ' ' + Math.round(el.getBoundingClientRect().right))"""
        )

    def login(self, username: str) -> None:
        from demo.city import DEMO_PASSWORD

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

    def close(self) -> None:
        assert not self.csp_errors, self.csp_errors
        self.context.close()


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
