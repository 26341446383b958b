"""A citizen with only a phone number, in headless Chromium, in Chinese and in English.

She submits on the real form with a phone number and no e-mail; the receipt SMS with the private link goes
through a fake Twilio started by the test (never the network). She loses the link, opens "my cases" in a
fresh browser with a code sent by SMS (a wrong code first: a clear message, nothing opened), finds the case,
sees that it is overdue (the department never signed for it) and urges it; a second urge the same day is
refused. The department and the supervisors are told. Every SMS body reached the provider exactly once.
Each page gets the checks of ``tests/e2e/walk.py`` (axe, CSP, phone width, untranslated text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.walk import CHROMIUM, LANGUAGES, PHONE, Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

TEXT = {
    "zh-hans": {
        "title": "小区路灯坏了一个星期",
        "text": "幸福小区北门的三盏路灯已经坏了一个星期，晚上很黑，老人出门不安全。",
        "wrong": "验证码不正确",
        "overdue": "该诉求已超期",
        "urged": "催办已发送",
        "again": "今天已催办过",
    },
    "en": {
        "title": "Street lights out for a week",
        "text": "Three street lights at the north gate of Xingfu estate have been out for a week; it is dark.",
        "wrong": "This code is not right",
        "overdue": "This case is overdue",
        "urged": "Your urge was sent",
        "again": "You urged this case today",
    },
}
NUMBER_TYPED = "139 1234 5678"
E164 = "+8613912345678"


@pytest.fixture
def fake_provider(settings):
    from tests.feedback.fake_sms import start_fake_twilio, use_fake_twilio

    fake, server = start_fake_twilio()
    use_fake_twilio(settings, fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_phone_only_citizen_recovers_the_case_by_code_and_urges_it(
    lang, browser, live_server, eager_celery, fake_provider
):
    from accounts.models import Role, User
    from deadlines.models import DeadlinePolicy, DurationUnit
    from demo.city import seed_demo
    from feedback.models import CaseEvent, Notification, Submission
    from feedback.tasks import send_pending_notifications_sweep
    from feedback.workflow import Action

    seed_demo()
    # The world: offices must sign for a case at once, so the one below is overdue as soon as it is routed.
    DeadlinePolicy.objects.update(sign_for_amount=0, sign_for_unit=DurationUnit.HOURS)
    words = TEXT[lang]

    # 1. She submits with a phone number only; the receipt SMS carries the private link.
    citizen = Walk(browser, live_server, lang, "phone-citizen", PHONE, prefix="phone-")
    page = citizen.page
    citizen.goto("/submit/")
    citizen.choose_language()
    page.check("input[name=kind][value=complaint]")
    page.select_option("#id_category", "city.garbage")
    page.fill("#id_title", words["title"])
    page.fill("#id_text", words["text"])
    page.select_option("#id_district", "dongcheng")
    page.fill("#id_phone", NUMBER_TYPED)
    with page.expect_navigation():
        page.click("#submit-button")
    number = page.inner_text("#tracking-number").strip()
    link = page.get_attribute("#tracking-link", "href")
    citizen.check("01-submitted")
    case = Submission.objects.get(tracking_number=number)
    assert case.phone == E164 and case.email == ""
    (receipt,) = fake_provider.bodies_to(E164)
    assert number in receipt and link.split("/t/", 1)[1] in receipt
    citizen.close()

    # 2. Days later, without the link: a fresh browser, "my cases", a code by SMS.
    again = Walk(browser, live_server, lang, "phone-citizen", PHONE, prefix="phone-")
    page = again.page
    again.goto("/")
    again.choose_language()
    again.follow("#cta-my-cases")
    again.check("02-my-cases")
    page.fill("#id_contact", NUMBER_TYPED)
    again.follow("#send-code")
    again.check("03-code")
    code_sms = fake_provider.bodies_to(E164)[1]
    code = re.search(r"\b(\d{6})\b", code_sms).group(1)
    page.fill("#id_code", "000000" if code != "000000" else "111111")
    again.follow("#check-code")
    assert words["wrong"] in page.inner_text("main")
    again.check("04-wrong-code")
    page.fill("#id_code", code)
    again.follow("#check-code")
    assert number in page.inner_text("#my-cases")
    again.check("05-list")

    # 3. The case is overdue: she urges it, once.
    again.follow(f"#my-cases a[href$='/{number}/']")
    assert words["overdue"] in page.inner_text("#urge")
    again.check("06-overdue")
    page.fill("#urge textarea[name=reason]", words["text"][:20])
    again.follow("#urge-button")
    assert words["urged"] in page.inner_text("main")
    assert words["again"] in page.inner_text("#urged-today") and page.locator("#urge-button").count() == 0
    again.check("07-urged")
    urge = CaseEvent.objects.get(submission=case, action=Action.URGE)
    told = set(Notification.objects.filter(event=urge).values_list("recipient__role", flat=True))
    assert Role.SUPERVISOR in told and len(told) >= 2
    assert Notification.objects.filter(event=urge, recipient__in=User.objects.filter(role=Role.SUPERVISOR)).exists()
    again.close()

    # 4. Every SMS reached the provider exactly once, and nothing is left to send twice.
    assert send_pending_notifications_sweep() == 0
    bodies = [m["Body"] for m in fake_provider.messages]
    assert len(bodies) == 2 and len(set(bodies)) == 2, bodies
    assert Submission.objects.get(pk=case.pk).status == case.status  # an urge moves nothing
