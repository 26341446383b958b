"""GET requests is shared for a minute: one answer for everyone, keyed by all that changes it, never stale by id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.open311.conftest import post_request
from tests.open311.test_requests_get import CONTACTS

LIST = "/open311/v2/requests.json"


@pytest.fixture(autouse=True)
def _public_cache_on(settings):
    """As in production: a minute (the suite turns it off; the conftest's cache.clear() gives each test its own)."""
    settings.MINSHENG = {**settings.MINSHENG, "PUBLIC_CACHE_SECONDS": 60}


def _ids(response) -> list[str]:
    return [r["service_request_id"] for r in response.json()]


def test_a_second_identical_get_is_answered_from_the_cache_without_a_query(
    handled_case, client, django_assert_num_queries
):
    case, _staff, _reply = handled_case
    first = client.get(LIST)
    with django_assert_num_queries(0):
        second = client.get(LIST)
    assert second.status_code == 200
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]
    assert _ids(second) == [case.tracking_number]


def test_the_cached_answer_is_the_fresh_answer_and_holds_no_contact_details(handled_case, api_key, client):
    case, _staff, _reply = handled_case
    for fmt in ("json", "xml"):
        cached = client.get(f"/open311/v2/requests.{fmt}")
        cached = client.get(f"/open311/v2/requests.{fmt}")  # from the cache
        cache.clear()
        fresh = client.get(f"/open311/v2/requests.{fmt}")
        assert cached.content == fresh.content, fmt
        body = cached.content.decode()
        assert case.tracking_number in body
        for contact in CONTACTS:
            assert contact not in body, (fmt, contact)
    # Nothing per caller: an API key in the query string is not part of the key; every caller gets one answer.
    assert client.get("/open311/v2/requests.xml", {"api_key": api_key}).content == fresh.content


def test_different_parameters_format_or_language_get_their_own_answers(city, api_key, client):
    from accounts.models import User
    from feedback.workflow import case_transition

    garbage = post_request(client, api_key).json()[0]["service_request_id"]
    water = post_request(client, api_key, service_code="water.supply").json()[0]["service_request_id"]
    case_transition(submission_id=_case(water).pk, action="mark_invalid", actor=User.objects.get(username="dispatcher"))
    everything = client.get(LIST)
    assert set(_ids(everything)) == {garbage, water}
    assert _ids(client.get(LIST, {"service_code": "city.garbage"})) == [garbage]
    assert _ids(client.get(LIST, {"status": "closed"})) == [water]
    assert _ids(client.get(LIST, {"status": "open"})) == [garbage]
    assert _ids(client.get(LIST, {"service_request_id": water})) == [water]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert _ids(client.get(LIST, {"start_date": tomorrow})) == []
    assert client.get("/open311/v2/requests.xml").content.startswith(b"<?xml")
    chinese = {r["service_code"]: r["service_name"] for r in client.get(LIST).json()}
    english = {r["service_code"]: r["service_name"] for r in client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert chinese.keys() == english.keys() and chinese != english
    # Unknown parameters do not split the answer, and the first answer is still the one kept.
    assert client.get(LIST, {"utm_source": "x"}).content == everything.content


def _case(number):
    from feedback.models import Submission

    return Submission.objects.get(tracking_number=number)


def test_a_request_posted_after_a_get_is_found_by_id_at_once_and_listed_once_the_minute_is_over(city, api_key, client):
    earlier = post_request(client, api_key).json()[0]["service_request_id"]
    assert _ids(client.get(LIST)) == [earlier]
    later = post_request(client, api_key).json()[0]["service_request_id"]

    # The same client looks its new request up by id: never from the cache.
    (single,) = client.get(f"/open311/v2/requests/{later}.json").json()
    assert single["service_request_id"] == later
    assert _ids(client.get(LIST, {"service_request_id": later})) == [later]
    # The list is at most PUBLIC_CACHE_SECONDS old; when its entry expires (cleared here) the new one is there.
    assert _ids(client.get(LIST)) == [earlier]
    cache.clear()
    assert _ids(client.get(LIST)) == [later, earlier]


def test_without_a_cache_time_every_get_is_computed(city, api_key, client, settings, django_assert_max_num_queries):
    settings.MINSHENG = {**settings.MINSHENG, "PUBLIC_CACHE_SECONDS": 0}
    earlier = post_request(client, api_key).json()[0]["service_request_id"]
    assert _ids(client.get(LIST)) == [earlier]
    later = post_request(client, api_key).json()[0]["service_request_id"]
    with django_assert_max_num_queries(5):
        assert _ids(client.get(LIST)) == [later, earlier]


def test_a_changed_setting_is_a_different_answer(city, api_key, client, settings):
    for _ in range(3):
        post_request(client, api_key)
    assert len(client.get(LIST).json()) == 3
    settings.MINSHENG = {**settings.MINSHENG, "OPEN311_MAX_REQUESTS": 2}
    assert len(client.get(LIST).json()) == 2


@pytest.fixture
def unreachable_cache(settings, free_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield


def test_the_list_is_answered_while_the_cache_is_down(handled_case, client, unreachable_cache):
    case, _staff, _reply = handled_case
    response = client.get(LIST)
    assert response.status_code == 200
    assert _ids(response) == [case.tracking_number]


def test_the_events_of_the_list_are_read_only_from_the_window_s_months(city, api_key, client):
    """The public-events prefetch is bounded by the window's start, so older monthly partitions are not read."""
    from portal.partitioning import _add_months, _month_start, ensure_partitions, partition_name

    now = timezone.now()
    old = _add_months(_month_start(now), -6)
    ensure_partitions(2, now=old)  # months 6, 5 and 4 back: older than the 90-day window
    post_request(client, api_key)
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(LIST).json()) == 1
    (events_sql,) = [q["sql"] for q in queries.captured_queries if 'FROM "feedback_caseevent"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + events_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert partition_name("feedback_caseevent", old) not in plan
    assert partition_name("feedback_caseevent", _month_start(now)) in plan
