"""JSON: the same validation and answers as the form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Submission
from tests.feedback.conftest import EXE_BYTES, advance_to_replied, png_bytes

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/"


@pytest.fixture
def payload(form_data):
    data = dict(form_data)
    data["may_publish"] = True
    return data


def test_post_json_creates_a_submission_and_returns_number_and_secret(client, payload):
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    submission = Submission.objects.get()
    assert body["tracking_number"] == submission.tracking_number and body["created"] is True
    assert submission.channel == "api" and submission.may_publish is True
    detail = client.get(f"{URL}{body['tracking_number']}/", HTTP_X_TRACKING_SECRET=body["secret"])
    assert detail.status_code == 200
    assert detail.json()["title"] == payload["title"]
    assert [e["action"] for e in detail.json()["events"]] == ["submit"]
    assert detail["Cache-Control"] == "no-store"
    assert "phone" not in detail.json() and "email" not in detail.json()


def test_post_multipart_with_an_image(client, payload):
    payload["may_publish"] = "true"
    response = client.post(URL, {**payload, "attachments": SimpleUploadedFile("a.png", png_bytes())})
    assert response.status_code == 201, response.content
    assert Submission.objects.get().attachments.get().content_type == "image/png"


def test_errors_are_a_field_to_messages_map_in_the_users_language(client, payload):
    payload.update(title="", text="字" * 5001, district="atlantis", phone="", email="")
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    errors = errors.get("errors", errors)
    assert set(errors) >= {"title", "text", "district", "phone"}
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert "5000" in errors["text"][0]
    assert Submission.objects.count() == 0

    english = client.post(URL, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    english_errors = english.json().get("errors", english.json())
    assert english_errors["title"] == ["This field is required."]


def test_executable_disguised_as_jpg_is_refused(client, payload):
    response = client.post(URL, {**payload, "attachments": SimpleUploadedFile("x.jpg", EXE_BYTES)})
    assert response.status_code == 400
    assert "attachments" in response.json().get("errors", response.json())
    assert Submission.objects.count() == 0


def test_same_client_token_twice_creates_one_submission(client, payload):
    payload["client_token"] = "app-retry-0123456789"
    first = client.post(URL, payload, content_type="application/json")
    second = client.post(URL, payload, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["tracking_number"] == second.json()["tracking_number"]
    assert second.json()["secret"] is None
    assert Submission.objects.count() == 1


def test_wrong_or_missing_secret_is_404_like_an_unknown_number(client, payload):
    body = client.post(URL, payload, content_type="application/json").json()
    number = body["tracking_number"]
    answers = [
        client.get(f"{URL}{number}/"),
        client.get(f"{URL}{number}/", HTTP_X_TRACKING_SECRET="wrong"),
        client.get(f"{URL}{number}/?secret={body['secret']}"),  # never in the query string
        client.get(f"{URL}QH20990101-000001/", HTTP_X_TRACKING_SECRET=body["secret"]),
    ]
    assert [a.status_code for a in answers] == [404] * 4
    assert len({a.content for a in answers}) == 1


def test_api_shows_replies_to_the_secret_holder(client, payload, city):
    body = client.post(URL, payload, content_type="application/json").json()
    advance_to_replied(Submission.objects.get())
    detail = client.get(f"{URL}{body['tracking_number']}/", HTTP_X_TRACKING_SECRET=body["secret"]).json()
    assert detail["status"] == "replied" and detail["replies"][0]["text"] == "已责令工地停止夜间施工。"


def test_api_is_rate_limited_with_retry_after(client, payload, settings):
    settings.MINSHENG = {**settings.MINSHENG, "SUBMIT_RATE_PER_HOUR": 2}
    codes = [client.post(URL, payload, content_type="application/json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    blocked = client.post(URL, payload, content_type="application/json")
    assert int(blocked["Retry-After"]) > 0
    assert Submission.objects.count() == 2


def test_session_login_is_not_needed_and_csrf_does_not_block_public_posts(payload, city):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, payload, content_type="application/json").status_code == 201
