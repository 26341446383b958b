"""The intake's write path: one statement for the case, the outbox instead of the broker, one trip to Redis.

These tests commit (``transaction=True``): PostgreSQL delivers an outbox
notification only when the writing transaction commits, which is the point.
"""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client

from feedback.models import Notification, Submission
from portal.outbox import CHANNEL, OutboxListener, _conninfo, outbox_task_for

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/submissions/"
# Measured: the one intake statement, then the receipt in the same transaction (its rows with their outbox
# announcement, and the reads of who else hears of a submit). Without a contact it stays one.
STATEMENTS_WITH_RECEIPT = 4


@pytest.fixture
def payload(form_data):
    """A submission with no contact: no receipt to write, so the case and its event are the whole write."""
    data = dict(form_data)
    data.pop("email", None)
    data.pop("phone", None)
    data["is_anonymous"] = True
    return data


@pytest.fixture
def listening():
    """A LISTEN connection on the outbox channel of the test database; yields a function reading what arrived."""
    conn = psycopg.connect(_conninfo(), autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")

    def arrived(wait: float = 0.5) -> list[str]:
        return [note.payload for note in conn.notifies(timeout=wait, stop_after=50)]

    yield arrived
    conn.close()


@pytest.fixture
def redis_cache(settings):
    if not django_settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": django_settings.REDIS_URL}
    }
    # A fresh address per test: its counters start at zero.
    return Client(REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250 + 1}", HTTP_X_TEST=uuid.uuid4().hex)


def test_a_submission_is_announced_to_the_outbox_only_when_it_commits(client, payload, listening):
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    case = Submission.objects.get(tracking_number=response.json()["tracking_number"])
    assert listening() == [f"s:{case.pk}"]
    assert outbox_task_for(f"s:{case.pk}") == ("routing.tasks.route_submission", [case.pk])


def test_a_rolled_back_submission_announces_nothing_and_keeps_nothing(payload, listening):
    from feedback.forms import SubmissionForm
    from feedback.services import submission_create

    form = SubmissionForm(data=payload)
    assert form.is_valid(), form.errors
    with pytest.raises(RuntimeError), transaction.atomic():
        submission_create(data=form.submission_data())
        raise RuntimeError("the caller failed after the insert")
    assert Submission.objects.count() == 0
    assert listening() == []


def test_the_receipt_with_its_private_link_is_recorded_in_the_request_and_the_worker_adds_nothing(
    client, form_data, listening
):
    """Only the request knows the tracking secret, so the receipt (with the private link) is written there,
    in the case's transaction, and announced through the outbox; the worker's run of the submit reactions
    (before routing) finds it recorded and writes no second one."""
    from routing.tasks import route_submission

    response = client.post(URL, form_data, content_type="application/json")
    assert response.status_code == 201, response.content
    case = Submission.objects.get()
    secret = response.json()["secret"]
    notes = list(Notification.objects.filter(event__submission=case, event__action="submit").order_by("id"))
    assert notes and all(note.sent_at is None for note in notes)
    assert any(f"/t/{case.tracking_number}/{secret}/" in note.body for note in notes)
    arrived = listening()
    assert arrived[0] == f"s:{case.pk}" and arrived[1] == "n:" + ",".join(str(note.pk) for note in notes)
    assert outbox_task_for(arrived[1]) == ("feedback.tasks.send_notifications", [[note.pk for note in notes]])
    assert route_submission(case.pk) is True  # what the worker runs for "s:<id>"
    assert Notification.objects.filter(event__action="submit").count() == len(notes)
    assert route_submission(case.pk) is False  # run again (a redelivery): nothing twice
    assert Notification.objects.filter(event__action="submit").count() == len(notes)


def test_recording_an_events_notifications_twice_keeps_one_row_without_a_savepoint(city, form_data):
    from feedback.forms import SubmissionForm
    from feedback.notifications import enqueue_for_event
    from feedback.services import submission_create

    form = SubmissionForm(data=form_data)
    assert form.is_valid(), form.errors
    case, _secret, _created = submission_create(data=form.submission_data())
    event = case.events.get()
    recorded = Notification.objects.filter(event=event).count()  # the receipt, written with the case
    assert recorded >= 1
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        enqueue_for_event(event)
    assert Notification.objects.filter(event=event).count() == recorded
    assert len(queries) == 1 and "SAVEPOINT" not in queries[0]["sql"]


@pytest.mark.parametrize(("with_contact", "statements"), [(False, 1), (True, STATEMENTS_WITH_RECEIPT)])
def test_a_submission_costs_one_statement_and_a_receipt_one_more(
    client, form_data, django_assert_num_queries, with_contact, statements
):
    """One statement, the whole write: the numbered case with its event and its outbox announcement.

    It was five and eight: BEGIN, nextval, two INSERTs, COMMIT; with an address a savepoint, the
    notification row and its release. A citizen who gave a phone or an e-mail address gets the receipt
    with the private link, which only this request can write (it alone knows the secret).
    """
    data = dict(form_data)
    if not with_contact:
        data.pop("email")
        data.pop("phone", None)
        data["is_anonymous"] = True
    assert client.post(URL, data, content_type="application/json").status_code == 201  # fills the code caches
    with django_assert_num_queries(statements):
        response = client.post(URL, {**data, "title": "第二次"}, content_type="application/json")
    assert response.status_code == 201
    assert Submission.objects.count() == 2


