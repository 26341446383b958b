"""`make load` in a short, bounded form: 10 s of 6 clients against gunicorn, a worker and beat.

It runs ``bench/load.py`` on a database of its own (dropped afterwards) and a
``redis-server`` of its own, so it collides with neither the test database nor
the shared Redis.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests.integration.conftest import ROOT
from tests.routing.test_faults import RedisServer

pytestmark = [pytest.mark.integration]


def _server_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"


def test_short_load_accepts_stores_and_routes_every_submission(free_port, tmp_path):
    redis_server = RedisServer(_port_after(free_port), tmp_path)
    redis_server.start()
    report_path = tmp_path / "report.json"
    database = f"{connection.settings_dict['NAME']}_load"[:63]
    command = [
        sys.executable,
        "bench/load.py",
        *("--seconds", "10", "--clients", "6", "--port", str(free_port)),
        *("--database", database, "--postgres", _server_url(), "--redis", redis_server.url),
        *("--var-dir", str(tmp_path / "var"), "--json", str(report_path), "--drop-database"),
        *("--think-scale", "0.1"),  # a tight loop: enough requests in a few seconds for a 1 % error bound
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=480)  # migrate + seed on a busy machine: minutes
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # load.py stops gunicorn, worker and beat, then drops its database
            process.communicate(timeout=60)
        redis_server.stop()
    assert report_path.exists(), output[-3000:]
    report = json.loads(report_path.read_text())
    assert report["accepted_submissions"] > 0, output[-3000:]
    assert report["lost"] == 0
    assert report["unrouted_after_wait"] == 0
    assert report["error_rate"] < 0.01, report
    assert process.returncode == 0, output[-3000:]
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [database]).fetchone()[0]
    assert left == 0  # cleaned up


def _port_after(port: int) -> int:
    """A second spare port for redis-server (the first is gunicorn's)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        other = s.getsockname()[1]
    return other if other != port else _port_after(port)
