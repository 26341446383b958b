"""PostgreSQL restarted in the middle of a deadline sweep, with real Celery workers.

The test runs its own PostgreSQL cluster (``initdb`` + ``pg_ctl`` on a spare
port, in a temporary directory, as the ``postgres`` OS user when run as root),
its own ``redis-server`` and two real workers; the shared services are never
touched. Every process and the cluster are stopped in ``finally`` blocks.
"""

from __future__ import annotations

import email
import email.policy
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from deadlines.models import Deadline, Escalation
from feedback.models import CaseEvent, Notification
from tests.routing.test_faults import REPO, RedisServer, Worker, reset_connections, wait_for

pytestmark = [pytest.mark.integration]

CASES = 40
HELD_CASE = 12  # the 13th case's row: the batch that takes it waits on it
BATCH = 2
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]
ROUTED_AT = "2026-03-02 08:30"  # sign for by 18:00 the same day
SWEPT_AT = "2026-03-02T18:30:00+08:00"  # only level 1 (reminder to the department's staff) is due
SWEEP_PERIOD_SECONDS = 60  # DEADLINE_SWEEP_SECONDS' default: the beat's period


class PostgresCluster:
    """A throwaway PostgreSQL cluster; ``pg_ctl restart -m fast`` drops every session, as an upgrade would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.created_at = time.monotonic()
        self.root = Path(tempfile.mkdtemp(prefix="ms-pg-fault-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_owner: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as postgres, in a directory it owns
            shutil.chown(self.root, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.root, 0o755)

    def _pg(self, tool: str, *args: str, timeout: float = 60) -> None:
        binary = str(Path(PG_BIN[0]) / tool) if PG_BIN[0] else tool
        subprocess.run([*self.as_owner, binary, *args], check=True, capture_output=True, timeout=timeout, cwd=self.root)

    def _ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._pg("pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", *extra)

    def start(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self._ctl("start")
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE minsheng")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, database: str = "minsheng") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/minsheng"


def _spare_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP = f"""
from demo.city import seed_demo
from feedback.services import submission_create
from city.models import Category
from routing.services import submission_route
from tests.routing.conftest import local

seed_demo()
category = Category.objects.get(code="city.garbage")
for index in range({CASES}):
    submission, _secret, _created = submission_create(
        data={{"kind": "complaint", "title": f"垃圾没人清运 {{index}}", "text": "小区门口的垃圾三天没人清运了。",
              "category": category}},
        now=local("{ROUTED_AT}"),
    )
    submission_route(submission_id=submission.pk, now=local("{ROUTED_AT}"))
"""


def _count(conn: psycopg.Connection, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]


def _counts(cluster: PostgresCluster) -> dict[str, int] | None:
    """Rows the workers committed, or None while the server is not answering."""
    try:
        with psycopg.connect(cluster.dsn(), connect_timeout=2, autocommit=True) as conn:
            return {
                "escalations": _count(conn, f"SELECT count(*) FROM {Escalation._meta.db_table}"),
                "escalation_events": _count(
                    conn, f"SELECT count(*) FROM {CaseEvent._meta.db_table} WHERE kind = 'escalation'"
                ),
                # Escalation notifications only: routing a case also tells its department (counted in "emails").
                "notifications": _count(
                    conn,
                    f"SELECT count(*) FROM {Notification._meta.db_table} n JOIN {CaseEvent._meta.db_table} e"
                    " ON e.id = n.event_id WHERE e.kind = 'escalation'",
                ),
                "emails": _count(
                    conn,
                    f"SELECT count(*) FROM {Notification._meta.db_table}"
                    " WHERE channel = 'email' AND sent_at IS NOT NULL",
                ),
                "unsent": _count(conn, f"SELECT count(*) FROM {Notification._meta.db_table} WHERE sent_at IS NULL"),
                "sent_more_than_once": _count(
                    conn,
                    f"SELECT count(*) FROM {Notification._meta.db_table} WHERE attempts <> 1 AND sent_at IS NOT NULL",
                ),
            }
    except psycopg.OperationalError:
        return None


def _mails(mail_dir: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every email the workers handed to the mail backend."""
    sent = []
    for path in mail_dir.iterdir():
        for raw in path.read_bytes().split(b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw, policy=email.policy.default)
                sent.append((str(message["To"]), str(message["Subject"])))
    return sent


