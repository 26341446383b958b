"""GET requests, requests/{id} and tokens/{token}: spec fields and types, filters, privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tests.open311.conftest import json_of, post_request, xml_of

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
    "notes",
]
CONTACTS = ["13800000000", "citizen@example.com", "Li Lei", "Lei"]


def _iso_with_zone(text: str) -> bool:
    moment = parse_datetime(text)
    return moment is not None and moment.tzinfo is not None


def test_request_shows_the_case_with_spec_fields_and_types(handled_case, client):
    case, _staff, _reply = handled_case
    (data,) = json_of(client.get(f"/open311/v2/requests/{case.tracking_number}.json"))
    assert list(data) == REQUEST_FIELDS
    assert data["service_request_id"] == case.tracking_number
    assert data["status"] == "open"
    assert data["service_code"] == "city.garbage" and data["service_name"] == "垃圾清运"
    assert data["agency_responsible"] == "城市管理局"
    assert isinstance(data["lat"], float) and data["lat"] == 30.123, "coarsened to OPEN311_PUBLIC_COORD_DECIMALS"
    assert isinstance(data["long"], float)
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert _iso_with_zone(data[field]), field
    deadline = case.deadlines.get(step="reply", is_open=True)
    assert parse_datetime(data["expected_datetime"]) == deadline.due_at.replace(microsecond=0)
    assert data["status_notes"] is None
    assert [note["type"] for note in data["notes"]] == ["submit", "route", "sign_for"]
    assert all(note["status"] == "open" and _iso_with_zone(note["datetime"]) for note in data["notes"])


def test_contact_details_never_appear_in_get_answers(handled_case, client):
    case, _staff, _reply = handled_case
    for path in (f"requests/{case.tracking_number}", "requests"):
        for fmt in ("json", "xml"):
            body = client.get(f"/open311/v2/{path}.{fmt}").content.decode()
            assert case.tracking_number in body
            for contact in CONTACTS:
                assert contact not in body, (path, fmt, contact)


def test_reply_becomes_status_notes_and_closing_makes_it_closed(handled_case, client):
    from feedback.workflow import case_transition

    case, staff, add_reply = handled_case
    case_transition(submission_id=case.pk, action="reply", actor=staff, apply=add_reply)
    (data,) = client.get(f"/open311/v2/requests/{case.tracking_number}.json").json()
    assert data["status_notes"] == "已清运完毕"
    assert data["status"] == "open"
    assert data["expected_datetime"] is None, "the reply deadline is met"
    case_transition(submission_id=case.pk, action="close_not_rated", as_system=True)
    (data,) = client.get(f"/open311/v2/requests/{case.tracking_number}.json").json()
    assert data["status"] == "closed"
    assert data["notes"][-1]["status"] == "closed"


def test_request_in_xml_has_every_field_and_notes(handled_case, client):
    case, _staff, _reply = handled_case
    root = xml_of(client.get(f"/open311/v2/requests/{case.tracking_number}.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert float(request.findtext("lat")) == 30.123
    assert [n.findtext("type") for n in request.findall("notes/note")] == ["submit", "route", "sign_for"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_id_is_404(city, client, fmt):
    response = client.get(f"/open311/v2/requests/QH19990101-000001.{fmt}")
    assert response.status_code == 404
    if fmt == "xml":
        assert xml_of(response).findtext("error/code") == "404"
    else:
        assert json_of(response)[0]["code"] == 404


def test_a_web_case_the_citizen_did_not_allow_to_publish_is_not_shown(city, client):
    from city.models import Department
    from feedback.models import Reply
    from feedback.services import submission_create

    case, _secret, _ = submission_create(data={"kind": "complaint", "title": "私事", "text": "不公开的内容"})
    assert client.get(f"/open311/v2/requests/{case.tracking_number}.json").status_code == 404
    assert case.tracking_number not in client.get("/open311/v2/requests.json").content.decode()
    case.may_publish = True
    case.save(update_fields=["may_publish"])
    assert client.get(f"/open311/v2/requests/{case.tracking_number}.json").status_code == 404, "not before a reply"
    Reply.objects.create(
        submission=case, department=Department.objects.get(code="CGJ"), disposition="explained", text="已答复"
    )
    assert client.get(f"/open311/v2/requests/{case.tracking_number}.json").status_code == 200


def test_a_request_closed_as_spam_is_not_shown(city, api_key, client):
    from feedback.models import Submission
    from feedback.workflow import case_transition

    number = post_request(client, api_key).json()[0]["service_request_id"]
    case = Submission.objects.get(tracking_number=number)
    case_transition(submission_id=case.pk, action="mark_spam", actor=_dispatcher(), apply=_close_as("spam"))
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404


def _close_as(reason):
    def apply(case):
        case.close_reason = reason

    return apply


def test_contacts_typed_into_the_description_are_masked(city, api_key, client):
    description = "Li Lei 在路口等你，电话 13800000000，邮件 citizen@example.com"
    number = post_request(client, api_key, description=description).json()[0]["service_request_id"]
    (data,) = client.get(f"/open311/v2/requests/{number}.json").json()
    for contact in CONTACTS:
        assert contact not in data["description"]
    assert "在路口等你" in data["description"]


def _three_cases(client, api_key):
    from feedback.models import Submission

    numbers = []
    for code in ("city.garbage", "city.vendors", "water.supply"):
        response = post_request(client, api_key, service_code=code)
        numbers.append(response.json()[0]["service_request_id"])
    return numbers, Submission.objects.order_by("created_at")


def test_list_is_newest_first_and_filters_by_code_status_and_id(city, api_key, client):
    from feedback.workflow import case_transition

    numbers, cases = _three_cases(client, api_key)
    listed = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert listed == list(reversed(numbers))
    by_code = client.get("/open311/v2/requests.json", {"service_code": "city.garbage,water.supply"}).json()
    assert {r["service_code"] for r in by_code} == {"city.garbage", "water.supply"}
    case_transition(submission_id=cases[0].pk, action="mark_invalid", actor=_dispatcher())
    closed = client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [numbers[0]]
    open_ = client.get("/open311/v2/requests.json", {"status": "open"}).json()
    assert len(open_) == 2
    assert len(client.get("/open311/v2/requests.json", {"status": "open,closed"}).json()) == 3
    by_id = client.get(
        "/open311/v2/requests.json",
        {"service_request_id": f"{numbers[1]},{numbers[2]}", "service_code": "city.garbage", "status": "closed"},
    ).json()
    assert {r["service_request_id"] for r in by_id} == {numbers[1], numbers[2]}, "ids override other filters"


def _dispatcher():
    from accounts.models import User

    return User.objects.get(username="dispatcher")


def test_list_window_defaults_to_90_days(city, api_key, client):
    from feedback.models import Submission

    numbers, cases = _three_cases(client, api_key)
    Submission.objects.filter(pk=cases[0].pk).update(created_at=timezone.now() - timedelta(days=91))
    listed = {r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()}
    assert listed == set(numbers[1:])
    old = client.get("/open311/v2/requests.json", {"end_date": (timezone.now() - timedelta(days=90)).isoformat()})
    assert [r["service_request_id"] for r in old.json()] == [numbers[0]]


def test_list_takes_dates_with_zone_dates_alone_and_empty_ones(city, api_key, client):
    numbers, _cases = _three_cases(client, api_key)
    today = timezone.localdate()
    for params in (
        {"start_date": f"{today}T00:00:00+08:00", "end_date": f"{today}T23:59:59+08:00"},
        {"start_date": str(today), "end_date": str(today)},
        {"start_date": (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")},
        {"start_date": "", "end_date": "", "status": "", "service_code": ""},
    ):
        assert len(client.get("/open311/v2/requests.json", params).json()) == 3, params


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_date": "yesterday"}, "start_date must be an ISO 8601 date and time"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date must be an ISO 8601 date and time"),
        ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "may not span more than 90 days"),
        ({"start_date": "2026-06-01", "end_date": "2026-01-01"}, "end_date is before start_date"),
        ({"status": "pending"}, "status must be open or closed"),
        ({"jurisdiction_id": "elsewhere"}, "jurisdiction_id elsewhere was not found"),
    ],
)
def test_each_list_error_of_the_spec(city, client, fmt, params, message):
    response = client.get(f"/open311/v2/requests.{fmt}", params, HTTP_ACCEPT_LANGUAGE="en")
    status = 404 if "jurisdiction_id" in params else 400
    assert response.status_code == status
    if fmt == "json":
        (error,) = json_of(response)
        assert error["code"] == status and message in error["description"]
    else:
        root = xml_of(response)
        assert int(root.findtext("error/code")) == status and message in root.findtext("error/description")


def test_list_is_capped_at_the_configured_maximum(city, api_key, client, settings):
    _three_cases(client, api_key)
    settings.MINSHENG = {**settings.MINSHENG, "OPEN311_MAX_REQUESTS": 2}
    assert len(client.get("/open311/v2/requests.json").json()) == 2


def test_list_takes_a_constant_number_of_queries(city, api_key, client, django_assert_max_num_queries):
    from feedback.workflow import case_transition
    from routing.services import submission_route

    numbers, cases = _three_cases(client, api_key)
    for case in cases:
        submission_route(submission_id=case.pk)
    case_transition(submission_id=cases[0].pk, action="sign_for", actor=_staff("cgj_staff"))
    with django_assert_max_num_queries(5):
        few = client.get("/open311/v2/requests.json").json()
    for _ in range(12):
        post_request(client, api_key)
    with django_assert_max_num_queries(5):
        many = client.get("/open311/v2/requests.xml")
    assert len(few) == 3 and many.content.count(b"<request>") == 15


def _staff(username):
    from accounts.models import User

    return User.objects.get(username=username)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_token_gives_the_service_request_id(city, api_key, client, fmt):
    answer = post_request(client, api_key).json()[0]
    response = client.get(f"/open311/v2/tokens/{answer['token']}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert json_of(response) == [{"token": answer["token"], "service_request_id": answer["service_request_id"]}]
    else:
        root = xml_of(response)
        assert root.findtext("request/token") == answer["token"]
        assert root.findtext("request/service_request_id") == answer["service_request_id"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_token_is_404(city, client, fmt):
    response = client.get(f"/open311/v2/tokens/nope.{fmt}")
    assert response.status_code == 404
    assert "nope" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/requests.json?service_request_id=%00",
        "/open311/v2/requests/QH%00.json",
        "/open311/v2/tokens/%00.xml",
        "/open311/v2/services/a%00.json",
    ],
)
def test_a_null_character_is_400_not_a_server_error(city, client, path):
    response = client.get(path)
    assert response.status_code == 400
