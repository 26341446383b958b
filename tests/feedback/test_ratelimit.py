"""The per-client rate limit on the form, and failing open when Redis is down."""

from __future__ import annotations

import pytest

from feedback.models import Submission
from portal.ratelimit import rate_limit_check

pytestmark = pytest.mark.django_db


def test_form_posts_over_the_limit_get_a_clear_429_with_the_form_as_typed(client, form_data, settings):
    settings.MINSHENG = {**settings.MINSHENG, "SUBMIT_RATE_PER_HOUR": 2}
    codes = [client.post("/submit/", form_data).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    blocked = client.post("/submit/", form_data)
    assert 0 < int(blocked["Retry-After"]) <= 3600
    page = blocked.content.decode()
    assert "提交过多" in page and "12345" in page
    assert form_data["text"] in page and form_data["title"] in page  # nothing the citizen typed is lost
    assert Submission.objects.count() == 2


def test_limit_is_per_client_address(client, form_data, settings):
    settings.MINSHENG = {**settings.MINSHENG, "SUBMIT_RATE_PER_HOUR": 1}
    assert client.post("/submit/", form_data, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post("/submit/", form_data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post("/submit/", form_data, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_window_resets_after_the_hour(settings):
    assert rate_limit_check(scope="t", key="k", limit=1, now=3600 * 10 + 5).allowed
    assert not rate_limit_check(scope="t", key="k", limit=1, now=3600 * 10 + 6).allowed
    assert rate_limit_check(scope="t", key="k", limit=1, now=3600 * 11 + 1).allowed


def test_redis_down_fails_open_and_the_submission_is_saved(client, form_data, settings, free_port):
    # Nothing listens on free_port: every cache call fails fast.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.MINSHENG = {**settings.MINSHENG, "SUBMIT_RATE_PER_HOUR": 0}
    assert rate_limit_check(scope="submit", key="x", limit=0).allowed
    assert client.post("/submit/", form_data).status_code == 302
    assert Submission.objects.count() == 1


def test_counts_on_real_redis_with_an_expiry(settings):
    import uuid

    from django.conf import settings as live

    if not live.REDIS_URL:
        pytest.skip("REDIS_URL not set")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": live.REDIS_URL}
    }
    scope = f"test-{uuid.uuid4().hex}"
    results = [rate_limit_check(scope=scope, key="k", limit=2, now=7200.0).allowed for _ in range(3)]
    assert results == [True, True, False]
    from django.core.cache import caches

    backend = caches["default"]
    key = backend.make_and_validate_key(f"rl:{scope}:k:2")
    client = backend._cache.get_client(key)
    assert 0 < client.ttl(key) <= 3660
    client.delete(key)
