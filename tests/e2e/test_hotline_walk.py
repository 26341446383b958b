"""The hotline in headless Chromium: an operator logs a repeat caller's call and dispatches it; an operator
answers a question from the knowledge base and the citizen rates the answer.

The first walk counts what an ordinary call costs the operator: keys pressed (the caller's words apart)
and round trips to the server after the console has loaded. tests/e2e/walk.py's checks (axe-core, CSP,
phone width, English left on the Chinese page) run on the console and the knowledge-base pages.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.e2e.walk import CHROMIUM, DESKTOP, LANGUAGES, PHONE, Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

SHOTS = Path("/work/shots/h18a")
MEASURES = Path(__file__).resolve().parents[2] / "artifacts" / "e2e" / "hotline-walk.json"

CALL = {
    "zh-hans": {
        "title": "幸福小区东门垃圾又没清运",
        "text": "幸福小区东门垃圾桶又满了，两天没人清运，上次反映过还是这样。",
        "earlier": ("东门垃圾桶满了没人清运", "幸福小区东门的垃圾桶满了三天没人清运，味道很大。"),
        "repeat": "重复来电",
    },
    "en": {
        "title": "Rubbish at the east gate of Xingfu estate again",
        "text": "The bins at the east gate of Xingfu estate are full again and the garbage has not been collected.",
        "earlier": (
            "Bins at the east gate not emptied",
            "The garbage bins at the east gate of Xingfu estate are full.",
        ),
        "repeat": "Repeat caller",
    },
}


class Keys:
    """The operator's keyboard, counting presses: control keys, and the characters of the caller's words."""

    def __init__(self, page):
        self.page, self.control, self.words = page, 0, 0

    def type(self, text: str, *, words: bool = True) -> None:
        self.page.keyboard.type(text, delay=60)
        if words:
            self.words += len(text)
        else:
            self.control += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.control += 1


def _round_trips(page) -> list[str]:
    trips: list[str] = []
    page.on("request", lambda r: trips.append(r.method + " " + r.url.split("?")[0]) if "/hotline/" in r.url else None)
    return trips


def _shots(walk: Walk, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        walk.page.set_viewport_size(viewport)
        walk.page.screenshot(path=str(SHOTS / f"{walk.lang}-{name}-{size}.png"), full_page=True)
    walk.page.set_viewport_size(walk.viewport)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_operator_logs_a_repeat_callers_call_and_dispatches_it(lang, browser, live_server, eager_celery):
    from demo.city import seed_demo
    from feedback.models import Status, Submission
    from feedback.services import submission_create
    from hotline.models import Call
    from knowledge.demo import seed_articles

    seed_demo()
    seed_articles()
    words = CALL[lang]
    # The caller wrote in on the web last week, giving the number another way.
    title, text = words["earlier"]
    earlier, _secret, _created = submission_create(
        data={"kind": "complaint", "title": title, "text": text, "phone": "138 0013 8000"}
    )

    operator = Walk(browser, live_server, lang, "operator", DESKTOP, prefix="hotline-")
    page = operator.page
    operator.login("operator")
    assert page.url.endswith("/hotline/"), page.url  # each role lands on its work
    trips = _round_trips(page)
    keys = Keys(page)
    started = time.monotonic()

    assert page.evaluate("() => document.activeElement.id") == "number"
    keys.type("13800138000", words=False)
    keys.press("Enter")
    page.wait_for_selector("#history li")
    assert words["repeat"] in page.inner_text("#caller-status")
    assert earlier.tracking_number in page.inner_text("#history")
    assert page.evaluate("() => document.activeElement.id") == "title"  # the lookup moved on to the title
    keys.type(words["title"])
    keys.press("Tab")
    keys.type(words["text"])
    page.wait_for_selector("#suggested input", state="attached")
    page.wait_for_selector("#repeats:not([hidden])")
    page.wait_for_timeout(600)  # the last debounced suggestion
    suggested = page.locator("#suggested label").all_inner_texts()
    assert len(suggested) == 3
    assert earlier.tracking_number in page.inner_text("#repeats")
    operator.check("console-filled")
    _shots(operator, "console-filled")
    keys.press("Alt+1")  # the first suggestion (already chosen: the key confirms it)
    keys.press("Alt+d")
    page.wait_for_selector("#done-secret")
    seconds = time.monotonic() - started
    _shots(operator, "console-done")

    call = Call.objects.select_related("submission__lead_department").get()
    case = call.submission
    assert case.channel == "phone" and case.status == Status.ASSIGNED and case.phone == "+8613800138000"
    assert (
        case.lead_department.code == "CGJ" and call.repeat_of_id == earlier.pk and call.operator.username == "operator"
    )
    assert case.tracking_number in page.inner_text("#call-done")
    assert Submission.objects.count() == 2
    # The console is ready for the next call at once.
    assert page.evaluate("() => document.activeElement.id") == "number"

    lookups = [t for t in trips if "/hotline/caller/" in t]
    assists = [t for t in trips if "/hotline/assist/" in t]
    logs = [t for t in trips if "/hotline/log/" in t]
    assert (len(lookups), len(logs)) == (1, 1) and 1 <= len(assists) <= 4, trips
    assert seconds < 60
    MEASURES.parent.mkdir(parents=True, exist_ok=True)
    measures = json.loads(MEASURES.read_text()) if MEASURES.exists() else {}
    measures[lang] = {
        "control_keys": keys.control,
        "caller_word_characters": keys.words,
        "round_trips": len(trips),
        "lookups": len(lookups),
        "assists": len(assists),
        "logs": len(logs),
        "seconds_in_browser": round(seconds, 1),
        "call_seconds_recorded": call.seconds,
    }
    MEASURES.write_text(json.dumps(measures, indent=1, ensure_ascii=False))
    print(f"hotline walk ({lang}): {measures[lang]}")
    operator.close()


@pytest.mark.django_db(transaction=True)
def test_operator_answers_a_question_from_the_knowledge_base_and_the_citizen_rates_it(
    browser, live_server, eager_celery
):
    from demo.city import seed_demo
    from feedback.models import Rating, Satisfaction, Status, Submission
    from knowledge.demo import seed_articles
    from knowledge.models import Article

    seed_demo()
    seed_articles()
    operator = Walk(browser, live_server, "zh-hans", "operator", DESKTOP, prefix="hotline-kb-")
    page = operator.page
    operator.login("operator")
    keys = Keys(page)
    keys.type("0571-87654321", words=False)
    keys.press("Enter")
    page.wait_for_selector("#caller-status:has-text('首次来电')")
    keys.type("结婚证丢了")
    keys.press("Tab")
    keys.type("结婚证搬家时丢了，想补办一个，要带什么材料？")
    page.wait_for_selector("#articles input[name=article]")
    page.wait_for_timeout(600)
    article = Article.objects.get(slug="mzj-marriage-cert")
    assert page.locator(f"#article-{article.pk}").is_checked()
    _shots(operator, "kb-answer")
    keys.press("Alt+k")
    page.wait_for_selector("#done-link")
    link = page.get_attribute("#done-link", "href")
    case = Submission.objects.get(channel="phone")
    assert case.status == Status.REPLIED and case.lead_department == article.department
    article.refresh_from_db()
    assert article.usage_count == 1
    operator.close()

    # The caller opens the link from the confirmation and rates the answer.
    citizen = Walk(browser, live_server, "zh-hans", "citizen", PHONE, prefix="hotline-kb-")
    cpage = citizen.page
    cpage.goto(link)
    cpage.wait_for_selector("#rate")
    assert article.body[:20] in cpage.inner_text("main")
    cpage.check("#rate input[name=satisfaction][value=satisfied]")
    cpage.check("#rate input[name=is_resolved][value=yes]")
    citizen.check("citizen-rate")
    _shots(citizen, "citizen-rate")
    with cpage.expect_navigation():
        cpage.click("#rate-button")
    rating = Rating.objects.get(submission=case)
    assert (rating.satisfaction, rating.is_resolved) == (Satisfaction.SATISFIED, True)
    assert Submission.objects.get(pk=case.pk).status == Status.CLOSED
    citizen.close()

    # The department keeps its articles; the flag of an expired one is on its page.
    staff = Walk(browser, live_server, "en", "staff", DESKTOP, prefix="hotline-kb-")
    staff.login("ylj_staff")
    staff.goto("/knowledge/")
    assert staff.page.locator("#expired li").count() == 1
    staff.check("kb-list")
    _shots(staff, "kb-list")
    staff.goto(staff.page.get_attribute("#expired a", "href"))
    staff.check("kb-edit")
    _shots(staff, "kb-edit")
    staff.close()
    for shot in (Path(__file__).resolve().parents[2] / "artifacts" / "e2e").glob("*hotline*"):
        if shot.suffix == ".png":
            shutil.copy(shot, SHOTS / shot.name)
