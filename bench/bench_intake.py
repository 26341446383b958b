#!/usr/bin/env python
"""Intake throughput with wrk: Minsheng's JSON submissions against its one-INSERT ceiling and against a peer.

Not a test. One command, three targets measured back to back with the same
wrk Lua driver (``bench/wrk_post.lua``), the same title, text and e-mail
address, gunicorn with the same number of sync workers and no access log:

1. ``/api/v1/bench/insert/``: Minsheng's one-INSERT view (mounted because this
   script sets MINSHENG_BENCH=1), the ceiling of any write on this stack;
2. ``/api/v1/submissions/``: a citizen's submission as the API takes it;
3. django-helpdesk's public ticket form (``/tickets/submit/``), when
   ``--helpdesk`` names its directory (see bench/README.md for the setup,
   kept outside the repository).

    python bench/bench_intake.py --helpdesk /work/helpdesk --rounds 2

Prints requests/s of each, the ratio submissions / ceiling (target >= 0.5,
stretch 0.7) and submissions / helpdesk (target >= 3, stretch 5), per round.
Point ``--url`` at any running Minsheng (and ``--helpdesk-url`` at any
helpdesk) to drive it instead of starting gunicorn here.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ms_bench); REDIS_URL for
Minsheng's cache (the rate limiter). No worker runs here: the outbox's notifications go unheard and the
cases stay unrouted, as a peer without one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_submit import free_port, prepare_database  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
LUA = ROOT / "bench" / "wrk_post.lua"

TITLE = "工地夜间施工噪音扰民"
TEXT = "幸福路工地每晚十一点后仍在施工，噪音很大，影响休息。" * 4
EMAIL = "zhangsan@example.com"
# A fixed CSRF secret (cookie and form field): the helpdesk form is CSRF-protected, a browser would carry both.
CSRF = "benchcsrfsecret0123456789abcdefg"


def minsheng_body() -> tuple[str, str]:
    body = {"kind": "complaint", "title": TITLE, "text": TEXT, "email": EMAIL, "district": "dongcheng"}
    return json.dumps(body, ensure_ascii=False), "application/json"


def helpdesk_body() -> tuple[str, str]:
    form = {"csrfmiddlewaretoken": CSRF, "title": TITLE, "body": TEXT, "submitter_email": EMAIL}
    return urlencode(form), "application/x-www-form-urlencoded"


def wait_port(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def gunicorn(python_dir: Path, app: str, cwd: Path, env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    cmd = [
        str(python_dir / "gunicorn"),
        app,
        "--config",
        str(ROOT / "bench" / "gunicorn_bench.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
    ]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)
    wait_port(port, proc)
    return proc


def ready(url: str, body: str, content_type: str, seconds: float = 120) -> None:
    """Wait until the target answers a real POST (workers import their code on the first requests)."""
    import http.client
    from urllib.parse import urlparse

    parts = urlparse(url)
    headers = {"Content-Type": content_type, "Cookie": f"csrftoken={CSRF}"}
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request("POST", parts.path, body=body.encode(), headers=headers)
            status = conn.getresponse().status
            conn.close()
            if status < 400:
                return
            raise SystemExit(f"{url} answered {status}")
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)


def wrk(url: str, body: str, content_type: str, *, seconds: int, connections: int, threads: int) -> dict:
    """Run wrk once; requests/s of the answers that were 2xx or 3xx, and how many were not."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        f.write(body)
    env = {**os.environ, "WRK_BODY_FILE": f.name, "WRK_CONTENT_TYPE": content_type, "WRK_CSRF": CSRF}
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "--latency"]
    cmd += ["-s", str(LUA), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    if total == 0:
        print(out, file=sys.stderr)
    bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    p99 = m.group(1) if (m := re.search(r"99%\s+(\S+)", out)) else "?"
    return {"rate": (total - bad) / seconds, "ok": total - bad, "bad": bad, "errors": errors, "p99": p99}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--url", help="a running Minsheng (with MINSHENG_BENCH=1 for the ceiling)")
    parser.add_argument("--helpdesk", type=Path, help="django-helpdesk's directory (venv/, hdsite/)")
    parser.add_argument("--helpdesk-url", help="a running django-helpdesk")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ms_bench"),
        "MINSHENG_BENCH": "1",
        "SUBMIT_RATE_PER_HOUR": "100000000",
        "API_ANON_RATE": "100000000/minute",
        "API_USER_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    servers: list[subprocess.Popen] = []
    try:
        base = args.url
        if not base:
            prepare_database(env)
            port = free_port()
            servers.append(gunicorn(Path(PYTHON).parent, "portal.wsgi:application", ROOT, env, port, args.workers))
            base = f"http://127.0.0.1:{port}"
        helpdesk = args.helpdesk_url
        if not helpdesk and args.helpdesk:
            port = free_port()
            hd_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS"))}
            hd_env["DJANGO_SETTINGS_MODULE"] = "hdsite.settings"
            servers.append(
                gunicorn(
                    args.helpdesk / "venv" / "bin", "hdsite.wsgi:application", args.helpdesk, hd_env, port, args.workers
                )
            )
            helpdesk = f"http://127.0.0.1:{port}"
        targets = [
            (
                "one-INSERT ceiling",
                f"{base}/api/v1/bench/insert/",
                (json.dumps({"ping": "x" * 200}), "application/json"),
            ),
            ("JSON submissions", f"{base}/api/v1/submissions/", minsheng_body()),
        ]
        if helpdesk:
            targets.append(("django-helpdesk form", f"{helpdesk}/tickets/submit/", helpdesk_body()))
        for _name, url, (body, content_type) in targets:  # each worker loads its code on its first requests
            ready(url, body, content_type)
            wrk(url, body, content_type, seconds=args.warmup, connections=args.connections, threads=args.threads)
        print(f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s; gunicorn {args.workers} sync workers each")
        for round_ in range(1, args.rounds + 1):
            rates = {}
            for name, url, (body, content_type) in targets:
                result = wrk(
                    url, body, content_type, seconds=args.seconds, connections=args.connections, threads=args.threads
                )
                rates[name] = result["rate"]
                print(
                    f"round {round_}: {name:22} {result['rate']:8.1f} /s  ({result['ok']} ok,"
                    f" {result['bad']} not 2xx/3xx, {result['errors']} socket errors, p99 {result['p99']})",
                    flush=True,
                )
            ceiling = rates["one-INSERT ceiling"] or 1.0
            line = f"round {round_}: submissions / ceiling = {rates['JSON submissions'] / ceiling:.2f} (target >= 0.5)"
            if helpdesk:
                peer = rates["django-helpdesk form"] or 1.0
                line += f"; submissions / django-helpdesk = {rates['JSON submissions'] / peer:.1f}x (target >= 3)"
            print(line, flush=True)
    finally:
        for server in servers:
            stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
