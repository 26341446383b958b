"""The operator console's services and endpoints: a call becomes one phone case, acted on in one step."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

GAS = ("燃气管道漏气", "和平小区3栋楼道里燃气味很重，好像燃气管道漏气了，请赶紧派人来看。")


def _log(operator, number="138 0013 8000", *, outcome="dispatched", department="ZJJ", title=GAS[0], text=GAS[1], **kw):
    from city.models import Department
    from hotline.services import call_log, call_start

    _e164, token = call_start(operator=operator, number=number, now=timezone.now() - timedelta(seconds=40))
    department_id = Department.objects.get(code=department).pk if department else None
    return call_log(
        operator=operator,
        call_token=token,
        data={"kind": "complaint", "title": title, "text": text, **kw.pop("data", {})},
        outcome=outcome,
        department_id=department_id,
        **kw,
    )


def test_a_dispatched_call_records_phone_channel_operator_and_call_times(kb_city, operator):
    from casework.models import Assignment
    from feedback.models import CaseEvent, Status
    from feedback.workflow import Action

    logged = _log(operator)
    case, call = logged.submission, logged.call
    assert case.channel == "phone" and case.phone == "+8613800138000"
    assert case.status == Status.ASSIGNED and case.lead_department.code == "ZJJ"
    assert Assignment.objects.get(submission=case, role="lead").department.code == "ZJJ"
    assert call.operator == operator and call.outcome == "dispatched" and 35 <= call.seconds <= 120
    assert call.ended_at >= call.started_at
    actions = list(CaseEvent.objects.filter(submission=case).order_by("id").values_list("action", "actor"))
    assert actions == [(Action.SUBMIT, None), (Action.CALL_DISPATCH, operator.pk)]
    assert logged.secret  # read out to the caller, who tracks the case with it
    assert case.deadlines.filter(is_open=True, step="sign_for").exists()


def test_a_repeat_caller_is_recognised_whatever_the_spelling_and_the_repeat_complaint_flagged(kb_city, operator):
    from hotline.selectors import call_assist, caller_history

    first = _log(operator, "13800138000").submission
    history = caller_history("+8613800138000")
    assert [c.pk for c in history] == [first.pk]
    again = call_assist(
        title="燃气味还是很重",
        text="和平小区3栋楼道燃气管道漏气，上次反映过还没人来。",
        kind="complaint",
        history=history,
    )
    assert [c.pk for c in again.repeats] == [first.pk]
    other = call_assist(
        title="公交车不停站", text="K8路公交车经过人民医院站不停车。", kind="complaint", history=history
    )
    assert other.repeats == []
    second = _log(operator, "+86 138-0013-8000", title="燃气味还是很重", repeat_of_id=first.pk).call
    assert second.repeat_of_id == first.pk


def test_assist_suggests_three_departments_a_category_a_district_and_articles(kb_city):
    from hotline.selectors import call_assist

    found = call_assist(
        title="高新区路边烧烤摊油烟", text="高新区科技大道晚上烧烤摊占道经营，油烟很大。", kind="complaint"
    )
    assert len(found.departments) == 3
    assert found.departments[0][0].code == "CGJ"
    assert found.category is not None and found.category.default_department.code == "CGJ"
    assert found.district is not None and found.district.name_zh == "高新区"
    question = call_assist(title="结婚证丢了", text="结婚证丢了怎么补办", kind="consultation")
    assert question.articles[0][0].slug == "mzj-marriage-cert"


def test_send_to_triage_carries_the_suggestions_for_the_dispatcher(kb_city, operator):
    from feedback.models import CaseEvent, Status
    from feedback.workflow import Action

    case = _log(operator, outcome="triage", department=None).submission
    assert case.status == Status.TRIAGE and case.lead_department is None
    event = CaseEvent.objects.get(submission=case, action=Action.SEND_TO_TRIAGE)
    assert event.actor == operator and event.payload["channel"] == "phone" and event.payload["suggestions"]


@pytest.mark.parametrize(
    "bad",
    [
        "empty call",
        "no department",
        "unknown department",
        "no article",
        "tampered token",
        "other operator",
        "not operator",
    ],
)
def test_bad_calls_are_refused_with_a_message_and_change_nothing(kb_city, operator, bad):
    from accounts.models import User
    from city.models import Department
    from feedback.models import Submission
    from hotline.models import Call
    from hotline.services import call_log, call_start
    from portal.errors import DomainError

    _e164, token = call_start(operator=operator, number="13800138000")
    args = {
        "operator": operator,
        "call_token": token,
        "data": {"kind": "complaint", "title": GAS[0], "text": GAS[1]},
        "outcome": "dispatched",
        "department_id": Department.objects.get(code="ZJJ").pk,
    }
    if bad == "empty call":
        args["data"] = {"kind": "complaint", "title": "  ", "text": ""}
    elif bad == "no department":
        args["department_id"] = None
    elif bad == "unknown department":
        args["department_id"] = 999999
    elif bad == "no article":
        args |= {"outcome": "answered", "article_id": None}
    elif bad == "tampered token":
        args["call_token"] = token[:-2] + "xx"
    elif bad == "other operator":
        other = User.objects.create_user("operator2", role="operator")
        args["operator"] = other
    elif bad == "not operator":
        args["operator"] = User.objects.get(username="dispatcher")
    before = (Submission.objects.count(), Call.objects.count())
    with pytest.raises(DomainError) as refused:
        call_log(**args)
    assert refused.value.message
    assert (Submission.objects.count(), Call.objects.count()) == before


def test_a_number_that_is_no_phone_number_is_refused_in_the_operators_language(kb_city, operator):
    client = Client()
    client.force_login(operator)
    for lang, words in (("zh-hans", "有效的电话号码"), ("en", "valid phone number")):
        client.cookies["django_language"] = lang
        answer = client.get(reverse("hotline:caller"), {"number": "12"}, HTTP_ACCEPT_LANGUAGE=lang)
        assert answer.status_code == 400 and words in answer.json()["error"], answer.content


def test_console_endpoints_walk_a_call_end_to_end(kb_city, operator):
    from city.models import Department
    from feedback.models import Submission

    client = Client()
    client.force_login(operator)
    assert client.get(reverse("hotline:console")).status_code == 200
    looked = client.get(reverse("hotline:caller"), {"number": "13800138000"}).json()
    assert looked["number"] == "+8613800138000" and looked["history"] == [] and not looked["repeat_caller"]
    assist = client.get(reverse("hotline:assist"), {"title": GAS[0], "text": GAS[1], "kind": "complaint"}).json()
    assert [d["code"] for d in assist["departments"]][0] in {"ZJJ", "YJJ"}
    zjj = Department.objects.get(code="ZJJ").pk
    done = client.post(
        reverse("hotline:log"),
        {
            "call_token": looked["token"],
            "title": GAS[0],
            "text": GAS[1],
            "kind": "complaint",
            "outcome": "dispatched",
            "department": zjj,
        },
        HTTP_ACCEPT="application/json",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    case = Submission.objects.get(tracking_number=body["tracking_number"])
    assert case.lead_department_id == zjj and body["secret"] in body["track_url"]
    # The same number again is a repeat caller with that case in the history.
    again = client.get(reverse("hotline:caller"), {"number": "138-0013-8000"}).json()
    assert again["repeat_caller"] and again["history"][0]["tracking_number"] == case.tracking_number
    # An empty call: 400 with a message, no case.
    empty = client.post(
        reverse("hotline:log"),
        {"call_token": again["token"], "outcome": "dispatched", "department": zjj},
        HTTP_ACCEPT="application/json",
    )
    assert empty.status_code == 400 and "空" in json.loads(empty.content)["error"]
    assert Submission.objects.count() == 1


def test_only_operators_use_the_console(kb_city):
    from accounts.models import User

    client = Client()
    for username in ("dispatcher", "cgj_staff", "supervisor"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("hotline:console")).status_code == 403
        assert client.get(reverse("hotline:caller"), {"number": "13800138000"}).status_code == 403
    client.logout()
    assert client.get(reverse("hotline:console")).status_code == 302


def test_operator_lands_on_the_console_after_sign_in(kb_city, operator):
    from casework.selectors import role_home_url

    assert role_home_url(operator) == reverse("hotline:console")


def test_seed_logs_the_demo_calls_once(kb_city):
    from hotline.demo import CALLS, seed_calls
    from hotline.models import Call

    assert seed_calls() == len(CALLS)
    assert seed_calls() == 0
    assert Call.objects.filter(outcome="answered").count() == 1
    assert Call.objects.filter(caller_number="+8613700012345").count() == 2
    assert Call.objects.filter(repeat_of__isnull=False).count() == 1  # the second call about the same barbecue


def test_operators_reach_no_case_page_and_keep_no_articles(kb_city, operator):
    from tests.factories import make_case

    case = make_case()
    client = Client()
    client.force_login(operator)
    assert client.get(reverse("casework:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("knowledge:new")).status_code == 403
    assert client.get(reverse("knowledge:list")).status_code == 200
    assert client.get(reverse("knowledge:reopened")).status_code == 403
    assert client.get(reverse("oversight:dashboard")).status_code == 403


def test_the_case_page_shows_the_call(kb_city, operator):
    from accounts.models import User

    logged = _log(operator)
    client = Client()
    client.force_login(User.objects.get(username="zjj_staff"))
    page = client.get(reverse("casework:case", args=[logged.submission.pk])).content.decode()
    assert "热线电话" in page and "话务员 林晓" in page
