"""In the browser: sign for, ask for material, reply, rating; a supervisor approves an extension."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from feedback.models import Rating, Status, Submission

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def browser(monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The live server's request threads must not keep persistent connections,
    # or the test database cannot be dropped at the end of the run.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)

    # The test body uses the ORM while Playwright's loop is running; undone after the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        # ORM calls made while Playwright's loop runs get their own connection: close it here.
        connections.close_all()
        chromium.close()


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"casework-{name}-{size_name}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def _login(browser, live_server, username: str):
    from demo.city import DEMO_PASSWORD

    page = browser.new_page(viewport=SIZES["desktop"], locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.inner_text("main")
    return page


def _act(page, action: str, fields: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    page.click(f"#action-{action} summary")
    for selector, value in (fields or {}).items():
        page.fill(f"#action-{action} {selector}", value)
    for selector, value in (select or {}).items():
        page.select_option(f"#action-{action} {selector}", value)
    page.click(f"#action-{action} button[name=do]")
    page.wait_for_load_state()


def _routed_case(title: str) -> Submission:
    from city.models import Category
    from feedback.services import submission_create
    from routing.services import submission_route

    case, _secret, _ = submission_create(
        data={
            "kind": "complaint",
            "title": title,
            "text": "幸福小区东门垃圾桶已满三天，无人清运，气味很大。",
            "category": Category.objects.get(code="city.garbage"),
            "name": "王先生",
            "phone": "13900001111",
        }
    )
    submission_route(submission_id=case.pk)
    return Submission.objects.get(pk=case.pk)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_handles_a_case_and_a_supervisor_approves_an_extension(browser, live_server):
    from casework.models import ExtensionRequest
    from casework.services import material_provide
    from deadlines.models import Deadline
    from demo.city import seed_demo

    seed_demo()
    case = _routed_case("东门垃圾桶满了没人清运")
    other = _routed_case("西门路灯坏了一周")
    page = _login(browser, live_server, "cgj_staff")

    page.goto(f"{live_server.url}/staff/")
    assert case.tracking_number in page.content()
    _shoot(page, "inbox")

    page.click(f"text={case.title}")
    _act(page, "sign_for")
    assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    _act(page, "request_material", {"textarea[name=question]": "请上传垃圾桶现场照片。"})
    assert Submission.objects.get(pk=case.pk).status == Status.WAITING_CITIZEN

    material_provide(submission_id=case.pk, answer="照片已补充，东门两个垃圾桶都满了。")
    page.reload()
    _act(page, "reply", {"textarea[name=text]": "已安排环卫清运，并增加每日清运频次。"}, {"select": "resolved"})
    assert Submission.objects.get(pk=case.pk).status == Status.REPLIED
    _shoot(page, "case-replied")

    replied = Submission.objects.get(pk=case.pk)
    from feedback.workflow import case_transition

    def rate(c):
        Rating.objects.create(submission=c, reply=c.replies.latest("id"), satisfaction="satisfied", is_resolved=True)
        c.closed_at = timezone.now()

    case_transition(submission_id=replied.pk, action="rate", as_citizen=True, apply=rate)
    page.reload()
    assert Submission.objects.get(pk=case.pk).status == Status.CLOSED

    # The other case: sign for, then ask for an extension.
    page.goto(f"{live_server.url}/staff/cases/{other.pk}/")
    _act(page, "sign_for")
    due = Deadline.objects.get(submission=other, step="reply", is_open=True).due_at
    wanted = timezone.localtime(due + timedelta(days=3)).replace(second=0, microsecond=0)
    _act(
        page,
        "extension",
        {"input[name=new_due_at]": wanted.strftime("%Y-%m-%dT%H:%M"), "textarea[name=reason]": "需与供电公司协调。"},
    )
    assert ExtensionRequest.objects.filter(submission=other, decision="pending").exists()
    _shoot(page, "case-extension")

    supervisor = _login(browser, live_server, "supervisor")
    supervisor.goto(f"{live_server.url}/supervise/")
    _shoot(supervisor, "approvals")
    supervisor.click("button[id^=approve-]")
    supervisor.wait_for_load_state()
    assert ExtensionRequest.objects.get(submission=other).decision == "approved"
    assert Deadline.objects.get(submission=other, step="reply", is_open=True).due_at == wanted
    supervisor.goto(f"{live_server.url}/staff/")
    _shoot(supervisor, "supervisor-inbox")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dispatcher_dispatches_from_the_triage_queue_in_one_click(browser, live_server):
    from city.models import Department
    from demo.city import seed_demo
    from feedback.models import CaseEvent
    from tests.factories import make_case

    seed_demo()
    case = make_case(status=Status.TRIAGE, department=None, title="小区水管爆裂，楼道积水")
    CaseEvent.objects.create(
        submission=case,
        action="send_to_triage",
        to_status="triage",
        payload={
            "source": "model",
            "suggestions": [{"department": "SWJ", "score": 0.58}, {"department": "ZJJ", "score": 0.31}],
            "confidence": 0.58,
        },
    )
    page = _login(browser, live_server, "dispatcher")
    page.goto(f"{live_server.url}/dispatch/")
    _shoot(page, "triage")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert (case.status, case.lead_department) == (Status.ASSIGNED, Department.objects.get(code="SWJ"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_return_a_case_and_a_dispatcher_sends_it_elsewhere(browser, live_server):
    from casework.models import ReturnReason, ReturnRecord
    from city.models import Department
    from demo.city import seed_demo

    seed_demo()
    case = _routed_case("小区垃圾桶满了无人清运")
    assert case.lead_department.code == "CGJ"
    staff = _login(browser, live_server, "cgj_staff")
    staff.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    reason = ReturnReason.objects.filter(is_active=True).first()
    _act(
        staff,
        "return",
        fields={"textarea[name=text]": "小区内的清运由物业负责，应由住建局督促物业公司。"},
        select={"select[name=reason]": str(reason.pk)},
    )
    _shoot(staff, "returned")
    case.refresh_from_db()
    assert case.status == Status.RETURNED and case.return_count == 1
    assert ReturnRecord.objects.filter(submission=case, department__code="CGJ").count() == 1

    dispatcher = _login(browser, live_server, "dispatcher")
    dispatcher.goto(f"{live_server.url}/dispatch/returns/")
    assert case.tracking_number in dispatcher.inner_text("main")
    _shoot(dispatcher, "returns-queue")
    dispatcher.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    _act(
        dispatcher,
        "accept_return",
        fields={"input[name=reason]": "物业公司由住建局监管。"},
        select={"select[name=department]": str(Department.objects.get(code="ZJJ").pk)},
    )
    case.refresh_from_db()
    assert (case.status, case.lead_department.code) == (Status.ASSIGNED, "ZJJ")
