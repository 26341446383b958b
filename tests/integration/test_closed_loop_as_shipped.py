"""The closed loop as shipped: the stack `make run` starts, with no variables, closes the loop by itself.

Embedded PostgreSQL and Valkey in a var directory of its own, the real
launcher (supervisord: web, worker, beat), beat on its own schedule (the
deadline sweep every DEADLINE_SWEEP_SECONDS=5): nothing here calls the sweep.
A citizen submits on the web form, the worker routes the case, and
``shift_deadlines`` (the documented command) moves its deadline: first into
the warning window, then past it. The warning and then level 1 (催办) are
recorded exactly once and shown on /deadlines/ and the overdue dashboard;
the citizen's e-mail links to the port the portal serves (SITE_URL's default).

On the way, the worker and beat are killed: supervisord starts each again
with one log line, the site stays up, and the loop then runs on the
restarted ones. Ctrl-C (SIGINT) at the end stops everything,
embedded servers included, and leaves no process behind.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.integration.conftest import ROOT, wait_for

pytestmark = pytest.mark.integration

SWEEP_SECONDS = 5


def processes_with_marker(marker: str) -> dict[int, str]:
    """pid -> command line of every process whose environment carries ``marker``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"MINSHENG_SMOKE_MARK={marker}".encode() in (entry / "environ").read_bytes():
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


def parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


class Browser:
    """A citizen's or a supervisor's HTTP session: cookies and the CSRF token, like a browser keeps them."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path}))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError:
            return 0, ""


def test_make_run_stack_routes_warns_and_escalates_once_and_survives_dead_worker_and_beat(free_port):
    marker = uuid.uuid4().hex
    var = Path(tempfile.mkdtemp(prefix="minsheng-e2e-"))
    var.chmod(0o755)  # the embedded PostgreSQL runs as nobody when we are root
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SITE_URL", "DEBUG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "MINSHENG_VAR_DIR": str(var),
            "DEADLINE_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "MINSHENG_SMOKE_MARK": marker,
            "PYTHONUNBUFFERED": "1",
        }
    )

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"manage.py {args[0]}: {done.stdout[-1500:]}{done.stderr[-3000:]}"
        return done.stdout

    log_path = var / "launcher.log"
    launcher = None
    try:
        # What `make run` does: migrate, seed the demo city, start the launcher.
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo")
        log = open(log_path, "w")  # noqa: SIM115 - the launcher writes to it until the end
        launcher = subprocess.Popen(
            [sys.executable, "scripts/devserver.py", "--port", str(free_port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{free_port}"
        citizen = Browser(base)
        assert wait_for(lambda: citizen.get("/healthz")[0] == 200, timeout=90), log_path.read_text()[-3000:]
        database = (
            subprocess.run(
                [sys.executable, "-m", "portal.embedded", "env"], cwd=ROOT, env=env, capture_output=True, text=True
            )
            .stdout.split()[0]
            .split("=", 1)[1]
        )

        # A worker or beat that dies is started again, with one line each, and the site stays up.
        def supervised(program: str) -> int | None:
            """The process supervisord runs for ``program`` (not one of the worker's pool processes)."""
            found = processes_with_marker(marker)
            supervisord = next((p for p, cmd in found.items() if "supervisor.supervisord" in cmd), None)
            return next((p for p, cmd in found.items() if f" {program} " in cmd and parent_of(p) == supervisord), None)

        for program in ("worker", "beat"):
            first = wait_for(lambda program=program: supervised(program), timeout=60)
            assert first, program
            os.kill(first, signal.SIGKILL)
            again = wait_for(lambda program=program, first=first: (p := supervised(program)) and p != first, timeout=60)
            assert again, f"{program} not restarted"
            lines = re.findall(rf"WARN exited: {program} \(terminated by SIGKILL", log_path.read_text())
            assert len(lines) == 1, program
        assert citizen.get("/healthz")[0] == 200

        # A citizen submits on the web form.
        status, _ = citizen.get("/submit/")
        assert status == 200
        form = {
            "kind": "complaint",
            "category": "water.supply",
            "title": "停水三天",
            "text": "小区停水三天了，没有任何通知。",
            "district": "dongcheng",
            "phone": "13812345678",
            "email": "citizen@example.com",
        }
        status, page = citizen.post("/submit/", form)
        assert status == 200, page[:2000]
        tracking = re.search(r"QH\d{8}-\d{6}", page).group(0)

        def one(sql: str, *params):
            with psycopg.connect(database, autocommit=True) as conn:
                return conn.execute(sql, params).fetchone()

        def levels() -> list[int]:
            with psycopg.connect(database, autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT e.level FROM routing_escalation e JOIN feedback_submission s ON s.id = e.submission_id "
                    "WHERE s.tracking_number = %s ORDER BY e.level",
                    [tracking],
                ).fetchall()
            return [level for (level,) in rows]

        # The (restarted) worker routes it.
        routed = wait_for(
            lambda: one("SELECT status FROM feedback_submission WHERE tracking_number = %s", tracking)[0] == "assigned",
            timeout=60,
        )
        assert routed, log_path.read_text()[-3000:]

        # Into the warning window: beat's sweep records the warning, once.
        manage("shift_deadlines", "--case", tracking, "--due-in", "0.1")
        assert wait_for(lambda: levels() == [0], timeout=60), levels()
        # Past the deadline: level 1 (催办), once, and the warning is not repeated.
        manage("shift_deadlines", "--case", tracking, "--due-in", "-1")
        assert wait_for(lambda: levels() == [0, 1], timeout=60), levels()
        wait_for(lambda: False, timeout=2 * SWEEP_SECONDS)  # more sweeps run…
        assert levels() == [0, 1]  # …and record nothing twice
        events = one(
            "SELECT count(*) FROM feedback_caseevent e JOIN feedback_submission s ON s.id = e.submission_id "
            "WHERE s.tracking_number = %s AND e.kind = 'escalation'",
            tracking,
        )[0]
        assert events == 2

        # The citizen's confirmation (console e-mail) carries the case's private link on the port served.
        assert wait_for(lambda: f"{base}/t/{tracking}/" in log_path.read_text(), timeout=30), "no link to this port"

        # Shown to the supervisor: /deadlines/ and the overdue dashboard.
        supervisor = Browser(base)
        supervisor.get("/accounts/login/")
        status, _ = supervisor.post("/accounts/login/", {"username": "supervisor", "password": "minsheng-demo-2026"})
        assert status == 200
        status, board = supervisor.get("/deadlines/")
        assert status == 200
        overdue = board.split('id="overdue"', 1)[1].split("</section>", 1)[0]
        assert tracking in overdue and "催办" in overdue
        assert "后台任务失败" not in board  # no background task failed
        status, dashboard = supervisor.get("/oversight/")
        assert status == 200 and tracking in dashboard
    finally:
        if launcher is not None:
            launcher.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                launcher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                launcher.kill()
        left = wait_for(lambda: not processes_with_marker(marker), timeout=20)
        if not left:
            subprocess.run([sys.executable, "-m", "portal.embedded", "stop"], cwd=ROOT, env=env, timeout=60)
        shutil.rmtree(var, ignore_errors=True)
    assert left, f"processes left behind: {processes_with_marker(marker)}"
    assert launcher.returncode == 0
