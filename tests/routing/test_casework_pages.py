"""Staff pages and the JSON API: who may see and do what (Alice owner, Bob colleague, Charlie outsider)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from casework.models import ExtensionRequest, ReturnReason
from city.models import Department
from feedback.models import CaseEvent, Status, Submission
from tests.factories import make_case

ALICE, BOB, CHARLIE = "cgj_staff", "cgj_head", "zjj_staff"


def _login(client, user):
    client.force_login(user)
    return client


CASE_PAGES = ["/staff/cases/{pk}/", "/staff/cases/{pk}/contact/", "/api/v1/staff/cases/{pk}/"]


@pytest.mark.parametrize("url", CASE_PAGES)
def test_owner_and_colleague_see_the_case_and_the_outsider_gets_404(client, users, url):
    case = make_case(status=Status.IN_PROGRESS)
    for name, expected in [(ALICE, 200), (BOB, 200), (CHARLIE, 404), ("dispatcher", 200), ("supervisor", 200)]:
        response = _login(client, users[name]).get(url.format(pk=case.pk))
        assert response.status_code == expected, (name, url)


@pytest.mark.parametrize("url", CASE_PAGES)
def test_a_case_that_does_not_exist_is_the_same_404(client, users, url):
    response = _login(client, users[CHARLIE]).get(url.format(pk=999999))
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/staff/", "/staff/cases/1/", "/dispatch/", "/supervise/", "/api/v1/staff/cases/"])
def test_anonymous_visitors_are_sent_away(client, city, url):
    response = client.get(url)
    assert response.status_code in (302, 401, 403)


ACTION_POSTS = {
    "sign_for": {},
    "note": {"text": "已电话联系"},
    "request_material": {"question": "请补充照片"},
    "reply": {"disposition": "resolved", "text": "已处理完毕"},
}


@pytest.mark.parametrize("action", sorted(ACTION_POSTS))
@pytest.mark.parametrize("prefix", ["/staff/cases/{pk}/act/{action}/", "/api/v1/staff/cases/{pk}/{action}/"])
def test_outsider_posting_an_action_gets_404_and_changes_nothing(client, users, action, prefix):
    case = make_case(status=Status.ASSIGNED if action == "sign_for" else Status.IN_PROGRESS)
    events = CaseEvent.objects.filter(submission=case).count()
    response = _login(client, users[CHARLIE]).post(prefix.format(pk=case.pk, action=action), ACTION_POSTS[action])
    assert response.status_code == 404
    assert CaseEvent.objects.filter(submission=case).count() == events
    assert Submission.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize("who", [ALICE, BOB])
def test_owner_and_colleague_can_sign_for_on_the_page(client, users, who):
    case = make_case(status=Status.ASSIGNED)
    response = _login(client, users[who]).post(f"/staff/cases/{case.pk}/act/sign_for/", {"version": case.version})
    assert response.status_code == 302
    assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_the_second_of_two_sign_fors_gets_a_reload_message(client, users):
    case = make_case(status=Status.ASSIGNED)
    _login(client, users[ALICE]).post(f"/staff/cases/{case.pk}/act/sign_for/", {"version": case.version})
    response = _login(client, users[BOB]).post(
        f"/staff/cases/{case.pk}/act/sign_for/", {"version": case.version}, follow=True
    )
    assert "请刷新" in response.content.decode() or "reload" in response.content.decode()
    assert CaseEvent.objects.filter(submission=case, action="sign_for").count() == 1


def test_api_conflicting_state_is_409(client, users):
    case = make_case(status=Status.ASSIGNED)
    api = _login(client, users[ALICE])
    assert api.post(f"/api/v1/staff/cases/{case.pk}/sign_for/", {"version": case.version}).status_code == 200
    response = api.post(f"/api/v1/staff/cases/{case.pk}/sign_for/", {"version": case.version})
    assert response.status_code == 409
    assert response.json()["detail"]


def test_api_colleague_who_may_not_act_gets_403_and_bad_input_400(client, users):
    case = make_case(status=Status.IN_PROGRESS)
    api = _login(client, users[BOB])
    assert api.post(f"/api/v1/staff/cases/{case.pk}/reply/", {"disposition": "nope", "text": ""}).status_code == 400
    assert (
        api.post(
            f"/api/v1/staff/cases/{case.pk}/escalate/", {"instructions": "x", "due_at": "2099-01-01 10:00"}
        ).status_code
        == 403
    )
    assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_api_token_auth_lists_only_the_department_cases(client, users):
    mine = make_case(status=Status.IN_PROGRESS)
    make_case(status=Status.IN_PROGRESS, department="ZJJ")
    token = Token.objects.create(user=users[ALICE])
    response = client.get("/api/v1/staff/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert response.json()["counts"]["in_progress"] == 1


def test_api_filters_by_status_and_words(client, users):
    make_case(status=Status.IN_PROGRESS, title="噪音扰民")
    wanted = make_case(status=Status.ASSIGNED, title="垃圾满了")
    api = _login(client, users[ALICE])
    rows = api.get("/api/v1/staff/cases/", {"status": "assigned", "q": "垃圾"}).json()["results"]
    assert [r["id"] for r in rows] == [wanted.pk]
    assert api.get("/api/v1/staff/cases/", {"status": "bogus"}).status_code == 400


def test_inbox_filters_overdue_and_sorts_by_due_time(client, users):
    from deadlines.models import Deadline

    late = make_case(status=Status.IN_PROGRESS, title="超期的")
    soon = make_case(status=Status.IN_PROGRESS, title="快到期的")
    Deadline.objects.filter(submission=late).update(due_at=timezone.now() - timedelta(hours=1))
    Deadline.objects.filter(submission=soon).update(due_at=timezone.now() + timedelta(hours=2))
    page = _login(client, users[ALICE]).get("/staff/", {"due": "overdue"})
    assert list(page.context["rows"]) == [late]
    page = client.get("/staff/")
    assert list(page.context["rows"])[:2] == [late, soon]
    assert "超期" in page.content.decode()


def _fill(n):
    for i in range(n):
        make_case(status=[Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_CITIZEN][i % 3])


@pytest.mark.parametrize("n", [3, 30])
def test_inbox_page_runs_a_constant_number_of_queries(client, users, django_assert_max_num_queries, n):
    _fill(n)
    _login(client, users[ALICE])
    # Measured: 9 queries for 3 rows and for 30 (session, user, departments, counts, rows, choices, unread, calendar).
    # The navigation's count of work waiting adds one, whatever the number of rows; so does the knowledge base's
    # flag of the department's expired articles (issue 18); so does the pager's count of the filtered cases.
    with django_assert_max_num_queries(13):
        response = client.get("/staff/")
    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_inbox_api_runs_a_constant_number_of_queries(client, users, django_assert_max_num_queries, n):
    _fill(n)
    _login(client, users[ALICE])
    # Measured: 7 for 3 rows and for 30 (the working-time calendar adds one).
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/staff/cases/")
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [3, 30])
def test_triage_page_runs_a_constant_number_of_queries(client, users, django_assert_max_num_queries, n):
    for _ in range(n):
        make_case(status=Status.TRIAGE, department=None)
    _login(client, users["dispatcher"])
    # +1: the navigation counts the triage queue and the pending returns (one query).
    with django_assert_max_num_queries(7):
        response = client.get("/dispatch/")
    assert len(response.context["rows"]) == n


def test_contact_details_are_shown_only_with_a_recorded_view(client, users):
    case = make_case(status=Status.IN_PROGRESS)
    page = _login(client, users[ALICE]).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "13800000000" not in page
    contact = client.get(f"/staff/cases/{case.pk}/contact/").content.decode()
    assert "13800000000" in contact
    assert CaseEvent.objects.filter(submission=case, action="contact_viewed", actor=users[ALICE]).count() == 1
    assert "13800000000" not in client.get(f"/api/v1/staff/cases/{case.pk}/").content.decode()


def test_triage_shows_suggestions_and_survives_their_absence(client, users):
    with_payload = make_case(status=Status.TRIAGE, department=None, title="有建议")
    CaseEvent.objects.create(
        submission=with_payload,
        action="send_to_triage",
        to_status="triage",
        payload={"source": "model", "suggestions": [{"department": "SWJ", "score": 0.61}], "confidence": 0.61},
    )
    bare = make_case(status=Status.TRIAGE, department=None, title="无建议")
    CaseEvent.objects.create(submission=bare, action="send_to_triage", to_status="triage", payload={"junk": 1})
    page = _login(client, users["dispatcher"]).get("/dispatch/")
    body = page.content.decode()
    assert "水务局" in body and "0.61" in body
    assert [r.pk for r in page.context["rows"]] == [with_payload.pk, bare.pk]
    swj = Department.objects.get(code="SWJ")
    client.post(f"/staff/cases/{bare.pk}/act/dispatch/", {"department": swj.pk, "version": bare.version})
    assert Submission.objects.get(pk=bare.pk).lead_department == swj


def test_staff_cannot_open_the_triage_queue(client, users):
    assert _login(client, users[ALICE]).get("/dispatch/").status_code == 404


def test_supervisor_approves_an_extension_and_a_staff_member_cannot(client, users):
    from casework.extensions import extension_request
    from deadlines.models import Deadline

    case = make_case(status=Status.IN_PROGRESS)
    due = Deadline.objects.get(submission=case, is_open=True).due_at
    request = extension_request(
        submission_id=case.pk, actor=users[ALICE], reason="需协调", new_due_at=due + timedelta(days=2)
    )
    assert _login(client, users[CHARLIE]).post(f"/supervise/extensions/{request.pk}/approve/").status_code == 404
    assert _login(client, users["supervisor"]).get("/supervise/").status_code == 200
    client.post(f"/supervise/extensions/{request.pk}/approve/")
    assert ExtensionRequest.objects.get(pk=request.pk).decision == "approved"
    assert Deadline.objects.get(submission=case, is_open=True).due_at == due + timedelta(days=2)


def test_return_form_needs_a_reason_and_shows_the_error_next_to_the_field(client, users):
    case = make_case(status=Status.ASSIGNED)
    response = _login(client, users[ALICE]).post(f"/staff/cases/{case.pk}/act/return/", {"text": "不是我们的"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    reason = ReturnReason.objects.first()
    client.post(f"/staff/cases/{case.pk}/act/return/", {"reason": reason.pk, "text": "不是我们的", "version": 0})
    assert Submission.objects.get(pk=case.pk).status == Status.RETURNED


def test_notifications_page_lists_unread_and_marks_them_read(client, users):
    from casework.triage import case_dispatch

    case = make_case(status=Status.TRIAGE, department=None)
    case_dispatch(submission_id=case.pk, actor=users["dispatcher"], department_id=Department.objects.get(code="CGJ").pk)
    page = _login(client, users[ALICE]).get("/staff/notifications/")
    assert len(page.context["rows"]) == 1
    assert 'class="badge bad"' in client.get("/staff/").content.decode()
    client.post("/staff/notifications/read/")
    from casework.selectors import unread_count

    assert unread_count(users[ALICE]) == 0
    assert unread_count(users[CHARLIE]) == 0


def test_time_left_counts_working_time_not_the_weekend(city):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from casework.templatetags.casework import working_seconds
    from city.calendar import WorkCalendar

    tz = ZoneInfo("Asia/Shanghai")
    friday_evening = datetime(2026, 11, 20, 18, 0, tzinfo=tz)
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=tz)
    wall = (monday_noon - friday_evening).total_seconds()
    worked = working_seconds(WorkCalendar(), friday_evening, monday_noon)
    assert 0 < worked <= 4 * 3600 < wall
    assert working_seconds(WorkCalendar(), monday_noon, friday_evening) == -worked


def test_api_extension_decision_by_head_and_404_for_outsiders(client, users):
    from casework.extensions import extension_request
    from deadlines.models import Deadline

    case = make_case(status=Status.IN_PROGRESS)
    due = Deadline.objects.get(submission=case, is_open=True).due_at
    request = extension_request(
        submission_id=case.pk, actor=users[ALICE], reason="需协调", new_due_at=due + timedelta(days=1)
    )
    url = f"/api/v1/staff/extensions/{request.pk}/approve/"
    assert _login(client, users[CHARLIE]).post(url).status_code == 404
    assert _login(client, users[ALICE]).post(url).status_code == 404
    response = _login(client, users[BOB]).post(url)
    assert response.status_code == 200 and response.json()["decision"] == "approved"
    assert client.post(url).status_code == 409