@pytest.fixture
def cluster():
    """A PostgreSQL cluster of this test's own; always stopped and deleted."""
    cluster = PostgresCluster(_spare_port())
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def own_redis(free_port, tmp_path):
    server = RedisServer(free_port, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_broker(own_redis):
    """This process's Celery app, publishing to the test's own Redis."""
    from portal.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = own_redis.url
    reset_connections(app)
    yield app
    app.conf.broker_url = old
    reset_connections(app)


@pytest.fixture
def fault_env(cluster, own_redis, tmp_path) -> dict[str, str]:
    """The demo city and CASES routed cases on the cluster; the environment of every process."""
    env = {
        "DATABASE_URL": cluster.url,
        "REDIS_URL": own_redis.url,
        "DJANGO_SETTINGS_MODULE": "tests.routing.fault_settings",
        "MINSHENG_TEST_MAIL_DIR": str(tmp_path / "mail"),
        "MINSHENG_VAR_DIR": str(tmp_path / "var"),
        "DEADLINE_SWEEP_BATCH": str(BATCH),
    }
    (tmp_path / "mail").mkdir()
    for command in (["migrate", "--noinput", "-v0"], ["shell", "-c", SETUP]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            check=True,
            capture_output=True,
            timeout=60,
        )
    return env


@pytest.fixture
def two_workers(fault_env, own_redis, tmp_path):
    workers = [Worker(name, own_redis.url, tmp_path, fault_env) for name in ("w1", "w2")]
    try:
        for worker in workers:
            worker.wait_ready()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def _hold_one_case(cluster: PostgresCluster) -> psycopg.Connection:
    """An uncommitted escalation of the 13th case: the batch that takes it waits on this row in its
    INSERT … ON CONFLICT, mid-transaction; the sweep's other connection commits every other batch."""
    held = psycopg.connect(cluster.dsn())
    held.execute(
        f"INSERT INTO {Escalation._meta.db_table} "
        "(submission_id, deadline_id, step, level, department_id, due_at, instructions, created_at) "
        "SELECT submission_id, id, step, 1, department_id, due_at, 'held', now() "
        f"FROM {Deadline._meta.db_table} "
        f"WHERE is_open ORDER BY next_check_at, id OFFSET {HELD_CASE} LIMIT 1"
    )
    return held


def _until(cluster: PostgresCluster, name: str, value: int, *, timeout: float, what: str) -> float:
    """Wait until a count reaches ``value``; the seconds it took."""
    started = time.monotonic()
    wait_for(lambda: (_counts(cluster) or {}).get(name) == value, timeout=timeout, what=what)
    return time.monotonic() - started


def test_postgres_restarted_mid_sweep_escalates_and_mails_each_case_once(cluster, own_broker, two_workers, tmp_path):
    timings: dict[str, float] = {}
    held = _hold_one_case(cluster)
    own_broker.send_task("routing.tasks.deadline_sweep", kwargs={"now": SWEPT_AT})
    # The backlog is swept on two connections (DEADLINE_SWEEP_CONNECTIONS' default): one waits on the held
    # row with its batch, the other takes every other batch and stops when none is left.
    _until(cluster, "escalations", CASES - BATCH, timeout=30, what="every batch but the held one committed")
    time.sleep(0.5)  # the other worker is sending the first batches' notifications meanwhile
    assert _counts(cluster)["escalations"] == CASES - BATCH  # the sweep is stuck mid-way
    restart_started = time.monotonic()
    cluster.restart()
    held.close()
    timings["restart"] = time.monotonic() - restart_started

    # Recovery within one sweep period: the task's bounded retry finishes the work; then one tick of each
    # sweep (as the beat would send) adds nothing and sends what a failed send task left behind.
    timings["escalations_recovered"] = _until(
        cluster, "escalations", CASES, timeout=SWEEP_PERIOD_SECONDS, what="the retried sweep to record every escalation"
    )
    own_broker.send_task("routing.tasks.deadline_sweep", kwargs={"now": SWEPT_AT})
    own_broker.send_task("feedback.tasks.send_pending_notifications_sweep")
    timings["notifications_recovered"] = timings["escalations_recovered"] + _until(
        cluster, "unsent", 0, timeout=SWEEP_PERIOD_SECONDS, what="every notification sent"
    )
    time.sleep(1)  # let the second sweep finish: it must add nothing

    recipients_per_case = 2  # CGJ's staff member and its head
    counts = _counts(cluster)
    emails = counts.pop("emails")
    assert counts == {
        "escalations": CASES,
        "escalation_events": CASES,
        "notifications": CASES * recipients_per_case,
        "unsent": 0,
        "sent_more_than_once": 0,
    }
    logs = "".join(worker.log.read_text() for worker in two_workers)
    assert "deadline_sweep" in logs and "Retry in" in logs  # the restart did interrupt the sweep
    mails = _mails(tmp_path / "mail")
    assert len(mails) == emails >= CASES * recipients_per_case  # every email notification mailed, once
    assert len(set(mails)) == len(mails), "a notification was mailed twice"
    timings["total"] = time.monotonic() - cluster.created_at
    print("timings:", {k: round(v, 1) for k, v in timings.items()})
    assert timings["total"] < 90
