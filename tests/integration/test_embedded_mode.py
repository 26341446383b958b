"""What `make run` starts, in the embedded mode: SQLite and the filesystem broker, no server needed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, wait_for

pytestmark = pytest.mark.integration


def processes_with_marker(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"MINSHENG_SMOKE_MARK={marker}".encode() in environ:
            found.append(int(entry.name))
    return found


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def test_make_run_processes_serve_and_stop_cleanly(tmp_path, free_port):
    marker = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "MINSHENG_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "MINSHENG_SMOKE_MARK": marker,
        }
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
    seeded = subprocess.run(
        [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True
    )
    assert "cgj_staff" in seeded.stdout
    proc = subprocess.Popen(
        [sys.executable, "scripts/devserver.py", "--port", str(free_port)],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{free_port}"
    try:
        status, body = wait_for(lambda: (r := get(base + "/"))[0] == 200 and r, timeout=60) or (0, "")
        assert status == 200 and '<html lang="zh-hans">' in body
        status, body = get(base + "/healthz")
        health = json.loads(body)
        assert status == 200, health
        assert health["database"] == {"ok": True, "detail": "sqlite"}
        assert health["broker"]["ok"] is True
        # The worker of the embedded mode really runs tasks from the filesystem broker.
        subprocess.run(
            [*manage, "shell", "-c", "from portal.tasks import heartbeat; heartbeat.delay()"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        check = "from django.core.cache import cache; print(cache.get('minsheng:worker-heartbeat') or '')"
        ran = wait_for(
            lambda: subprocess.run(
                [*manage, "shell", "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
            ).stdout.strip(),
            timeout=45,
        )
        assert ran, "the embedded worker did not run the task"
        assert len(processes_with_marker(marker)) >= 4  # launcher, web, worker (+ its child), beat
    finally:
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    assert wait_for(lambda: not processes_with_marker(marker), timeout=15), "processes left behind"
