"""The REST conventions every /api/ endpoint shares: one error shape, status codes, throttles."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.urls_api_errors")]


def assert_error_shape(body: dict, code: str) -> None:
    assert set(body) == {"detail", "code", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["code"] == code


def test_validation_errors_list_messages_by_field_with_nested_paths(client):
    response = client.post(
        "/api/test/validate/",
        {"title": "", "items": [{"name": "ok"}, {"name": "too long"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid")
    assert set(body["errors"]) == {"title", "items.1.name"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_object_level_validation_goes_under_non_field_errors(client):
    response = client.post("/api/test/validate/", {"title": "same", "items": []}, content_type="application/json")
    assert response.json()["errors"] == {"non_field_errors": ["Title and text must differ."]}


def test_malformed_json_is_400_in_the_same_shape(client):
    response = client.post("/api/test/validate/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response.json(), "parse_error")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("transition", 409, "transition_not_allowed"),
        ("changed", 409, "case_changed"),
        ("denied", 403, "permission_denied"),
        ("missing", 404, "not_found"),
    ],
)
def test_domain_errors_keep_their_status_and_message(client, kind, status, code):
    response = client.post(f"/api/test/domain/{kind}/")
    assert response.status_code == status
    assert_error_shape(response.json(), code)


def test_django_404_becomes_the_api_404(client):
    response = client.get("/api/test/404/")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


def test_anonymous_caller_gets_401_with_www_authenticate(client):
    response = client.get("/api/test/private/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert_error_shape(response.json(), "not_authenticated")


def test_bad_token_is_401_and_good_token_is_let_in(city, client):
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    assert client.get("/api/test/private/", HTTP_AUTHORIZATION="Token nope").status_code == 401
    token = Token.objects.create(user=User.objects.get(username="cgj_staff"))
    assert client.get("/api/test/private/", HTTP_AUTHORIZATION=f"Token {token.key}").json() == {"ok": True}


def test_signed_in_but_not_allowed_is_403(city, client):
    from accounts.models import User

    client.force_login(User.objects.get(username="cgj_staff"))
    response = client.get("/api/test/admin/")
    assert response.status_code == 403
    assert_error_shape(response.json(), "permission_denied")


def test_an_unexpected_error_is_500_in_the_same_shape(client):
    response = client.get("/api/test/crash/")
    assert response.status_code == 500
    assert_error_shape(response.json(), "server_error")


def test_throttled_caller_gets_429_with_retry_after(client, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "5/minute"},
    }
    assert [client.get("/api/test/404/").status_code for _ in range(2)] == [404, 404]
    response = client.get("/api/test/404/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert_error_shape(response.json(), "throttled")
    cache.clear()


def test_error_detail_follows_the_language(client):
    response = client.get("/api/test/404/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Not found."
    assert client.get("/api/test/404/").json()["detail"] != "Not found."


def test_a_system_exchanges_a_staff_password_for_a_token_and_uses_it(city, client):
    response = client.post("/api/v1/auth/token/", {"username": "cgj_staff", "password": "minsheng-demo-2026"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/test/private/", HTTP_AUTHORIZATION=f"Token {token}").json() == {"ok": True}


def test_a_wrong_password_gets_400_in_the_error_shape_and_no_token(city, client):
    response = client.post("/api/v1/auth/token/", {"username": "cgj_staff", "password": "guess"})
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid")
    assert "token" not in response.json()


def test_password_guessing_is_throttled(city, client, settings):
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [
        client.post("/api/v1/auth/token/", {"username": "cgj_staff", "password": "x"}).status_code for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    cache.clear()
