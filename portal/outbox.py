"""The transactional outbox: how work leaves a request without the request talking to the broker.

The outbox is the rows themselves. A submission in status ``submitted`` still
has to be routed; a notification with ``sent_at`` empty still has to be sent.
The statement that writes them also runs ``pg_notify`` (``outbox_notify_sql``)
in the same transaction, and PostgreSQL delivers a notification only when
that transaction commits: nothing is announced that is not durably stored,
and a rolled-back request announces nothing.

One thread in the Celery worker (started on ``worker_ready``, see
``portal.celery``) LISTENs on ``CHANNEL`` and turns each payload into the
task that drains it (``OUTBOX_TASKS``), published from the worker, never
from the web request. A PostgreSQL advisory lock makes one listener active
across all workers; the others wait to take over. When the listener
(re)connects it first asks for the sweeps, for what was committed while no one
listened; and the periodic sweeps on beat (``route_unrouted_sweep``,
``send_pending_notifications_sweep``) stay the safety net for anything else.

Payloads: ``s:<submission id>`` (route it), ``n:<id>,<id>…`` (send these
notifications). Infrastructure: names tasks by string, imports no app.

Where no worker listens by design (``OUTBOX_IN_PROCESS``: the browser walks, which
run pages and tasks in one process), ``outbox_in_process`` drains a payload in the
writing process right after commit instead: the same task, the same arguments.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from celery import current_app
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

CHANNEL = "minsheng_outbox"
# pg_try_advisory_lock key of the one active listener ("outbox" in ASCII).
LISTENER_LOCK = 0x6F7574626F78
OUTBOX_TASKS: dict[str, str] = {
    "s": "routing.tasks.route_submission",
    "n": "feedback.tasks.send_notifications",
}
# Asked for when a listener starts: whatever was committed while nobody listened.
CATCH_UP_TASKS: list[tuple[str, dict[str, Any]]] = [
    ("routing.tasks.route_unrouted_sweep", {"older_than_seconds": 0}),
    ("feedback.tasks.send_pending_notifications_sweep", {}),
]


def outbox_notify_sql(payload_sql: str) -> str:
    """The SQL expression that announces ``payload_sql`` (an SQL text expression) on commit."""
    return f"pg_notify('{CHANNEL}', {payload_sql})"


def outbox_task_for(payload: str) -> tuple[str, list[Any]] | None:
    """The task name and arguments that drain one payload; None for a payload we do not know."""
    kind, _, rest = payload.partition(":")
    task = OUTBOX_TASKS.get(kind)
    if task is None or not rest:
        return None
    try:
        ids = [int(part) for part in rest.split(",")]
    except ValueError:
        return None
    return task, ([ids[0]] if kind == "s" else [ids])


def outbox_in_process(payload: str | None) -> None:
    """With ``OUTBOX_IN_PROCESS`` on, run the task that drains ``payload`` here once the transaction commits.

    Off (the default, production and ``make run``), this does nothing: the worker's listener does the work.
    """
    if not payload or not getattr(settings, "OUTBOX_IN_PROCESS", False):
        return
    found = outbox_task_for(payload)
    if found is None:
        return
    name, args = found
    if name not in current_app.tasks:
        importlib.import_module(name.rsplit(".", 1)[0])  # register the task module by its name
    task = current_app.tasks[name]
    transaction.on_commit(lambda: task.apply(args=args, throw=True))


def _conninfo() -> str:
    db = settings.DATABASES["default"]
    parts = {
        "dbname": db.get("NAME"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in parts.items() if v})


class OutboxListener:
    """LISTEN on the outbox channel and publish the draining tasks; one active per cluster."""

    def __init__(self, publish: Callable[[str, list[Any], dict[str, Any]], None], *, poll: float = 1.0) -> None:
        self.publish = publish
        self.poll = poll
        self.stop = threading.Event()
        self.listening = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="outbox-listener", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def dispatch(self, payload: str) -> None:
        found = outbox_task_for(payload)
        if found is None:
            log.warning("outbox: ignoring unknown payload %r", payload[:80])
            return
        task, args = found
        try:
            self.publish(task, args, {})
        except Exception:  # noqa: BLE001 - broker down: the sweeps pick the rows up
            log.warning("outbox: broker unavailable, %s left for the sweep", payload[:80], exc_info=True)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with psycopg.connect(_conninfo(), autocommit=True) as conn:
                    (locked,) = conn.execute("SELECT pg_try_advisory_lock(%s)", [LISTENER_LOCK]).fetchone()  # type: ignore[misc]
                    if not locked:  # another worker listens; take over if it goes away
                        self.stop.wait(5.0)
                        continue
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    for task, kwargs in CATCH_UP_TASKS:
                        try:
                            self.publish(task, [], kwargs)
                        except Exception:  # noqa: BLE001 - broker down: beat runs the sweeps anyway
                            log.warning("outbox listener: could not ask for %s", task, exc_info=True)
                    while not self.stop.is_set():
                        for note in conn.notifies(timeout=self.poll):
                            self.dispatch(note.payload)
            except Exception:  # noqa: BLE001 - database or broker gone: retry
                self.listening.clear()
                log.warning("outbox listener: connection lost, retrying", exc_info=True)
                self.stop.wait(1.0)
        self.listening.clear()