def test_a_repeated_client_token_returns_the_first_case(client, payload):
    body = {**payload, "client_token": "retry-token-0123456789"}
    first = client.post(URL, body, content_type="application/json")
    again = client.post(URL, body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_number"] == again.json()["tracking_number"] and again.json()["secret"] is None
    assert Submission.objects.count() == 1


def test_a_client_token_taken_between_lookup_and_insert_answers_with_the_earlier_case(city, payload, monkeypatch):
    """The race the lookup cannot see: ``ON CONFLICT`` inserts nothing and the earlier case is returned."""
    from feedback.forms import SubmissionForm
    from feedback.services import submission_create

    form = SubmissionForm(data=payload)
    assert form.is_valid(), form.errors
    first, _secret, _created = submission_create(data=form.submission_data(), client_token="race-token-0123456789")
    original = Submission.objects.filter
    lookups = []

    def blind_once(*args, **kwargs):
        """The first lookup misses (the other request had not committed yet); later ones see the row."""
        lookups.append(kwargs)
        return original(pk=-1) if len(lookups) == 1 else original(*args, **kwargs)

    monkeypatch.setattr(Submission.objects, "filter", blind_once)
    again, secret, created = submission_create(data=form.submission_data(), client_token="race-token-0123456789")
    assert (again.pk, secret, created) == (first.pk, None, False)
    assert Submission.objects.count() == 1


def test_the_api_throttle_and_the_submission_limit_take_one_redis_round_trip(payload, redis_cache, monkeypatch):
    sends = []
    real = redis.connection.Connection.send_packed_command

    def counted(self, command, check_health=True):
        sends.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)
    assert redis_cache.post(URL, payload, content_type="application/json").status_code == 201
    sends.clear()  # the first request opened the process's one connection (HELLO, CLIENT SETINFO)
    assert redis_cache.post(URL, {**payload, "title": "第二条"}, content_type="application/json").status_code == 201
    assert len(sends) == 1
    sends.clear()
    assert redis_cache.post(URL, {**payload, "district": "nowhere"}, content_type="application/json").status_code == 400
    assert len(sends) == 1  # a refused form still counts against the API throttle, in one trip


def test_the_submission_limit_still_refuses_past_its_rate_on_redis(payload, redis_cache, settings):
    settings.MINSHENG = {**settings.MINSHENG, "SUBMIT_RATE_PER_HOUR": 2}
    codes = [
        redis_cache.post(URL, {**payload, "title": f"第{i}条"}, content_type="application/json").status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Submission.objects.count() == 2


def test_the_api_throttle_still_refuses_past_its_rate_on_redis(payload, redis_cache, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"},
    }
    bad = {**payload, "district": "nowhere"}
    codes = [redis_cache.post(URL, bad, content_type="application/json").status_code for _ in range(2)]
    refused = redis_cache.post(URL, payload, content_type="application/json")
    assert codes == [400, 400] and refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Submission.objects.count() == 0


def test_the_listener_publishes_routing_and_sending_for_what_commits(city, form_data):
    published: list[tuple[str, list]] = []
    arrived = threading.Event()

    def publish(name, args, kwargs):
        published.append((name, args))
        if name == "routing.tasks.route_submission":
            from routing.tasks import route_submission

            try:
                route_submission(*args)  # the worker's job, here in the listener's thread
            finally:
                connection.close()  # this thread's own Django connection
        if name == "feedback.tasks.send_notifications":
            arrived.set()

    listener = OutboxListener(publish, poll=0.1)
    listener.start()
    try:
        assert listener.listening.wait(10)
        response = Client().post(URL, form_data, content_type="application/json")
        assert response.status_code == 201
        assert arrived.wait(5)
    finally:
        listener.close()
    case = Submission.objects.get()
    note = Notification.objects.get(event__submission=case, event__action="submit", channel="email")
    assert ("routing.tasks.route_submission", [case.pk]) in published
    assert any(name == "feedback.tasks.send_notifications" and note.pk in ids for name, (ids,) in published[2:])
    # It first asked for the sweeps, for whatever was committed while nobody listened.
    assert published[0] == ("routing.tasks.route_unrouted_sweep", [])


def test_only_one_listener_is_active_and_another_takes_over(city):
    first = OutboxListener(lambda *a: None, poll=0.1)
    second = OutboxListener(lambda *a: None, poll=0.1)
    first.start()
    try:
        assert first.listening.wait(10)
        second.start()
        time.sleep(1.0)
        assert not second.listening.is_set()
        first.close()
        assert second.listening.wait(10)
    finally:
        first.close()
        second.close()


def test_unknown_outbox_payloads_are_ignored():
    assert outbox_task_for("x:1") is None
    assert outbox_task_for("s:") is None
    assert outbox_task_for("n:1,a") is None
    assert outbox_task_for("n:3,4") == ("feedback.tasks.send_notifications", [[3, 4]])
