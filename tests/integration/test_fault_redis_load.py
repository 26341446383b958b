"""Redis (broker, cache and rate limiter) stopped and started again in the middle of a load run.

``tests/routing/test_faults.py`` covers submissions made while Redis is down
through the service; this one goes through gunicorn with real clients, a
worker and beat, so the cache-backed rate limiters, the publish on commit and
the beat's reconnection are all in the path.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from tests.integration.conftest import ROOT
from tests.integration.test_load_short import _port_after, _server_url
from tests.routing.test_faults import RedisServer

pytestmark = [pytest.mark.integration]
OUTAGE_SECONDS = 5


def test_redis_stopped_and_started_during_load_loses_nothing(free_port, tmp_path):
    redis_server = RedisServer(_port_after(free_port), tmp_path)
    redis_server.start()
    report_path = tmp_path / "report.json"
    database = f"{connection.settings_dict['NAME']}_redis_fault"[:63]
    command = [
        sys.executable,
        "bench/load.py",
        *("--seconds", "16", "--clients", "6", "--port", str(free_port)),
        *("--database", database, "--postgres", _server_url(), "--redis", redis_server.url),
        *("--var-dir", str(tmp_path / "var"), "--json", str(report_path), "--drop-database"),
        *("--think-scale", "0.1"),  # a tight loop: enough requests in a few seconds for a 1 % error bound
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    running = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("load: running"):
                running.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        # Migrate + seed on a busy machine may take minutes; a harness that died early fails at once.
        deadline = time.monotonic() + 480
        while not running.wait(timeout=1) and process.poll() is None and time.monotonic() < deadline:
            pass
        assert running.is_set(), "".join(lines)[-3000:]
        time.sleep(4)
        redis_server.stop()  # broker, cache and rate limiter gone for a while, mid-load
        down_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        redis_server.start()
        outage = time.monotonic() - down_at
        process.wait(timeout=240)
        reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # load.py stops its processes and drops its database
            process.wait(timeout=60)
        redis_server.stop()
    output = "".join(lines)
    assert report_path.exists(), output[-3000:]
    report = json.loads(report_path.read_text())
    print("outage", round(outage, 1), "s;", json.dumps(report))
    assert report["accepted_submissions"] > 0
    assert report["lost"] == 0
    assert report["unrouted_after_wait"] == 0  # the broker came back and the beat's sweep routed the rest
    assert report["error_rate"] < 0.01, report
