"""The consultation loop in headless Chromium (Chinese walk, English spot checks).

An office opens a consultation; three citizens suggest, two of them nearly
the same; others support with an e-mailed code; the office closes it,
confirms the proposed groups and answers by group on time; the adopted idea
reaches "done" through progress updates; the author reads it on the private
page; the digest and the public scoreboard show it. A second, unanswered
consultation escalates. Every page gets the checks of ``tests/e2e/walk.py``
(axe-core, CSP, phone reflow, untranslated text) and screenshots to
artifacts/e2e/<lang>-consult-<step>.png.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from tests.consultations.conftest import code_from_mail
from tests.consultations.test_services import BIKE_A, BIKE_B, LIBRARY
from tests.e2e.walk import CHROMIUM, DESKTOP, PHONE, Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _suggest(browser, live_server, consultation_id: int, title: str, text: str, email: str, step: str | None) -> str:
    citizen = Walk(browser, live_server, "zh-hans", "citizen", PHONE, prefix="consult-")
    citizen.goto(f"/consultations/{consultation_id}/")
    citizen.page.fill("#id_title", title)
    citizen.page.fill("#id_text", text)
    citizen.page.fill("#id_author_email", email)
    citizen.follow("#suggest button[type=submit]")
    link = citizen.page.get_attribute("#private-link", "href")
    if step:
        citizen.check(f"{step}-suggestion-done")
    citizen.close()
    return link


def _support(browser, live_server, consultation_id: int, reference: str, email: str, step: str | None) -> None:
    fan = Walk(browser, live_server, "zh-hans", "fan", PHONE, prefix="consult-")
    fan.goto(f"/consultations/{consultation_id}/")
    fan.page.click(f"#s-{reference} summary")
    fan.page.fill(f"#support-email-{reference}", email)
    fan.follow(f"#s-{reference} .support-form button[type=submit]")
    if step:
        fan.check(step)
    fan.page.fill("#id_code", code_from_mail(email))
    fan.follow("main button[type=submit]")
    fan.close()


@pytest.mark.django_db(transaction=True)
def test_an_office_asks_citizens_answer_and_an_adopted_idea_reaches_done(browser, live_server, eager_celery):
    from city.models import Department
    from consultations.models import Answer, Consultation, ConsultationEscalation, Suggestion, SuggestionGroup
    from consultations.services import consultation_close, consultation_open, suggestion_create
    from consultations.tasks import consultations_sweep
    from demo.city import seed_demo

    seed_demo()
    mail.outbox.clear()
    now = timezone.now()

    # The office opens a consultation.
    office = Walk(browser, live_server, "zh-hans", "office", DESKTOP, prefix="consult-")
    office.login("cgj_staff")
    office.goto("/consultations/office/new/")
    office.page.fill("#id_title", "湖滨路改造：怎样更安全？")
    office.page.fill("#id_question", "湖滨路明年改造，请提出您的建议。")
    office.page.fill("#id_background", "湖滨路全长2公里，早晚高峰车流量大。")
    office.page.select_option("#id_department", label="城市管理局")
    office.page.fill("#id_opens_at", _local(now - timedelta(minutes=5)))
    office.page.fill("#id_closes_at", _local(now + timedelta(days=7)))
    office.check("office-new")
    office.follow("main button[type=submit]")
    consultation = Consultation.objects.get()
    assert office.page.url.endswith(f"/consultations/office/{consultation.pk}/")

    # Three citizens suggest; two of them nearly the same. The first gives a phone number, masked in public.
    first_link = _suggest(
        browser, live_server, consultation.pk, BIKE_A[0], BIKE_A[1] + "我的电话13812345678", "a@example.com", "c1"
    )
    _suggest(browser, live_server, consultation.pk, BIKE_B[0], BIKE_B[1], "b@example.com", None)
    _suggest(browser, live_server, consultation.pk, LIBRARY[0], LIBRARY[1], "", None)
    first = Suggestion.objects.get(title=BIKE_A[0])

    # Others support the first idea, each with the code from their e-mail.
    _support(browser, live_server, consultation.pk, first.reference, "fan1@example.com", "support-code")
    _support(browser, live_server, consultation.pk, first.reference, "fan2@example.com", None)
    assert first.supports.count() == 2

    public = Walk(browser, live_server, "zh-hans", "public", PHONE, prefix="consult-")
    public.goto(f"/consultations/{consultation.pk}/")
    text = public.page.inner_text("main")
    assert "13812345678" not in text and "138＊＊＊＊＊＊78" in text
    public.check("open-with-themes")

    # The office closes it, checks the proposed groups, confirms and answers by group.
    office.goto(f"/consultations/office/{consultation.pk}/")
    office.follow("#close-consultation")
    bike = SuggestionGroup.objects.get(suggestions=first)
    assert bike.suggestions.count() == 2
    library = SuggestionGroup.objects.exclude(pk=bike.pk).get()
    office.check("office-grouping")
    office.follow("#confirm-groups")
    office.page.select_option(f"#outcome-{bike.pk}", "adopted")
    office.page.fill(f"#answer-reason-{bike.pk}", "采纳。年内在湖滨路施划非机动车道并设隔离护栏。")
    office.follow(f"#group-{bike.pk} .answer-form button[type=submit]")
    office.page.select_option(f"#outcome-{library.pk}", "noted")
    office.page.fill(f"#answer-reason-{library.pk}", "图书馆不属本局职责，已转文旅局参考。")
    office.follow(f"#group-{library.pk} .answer-form button[type=submit]")
    consultation.refresh_from_db()
    assert consultation.status == "answered" and consultation.answered_on_time

    # The adopted idea reaches "done" through progress updates; followers hear of each step once.
    for step, words in (("in_progress", "已完成设计，下月施工。"), ("done", "非机动车道已施划完成并投入使用。")):
        office.page.select_option(f"#progress-{bike.pk}", step)
        office.page.fill(f"#progress-text-{bike.pk}", words)
        office.follow(f"#group-{bike.pk} .progress-form button[type=submit]")
    assert Answer.objects.get(group=bike).progress == "done"
    office.check("office-answered")
    progress_mails = [m for m in mail.outbox if "非机动车道已施划完成" in m.body]
    followers = ["a@example.com", "b@example.com", "fan1@example.com", "fan2@example.com"]
    assert sorted(m.to[0] for m in progress_mails) == followers

    # The author reads the answer on the private page; the public page shows themes, answers and progress.
    author = Walk(browser, live_server, "zh-hans", "author", PHONE, prefix="consult-")
    author.page.goto(first_link)
    assert "采纳" in author.page.inner_text("main") and "已完成" in author.page.inner_text("main")
    author.check("author-private")
    author.close()
    public.goto(f"/consultations/{consultation.pk}/")
    public.check("answered")
    public.close()
    english = Walk(browser, live_server, "en", "public", PHONE, prefix="consult-")
    english.goto("/consultations/?state=closed")
    english.choose_language()
    english.follow(f"a[href='/consultations/{consultation.pk}/']")
    assert "Adopted" in english.page.inner_text("#themes")
    english.check("answered")
    english.close()

    # A second consultation nobody answers escalates like a case.
    late = consultation_open(
        by=office_user(),
        department=Department.objects.get(code="CGJ"),
        title="夜市摊位怎样管？",
        question="请提建议。",
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(hours=1),
    )
    suggestion_create(consultation_id=late.pk, title="划定夜市区域", text="建议划定夜市区域，定时收摊。")
    consultation_close(consultation_id=late.pk)
    late.refresh_from_db()
    sweep_at = (late.answer_due_at + late.escalation_period * 2 + timedelta(minutes=1)).isoformat()
    consultations_sweep.apply(kwargs={"now": sweep_at})
    consultations_sweep.apply(kwargs={"now": sweep_at})
    assert list(ConsultationEscalation.objects.filter(consultation=late).values_list("level", flat=True)) == [1, 2, 3]

    # The supervisor finds it all in the digest; the public scoreboard shows the office.
    supervisor = Walk(browser, live_server, "zh-hans", "supervisor", DESKTOP, prefix="consult-")
    supervisor.login("supervisor")
    supervisor.goto(f"/consultations/office/{late.pk}/")
    assert supervisor.page.locator("#escalations li").count() == 3
    supervisor.goto("/oversight/digest/")
    digest = supervisor.page.inner_text("#digest-consultations")
    assert "湖滨路改造" in digest and "非机动车道" in digest and "督办级别 3" in digest
    supervisor.check("digest")
    supervisor.goto("/scoreboard/")
    board = supervisor.page.inner_text("#scoreboard-consultations")
    assert "城市管理局" in board and "50%" in board
    supervisor.check("scoreboard")
    supervisor.close()
    office.close()


def office_user():
    from accounts.models import User

    return User.objects.get(username="cgj_staff")
