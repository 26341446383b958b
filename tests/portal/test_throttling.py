"""API throttles keep their counters in Redis; when Redis is unreachable they let requests through."""

from __future__ import annotations

import pytest


@pytest.fixture
def unreachable_cache(settings, free_port):
    """The default cache pointed at a port where nothing listens (Redis stopped)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Django's setting_changed handler drops the cache connections built from the old settings.
    yield


def test_submission_is_accepted_while_the_throttle_cache_is_down(city, client, unreachable_cache):
    response = client.post(
        "/api/v1/submissions/",
        {
            "kind": "complaint",
            "title": "路灯不亮",
            "text": "小区门口路灯坏了一周。",
            "district": "nanhu",
            "phone": "13800000000",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["tracking_number"]


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.urls_api_errors")
def test_anonymous_callers_are_counted_once_under_the_anon_rate_not_the_user_rate(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/minute",
            "user": "1/minute",
        },
    }
    codes = [client.get("/api/test/404/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    cache.clear()


@pytest.mark.urls("tests.portal.urls_api_errors")
def test_an_authenticated_system_is_limited_by_the_user_rate(city, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "1/minute",
            "user": "2/minute",
        },
    }
    token = client.post("/api/v1/auth/token/", {"username": "cgj_staff", "password": "minsheng-demo-2026"}).json()[
        "token"
    ]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    codes = [client.get("/api/test/private/", **auth).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()
