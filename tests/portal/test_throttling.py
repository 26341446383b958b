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
