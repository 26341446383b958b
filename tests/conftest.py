"""Shared fixtures: the demo city, and Alice/Bob/Charlie style users."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit, urlunsplit

import pytest

REDIS_DATABASES = 16  # redis-server's default `databases`
_GIVEN: dict[str, str] = {}


def given_redis_url() -> str:
    """REDIS_URL as the run was given it; each xdist worker then uses a database index of its own."""
    return _GIVEN["REDIS_URL"]


def pytest_configure(config):
    # In CI the real services must be there: fail, never skip.
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI runs the suite on PostgreSQL: DATABASE_URL must point at it.")
    from django.conf import settings

    _GIVEN.setdefault("REDIS_URL", settings.REDIS_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        _own_redis_database(worker)


def pytest_collection_modifyitems(config, items):
    """Under ``--dist loadgroup`` the tests that start whole stacks (gunicorn, Celery workers and beat,
    embedded or killed servers) run one after another on one worker, not at the same time as each other:
    each is timed against real clocks and two at once on a small CI machine only measure the machine."""
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.xdist_group("stacks"))


def worker_redis_url(url: str, worker: str) -> str:
    """REDIS_URL for xdist worker ``gwN``: the same server, database index (index + N) mod 16.

    pytest-django gives each worker a database of its own (test_<name>_gwN); Redis needs the same,
    since tests clear the cache (FLUSHDB) and a worker's broker queue must not feed another's Celery worker.
    """
    number = int(worker.removeprefix("gw"))
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if count > REDIS_DATABASES:
        raise pytest.UsageError(f"at most {REDIS_DATABASES} xdist workers: each needs a Redis database of its own")
    parsed = urlsplit(url)
    index = int(parsed.path.strip("/") or 0)
    return urlunsplit(parsed._replace(path=f"/{(index + number) % REDIS_DATABASES}"))


def _own_redis_database(worker: str) -> None:
    """Point this worker's settings, Celery app, cache and child processes at the worker's Redis database.

    The settings were read before any conftest loads (pytest-django sets Django up first), so the three
    settings made from REDIS_URL are changed here, before any test opens a connection.
    """
    from django.conf import settings
    from django.core.cache import caches

    from portal.celery import app

    url = worker_redis_url(settings.REDIS_URL, worker)
    os.environ["REDIS_URL"] = url  # tests start servers and workers with os.environ
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {
        alias: {**options, "LOCATION": url} if "RedisCache" in options["BACKEND"] else options
        for alias, options in settings.CACHES.items()
    }
    # The cache handler reads CACHES once, on first use; forget it if anything used it already.
    caches._settings = None
    caches.__dict__.pop("settings", None)
    app.conf.broker_url = url


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the demo city seeded once per session (per xdist worker).

    ``seed_demo`` writes ~700 rows through ~700 queries (0.4-0.5 s); run in every test that wants the city it
    was a third of the suite's time. Every test rolls back to this committed state; a transactional test
    flushes every table when it ends, so the city is seeded again before the next test (see below).
    """
    from demo.city import seed_demo

    with django_db_blocker.unblock():
        seed_demo()


@pytest.fixture
def city(db):
    """The demo city (districts, departments, categories, logins, rules, calendar), as ``seed_demo`` makes it.

    It is already in the database (seeded at session start, rolled back to after each test); a transactional
    test gets it again after the previous transactional test's flush.
    """
    from city.models import District

    assert District.objects.filter(code="nanhu").exists(), "the demo city must be seeded before every test"


def _flushes_database(item: pytest.Item) -> bool:
    """Whether pytest-django runs ``item`` as a TransactionTestCase, whose teardown empties every table."""
    names = getattr(item, "fixturenames", ())
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))


_CITY_FLUSHED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _flushes_database(item):
            item.config.stash[_CITY_FLUSHED] = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    if item.config.stash.get(_CITY_FLUSHED, False):
        # Before any fixture of the next test opens its transaction: the seed must be committed.
        from pytest_django.plugin import blocking_manager_key

        from demo.city import seed_demo

        with item.config.stash[blocking_manager_key].unblock():
            seed_demo()
        item.config.stash[_CITY_FLUSHED] = False
    return (yield)


@pytest.fixture
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_routing_caches():
    """Each test rolls its database back, so per-process caches of rules and models must not outlive it."""
    from routing import registry

    registry.reset()
    yield
    registry.reset()


@pytest.fixture(autouse=True)
def _empty_cache_before_each_test():
    """Each test starts with an empty cache (this worker's Redis database): its database rolls back, the cache
    would keep the previous test's public answers and counters. When Redis is down (the fault tests stop it),
    there is nothing to empty."""
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # noqa: BLE001 - a stopped Redis is what some tests are about
        pass
    yield


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A test that activates a language (a page walk in English, a rendered e-mail) leaves none behind:
    the next test on the same worker starts in the site's default language, whatever ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()
