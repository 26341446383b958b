"""Fault tests with real processes: Celery workers, a Redis of our own, the test database.

Each test starts its own ``redis-server`` on a spare port and its own worker
processes (pointed at the test database), and stops every process it started.
The machine's shared Redis is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from deadlines.models import Deadline, Escalation
from feedback.models import CaseEvent, EventKind, Notification, Status, Submission
from tests.routing.conftest import local

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir, self.process = port, workdir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet
        return False


class Worker:
    """A real ``celery worker`` process group, logging to a file."""

    def __init__(
        self, name: str, broker_url: str, log_dir: Path, extra_env: dict[str, str], *, beat: bool = False
    ) -> None:
        db = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "MINSHENG_VAR_DIR": str(log_dir / "var"),
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        self.log = log_dir / f"{name}.log"
        if beat:
            command = ["beat", "-s", str(log_dir / "beat-schedule"), "-l", "INFO"]
        else:
            command = [
                "worker",
                "-P",
                "prefork",
                "-c",
                "1",
                "-n",
                f"{name}@%h",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-l",
                "INFO",
            ]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", *command],
            cwd=REPO,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        wait_for(
            lambda: " ready." in self.log.read_text() or self.process.poll() is not None,
            timeout=45,
            what=f"worker {self.log.name}",
        )
        assert self.process.poll() is None, self.log.read_text()[-2000:]

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool child), mid-task if it is busy."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def redis_server(free_port, tmp_path):
    server = RedisServer(free_port, tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """Point this process's Celery app at the test's own Redis."""
    from portal.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = redis_server.url
    reset_connections(app)
    yield app
    app.conf.broker_url = old
    reset_connections(app)


def reset_connections(app) -> None:
    """Drop pooled broker connections so the next publish connects afresh."""
    from kombu import pools

    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def workers(redis_server, tmp_path, transactional_db):
    started: list[Worker] = []

    def start(name: str, *, beat: bool = False, **extra_env: str) -> Worker:
        worker = Worker(name, redis_server.url, tmp_path, extra_env, beat=beat)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    _wait_other_backends_gone()


def _other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _wait_other_backends_gone() -> None:
    wait_for(lambda: _other_backends() == 0, timeout=20, what="worker database sessions to end")


def _cases(make_case, count: int, at: str) -> list[int]:
    return [make_case(at).pk for _ in range(count)]


def _committed_escalations() -> int:
    """Escalations other sessions committed (not counting our own uncommitted row)."""
    return Escalation.objects.exclude(pk__in=Escalation.objects.filter(level=1, instructions="held")).count()


def _escalation_notes():
    """Notifications of escalations (a new assignment also notifies the department; those are not counted here)."""
    return Notification.objects.filter(event__kind="escalation")


def _all_sent(expected: int) -> bool:
    notes = _escalation_notes()
    return notes.count() == expected and not notes.filter(sent_at__isnull=True).exists()


def test_two_workers_and_a_beat_firing_twice_escalate_and_notify_once(make_case, broker, workers):
    ids = _cases(make_case, 30, "2026-03-02 08:30")  # sign for by Mar 2 18:00
    pair = [workers("w1", DEADLINE_SWEEP_BATCH="3"), workers("w2", DEADLINE_SWEEP_BATCH="3")]
    for worker in pair:
        worker.wait_ready()
    now = local("2026-03-03 18:30").isoformat()  # levels 1 (reminder) and 2 (head) are due
    for _ in range(2):  # the beat fires twice in the same minute
        broker.send_task("routing.tasks.deadline_sweep", kwargs={"now": now})
    expected_notes = 30 * (2 + 1)  # reminder to CGJ staff and head, then the head
    wait_for(lambda: _all_sent(expected_notes), timeout=40, what="every notification sent")
    assert Escalation.objects.filter(submission_id__in=ids).count() == 60
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATION).count() == 60
    assert set(_escalation_notes().values_list("attempts", flat=True)) == {1}

    # Then a real beat, ticking every 5 s at the current time: levels 3 and 4 are due, once each.
    beat = workers("beat", beat=True, DEADLINE_SWEEP_SECONDS="5")
    expected_notes += 30 * (2 + 2)  # supervision order and public criticism: supervisor and admin
    wait_for(lambda: _all_sent(expected_notes), timeout=40, what="the beat's sweeps to notify")
    wait_for(lambda: beat.log.read_text().count("routing.tasks.deadline_sweep") >= 2, timeout=20, what="two beat ticks")
    beat.stop()
    time.sleep(1)
    assert Escalation.objects.filter(submission_id__in=ids).count() == 30 * 4
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATION).count() == 30 * 4
    assert _escalation_notes().count() == expected_notes
    assert set(_escalation_notes().values_list("attempts", flat=True)) == {1}


def test_submissions_while_redis_is_down_are_saved_and_routed_when_it_is_back(city, broker, redis_server, workers):
    from city.models import Category
    from feedback.services import submission_create

    redis_server.stop()
    category = Category.objects.get(code="water.supply")
    numbers = []
    for index in range(10):
        started = time.monotonic()
        submission, secret, created = submission_create(
            data={"kind": "complaint", "title": f"停水 {index}", "text": "三天没有水了。", "category": category}
        )
        assert created and secret and time.monotonic() - started < 5  # the broker outage does not hang citizens
        numbers.append(submission.tracking_number)
    assert len(set(numbers)) == 10
    assert Submission.objects.filter(tracking_number__in=numbers, status=Status.SUBMITTED).count() == 10

    redis_server.start()
    reset_connections(broker)
    workers("w1").wait_ready()
    broker.send_task("routing.tasks.route_unrouted_sweep", kwargs={"older_than_seconds": 0})
    wait_for(
        lambda: Submission.objects.filter(tracking_number__in=numbers, status=Status.ASSIGNED).count() == 10,
        timeout=30,
        what="the sweep to route every submission",
    )
    assert CaseEvent.objects.filter(submission__tracking_number__in=numbers, action="route").count() == 10


def test_a_worker_killed_mid_sweep_loses_nothing_and_repeats_nothing(make_case, broker, workers):
    ids = _cases(make_case, 20, "2026-03-02 08:30")
    now = local("2026-03-02 18:30").isoformat()  # only level 1 (reminder) is due
    first = workers("w1", DEADLINE_SWEEP_BATCH="5")
    first.wait_ready()
    with transaction.atomic():
        # An uncommitted escalation of the 13th case: the batch of five that takes it waits on this row in
        # its INSERT … ON CONFLICT, mid-transaction, until we roll it back; the sweep's other connection
        # (a backlog is swept on two) commits the three other batches.
        held = Deadline.objects.get(submission_id=ids[12], is_open=True)
        Escalation.objects.create(
            submission_id=ids[12], deadline=held, step=held.step, level=1, due_at=held.due_at, instructions="held"
        )
        broker.send_task("routing.tasks.deadline_sweep", kwargs={"now": now})
        wait_for(lambda: _committed_escalations() == 15, timeout=30, what="every batch but the held one committed")
        time.sleep(1)
        assert _committed_escalations() == 15  # stuck in the held case's batch
        first.kill()
        transaction.set_rollback(True)
    _wait_other_backends_gone()  # the killed worker's open transaction is rolled back
    assert Escalation.objects.count() == 15

    second = workers("w2", DEADLINE_SWEEP_BATCH="5")
    second.wait_ready()
    broker.send_task("routing.tasks.deadline_sweep", kwargs={"now": now})
    # Notifications of the first batches whose message died with the worker: the notification sweep sends them.
    wait_for(lambda: Escalation.objects.count() == 20, timeout=30, what="the next run to finish the work")
    broker.send_task("feedback.tasks.send_pending_notifications_sweep")
    wait_for(lambda: _all_sent(20 * 2), timeout=30, what="every notification sent")
    assert Escalation.objects.filter(submission_id__in=ids, level=1).count() == 20
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATION).count() == 20
    assert set(_escalation_notes().values_list("attempts", flat=True)) == {1}
