"""The suite runs on pytest-xdist workers (`make test`): each worker must have databases of its own.

pytest-django names each worker's PostgreSQL database test_<name>_gwN; tests/conftest.py gives each worker
its own Redis database (cache, rate counters, Celery broker), because tests FLUSHDB the cache and start
Celery workers that would otherwise take another worker's tasks.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from portal.celery import app
from tests.conftest import given_redis_url, worker_redis_url


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/0"),
        ("redis://127.0.0.1:6379/0", "gw3", "redis://127.0.0.1:6379/3"),
        ("redis://127.0.0.1:6379/7", "gw1", "redis://127.0.0.1:6379/8"),
        ("redis://:secret@cache:6380/14", "gw3", "redis://:secret@cache:6380/1"),
        ("redis://127.0.0.1:6379", "gw2", "redis://127.0.0.1:6379/2"),
    ],
)
def test_each_worker_gets_the_next_redis_database_on_the_same_server(url, worker, expected):
    assert worker_redis_url(url, worker) == expected


def test_more_workers_than_redis_databases_is_refused(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "17")
    with pytest.raises(pytest.UsageError, match="at most 16"):
        worker_redis_url("redis://127.0.0.1:6379/0", "gw16")


def test_cache_broker_and_child_processes_use_this_workers_redis_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = settings.REDIS_URL
    assert os.environ["REDIS_URL"] == url
    assert settings.CELERY_BROKER_URL == url
    assert app.conf.broker_url == url
    assert settings.CACHES["default"]["LOCATION"] == url
    client = cache._cache.get_client()
    index = client.connection_pool.connection_kwargs["db"]
    assert f"/{index}" == url[url.rindex("/") :]
    if worker:
        assert url == worker_redis_url(given_redis_url(), worker)
        assert (url == given_redis_url()) == (worker == "gw0")


@pytest.mark.django_db
def test_each_worker_has_its_own_test_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = connection.settings_dict["NAME"]
    assert name.startswith("test_")
    if worker:
        assert name.endswith(f"_{worker}")
