"""POST requests: a case created the one way cases are created, and every error of the spec."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.open311.conftest import json_of, post_request, xml_of


def test_post_creates_a_case_through_submission_create(city, api_key, client):
    from feedback.models import CaseEvent, Submission
    from feedback.services import secret_matches
    from open311.models import ServiceRequest

    response = post_request(client, api_key)
    assert response.status_code == 200
    (answer,) = json_of(response)
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id", "tracking_secret"}
    assert isinstance(answer["service_request_id"], str) and answer["account_id"] is None
    case = Submission.objects.get(tracking_number=answer["service_request_id"])
    assert case.channel == "open311"
    assert case.category.code == "city.garbage"
    assert case.latitude == Decimal("30.123456") and case.longitude == Decimal("120.654321")
    assert case.name == "Li Lei" and case.phone == "+8613800000000" and case.email == "citizen@example.com"
    assert case.text == "路口垃圾三天没人清运"
    assert secret_matches(case, answer["tracking_secret"])
    assert CaseEvent.objects.filter(submission=case, action="submit").count() == 1
    assert ServiceRequest.objects.get(submission=case).token == answer["token"]
    assert case.status == "submitted"  # routed by the worker from the outbox, like any submission


def test_post_answers_in_xml(city, api_key, client):
    response = post_request(client, api_key, fmt="xml")
    assert response.status_code == 200
    root = xml_of(response)
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id").startswith("QH")
    assert request.findtext("token")
    assert request.find("account_id").text is None


def test_api_key_and_jurisdiction_may_come_in_the_query_string(city, api_key, client):
    response = client.post(
        f"/open311/v2/requests.json?api_key={api_key}&jurisdiction_id=qinghe.example",
        {"service_code": "city.garbage", "address_string": "东城区 人民路 1 号"},
    )
    assert response.status_code == 200, response.content


def test_empty_optional_parameters_count_as_absent(city, api_key, client):
    from feedback.models import Submission

    response = post_request(
        client,
        api_key,
        lat="",
        long="",
        address_string="人民路 1 号",
        email="",
        phone="",
        media_url="",
        jurisdiction_id="",
        description="",
    )
    assert response.status_code == 200, response.content
    case = Submission.objects.get(tracking_number=response.json()[0]["service_request_id"])
    assert case.latitude is None and case.email == ""
    assert case.title == "垃圾清运", "without a description the service name is the title"


def test_a_json_body_is_accepted_too(city, api_key, client):
    body = {"api_key": api_key, "service_code": "city.garbage", "lat": 30.1, "long": 120.2, "description": "x"}
    response = client.post("/open311/v2/requests.json", body, content_type="application/json")
    assert response.status_code == 200, response.content


def test_attributes_are_checked_against_the_definition_and_kept(city, api_key, road_definition, client):
    from open311.models import ServiceRequest

    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "transport.road",
            "address_string": "人民路",
            "attribute[size]": "large",
            "attribute[lanes]": "2",
            "attribute[hazards][]": ["water", "cables"],
            "attribute[unknown]": "ignored",
            "media_url": "https://img.example/pothole.jpg",
        },
    )
    assert response.status_code == 200, response.content
    record = ServiceRequest.objects.select_related("submission").get(token=response.json()[0]["token"])
    assert record.attributes == {"size": "large", "lanes": "2", "hazards": ["water", "cables"]}
    assert record.media_url == "https://img.example/pothole.jpg"
    assert "How big is the damage?: large" in record.submission.text


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({}, "attribute[size] is required"),
        ({"attribute[size]": "huge"}, "not one of the allowed values"),
        ({"attribute[size]": "small", "attribute[lanes]": "two"}, "must be a number"),
        ({"attribute[size]": "small", "attribute[hazards][]": ["fire"]}, "not one of the allowed values"),
    ],
)
def test_bad_attributes_are_400_and_create_nothing(city, api_key, road_definition, client, attributes, message):
    from feedback.models import Submission

    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": api_key, "service_code": "transport.road", "address_string": "人民路", **attributes},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400 and message in error["description"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"api_key": None}, 403, "api_key is required"),
        ({"api_key": "not-a-key"}, 403, "Invalid api_key"),
        ({"service_code": None}, 400, "service_code was not provided"),
        ({"service_code": ""}, 400, "service_code was not provided"),
        ({"service_code": "no.such"}, 404, "service_code no.such was not found"),
        ({"jurisdiction_id": "elsewhere.example"}, 404, "jurisdiction_id elsewhere.example was not found"),
        ({"lat": None, "long": None}, 400, "A location is required"),
        ({"long": None}, 400, "lat and long must be given together"),
        ({"lat": "91"}, 400, "lat must be a number between -90 and 90"),
        ({"long": "east"}, 400, "long must be a number between -180 and 180"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"media_url": "not a url"}, 400, "media_url"),
        ({"description": "x" * 4001}, 400, "description"),
    ],
)
def test_each_post_error_of_the_spec(city, api_key, client, fmt, fields, status, message):
    from feedback.models import Submission

    data = {
        "api_key": api_key,
        "service_code": "city.garbage",
        "lat": "30.1",
        "long": "120.2",
        "description": "垃圾",
        **fields,
    }
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(f"/open311/v2/requests.{fmt}", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    if fmt == "json":
        (error,) = json_of(response)
        code, description = error["code"], error["description"]
    else:
        root = xml_of(response)
        assert root.tag == "errors"
        code, description = int(root.findtext("error/code")), root.findtext("error/description")
    assert code == status
    assert message in description
    assert not Submission.objects.exists()


def test_errors_are_translated_to_chinese_by_default(city, client):
    response = client.post("/open311/v2/requests.json", {"service_code": "city.garbage", "lat": "1", "long": "1"})
    assert response.status_code == 403
    assert response.json()[0]["description"] != "An api_key is required to post a request."


def test_a_revoked_key_is_refused(city, api_key, client):
    from open311.models import ApiKey

    ApiKey.objects.update(is_active=False)
    assert post_request(client, api_key).status_code == 403


def test_a_key_past_its_rate_limit_gets_429_with_retry_after(city, api_key, client):
    from feedback.models import Submission
    from open311.models import ApiKey

    ApiKey.objects.update(rate_limit_per_minute=2)
    assert [post_request(client, api_key).status_code for _ in range(2)] == [200, 200]
    response = post_request(client, api_key, fmt="xml")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert xml_of(response).findtext("error/code") == "429"
    assert Submission.objects.count() == 2


def test_a_post_while_the_cache_is_down_is_taken_and_the_key_not_counted(city, api_key, client, settings):
    """Redis down (a port nothing listens on): the key's limit fails open, like every other limiter, never a 500."""
    from feedback.models import Submission

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = post_request(client, api_key)  # (Django's setting_changed hook gives the new cache at once)
    assert response.status_code == 200, response.content
    assert Submission.objects.count() == 1


def test_using_a_key_records_when(city, api_key, client):
    from open311.models import ApiKey

    post_request(client, api_key)
    assert ApiKey.objects.get().last_used_at is not None


def test_get_and_delete_methods_on_post_only_paths_answer_in_the_error_shape(city, client):
    response = client.delete("/open311/v2/requests.json")
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


def test_a_null_character_in_an_attribute_is_400(city, api_key, client):
    response = post_request(client, api_key, **{"attribute[note]": "a\x00b"})
    assert response.status_code == 400
