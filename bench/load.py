#!/usr/bin/env python
"""`make load`: a bounded load test of a realistic mix on 127.0.0.1 only.

Starts gunicorn, a Celery worker and beat on PostgreSQL and Redis (its own
database, created fresh), then for --seconds runs --clients concurrent
clients doing what real users do:

- citizens submit (JSON API) and follow their case (tracking API);
- department staff open the deadline board (/deadlines/);
- supervisors open the oversight dashboard (/oversight/);

and reports throughput, p50/p95/p99 latency and errors per kind. Afterwards it
waits for the workers and checks that every accepted submission is in the
database with its tracking number and has been routed: nothing lost.

    python bench/load.py --seconds 30 --clients 16
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

DISTRICTS = ["dongcheng", "xicheng", "nanhu", "beishan", "gaoxin"]
TEXTS = [
    ("complaint", "小区门口占道经营", "红星里小区门口每天晚上都有流动摊贩占道经营，油烟很大，垃圾满地。"),
    ("appeal", "停水三天无人管", "南湖区湖畔家园3号楼停水三天了，物业说是市政管网问题，请尽快处理。"),
    (
        "suggestion",
        "Add a bus stop",
        "Please add a stop near the High-tech Zone library; the nearest is 1 km away.",
    ),
    ("complaint", "工地夜间施工", "科技大道旁的工地每天晚上十一点以后还在施工，噪音很大，影响休息。"),
    ("consultation", "社保转移咨询", "从外地调到清河市工作，养老保险关系如何转移？需要哪些材料？"),
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str, password: str) -> bool:
        status, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            return False
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
        ).encode()
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"},
        )
        return status == 302


def run_load(port: int, seconds: float, clients: int, password: str) -> dict:
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    accepted: list[str] = []
    samples: dict[str, str] = {}
    run_id = f"{int(time.time() * 1000):x}"
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def record(kind: str, started: float, ok: bool) -> None:
        with lock:
            results[kind].append(time.monotonic() - started)
            if not ok:
                errors[kind] += 1

    def citizen(index: int) -> None:
        client = Client(port)
        mine: list[tuple[str, str]] = []
        rng = random.Random(index)
        while time.monotonic() < stop_at:
            if mine and rng.random() < 0.4:
                number, secret = rng.choice(mine)
                started = time.monotonic()
                try:
                    status, _ = client.request(
                        "GET", f"/api/v1/submissions/{number}/", headers={"X-Tracking-Secret": secret}
                    )
                    record("track", started, status == 200)
                except OSError:
                    record("track", started, False)
                continue
            kind, title, text = rng.choice(TEXTS)
            # The API takes district codes and a client token of 16-64 [A-Za-z0-9_-] that makes retries safe.
            body = json.dumps(
                {
                    "kind": kind,
                    "title": title,
                    "text": f"{text} #{index}-{len(mine)}",
                    "district": rng.choice(DISTRICTS),
                    "phone": "13800000000",
                    "client_token": f"load-{run_id}-{index}-{len(mine)}",
                }
            )
            started = time.monotonic()
            try:
                status, data = client.request(
                    "POST", "/api/v1/submissions/", body.encode(), {"Content-Type": "application/json"}
                )
                # 201 is a new case with its secret; 200 is a retried token (never sent twice here).
                ok = status == 201
                if ok:
                    payload = json.loads(data)
                    mine.append((payload["tracking_number"], payload["secret"]))
                    with lock:
                        accepted.append(payload["tracking_number"])
                elif status != 429:
                    with lock:
                        samples.setdefault(f"submit {status}", data[:300].decode("utf-8", "replace"))
                record("submit", started, ok)
            except OSError:
                record("submit", started, False)

    def staff(username: str, path: str, kind: str) -> None:
        client = Client(port)
        if not client.sign_in(username, password):
            with lock:
                errors[f"{kind}-sign-in"] += 1
            return
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                status, data = client.request("GET", path)
                record(kind, started, status == 200)
                if status != 200:
                    with lock:
                        samples.setdefault(f"{kind} {status}", data[:300].decode("utf-8", "replace"))
            except OSError:
                record(kind, started, False)
            time.sleep(0.05)

    threads = []
    n_citizens = max(1, clients * 3 // 4)
    for i in range(n_citizens):
        threads.append(threading.Thread(target=citizen, args=(i,), daemon=True))
    staff_users = [
        ("cgj_staff", "/deadlines/", "deadlines"),
        ("swj_staff", "/deadlines/", "deadlines"),
        ("supervisor", "/oversight/", "oversight"),
    ]
    for i in range(clients - n_citizens):
        threads.append(threading.Thread(target=staff, args=staff_users[i % len(staff_users)], daemon=True))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    report = {"seconds": round(elapsed, 1), "clients": clients, "kinds": {}}
    total = 0
    total_errors = 0
    for kind, durations in sorted(results.items()):
        total += len(durations)
        total_errors += errors[kind]
        report["kinds"][kind] = {
            "requests": len(durations),
            "rps": round(len(durations) / elapsed, 1),
            "p50_ms": round(statistics.median(durations) * 1000, 1),
            "p95_ms": round(percentile(durations, 0.95) * 1000, 1),
            "p99_ms": round(percentile(durations, 0.99) * 1000, 1),
            "errors": errors[kind],
        }
    report["total_rps"] = round(total / elapsed, 1)
    report["error_rate"] = round(total_errors / total, 4) if total else 1.0
    report["sign_in_errors"] = {k: v for k, v in errors.items() if k.endswith("sign-in")}
    report["error_samples"] = samples
    report["accepted"] = accepted
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="ms_load")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--json", dest="json_out", default="")
    parser.add_argument("--var-dir", default=str(ROOT / "var"), help="where process logs and beat's schedule go")
    parser.add_argument("--drop-database", action="store_true", help="drop the database afterwards")
    args = parser.parse_args()
    var_dir = Path(args.var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.database):
        parser.error("--database must be a plain lower-case PostgreSQL name")
    database_url = f"{args.postgres.rstrip('/')}/{args.database}"
    # A SIGTERM (a test's timeout, Ctrl-C in CI) still runs the finally below that stops every process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DEBUG": "false",
        "SUBMIT_RATE_PER_HOUR": "1000000",
        "TRACK_RATE_PER_HOUR": "1000000",
        # Every client comes from 127.0.0.1: per-address limits would measure the limiter, not the portal.
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "PYTHONUNBUFFERED": "1",
    }
    psql = ["psql", f"{args.postgres.rstrip('/')}/postgres", "-q", "-c"]
    subprocess.run(
        [*psql, f"DROP DATABASE IF EXISTS {args.database}"],
        check=True,
    )
    subprocess.run([*psql, f"CREATE DATABASE {args.database}"], check=True)
    subprocess.run(["redis-cli", "-u", args.redis, "FLUSHDB"], check=True, capture_output=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [PY, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    password = re.search(r"password for all: (\S+)\)", seeded.stdout).group(1)

    logs = open(var_dir / "load-processes.log", "w")  # noqa: SIM115 - closed below
    procs = [
        subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "4",
                "--threads",
                "2",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=logs,
            start_new_session=True,
        ),
        subprocess.Popen(
            [
                PY,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-c",
                "2",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=logs,
            start_new_session=True,
        ),
        subprocess.Popen(
            [
                PY,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(var_dir / "load-beat-schedule"),
            ],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=logs,
            start_new_session=True,
        ),
    ]
    try:
        for _ in range(60):
            try:
                if Client(args.port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        print("load: running", flush=True)  # a fault test waits for this line before it breaks something
        report = run_load(args.port, args.seconds, args.clients, password)
        accepted = report.pop("accepted")
        # Nothing lost: every accepted submission is stored and gets routed.
        check = (
            "import json,sys;from feedback.models import Submission as S;"
            "n=json.load(sys.stdin);q=S.objects.filter(tracking_number__in=n);"
            "print(json.dumps({'stored':q.count(),'unrouted':q.filter(status='submitted').count()}))"
        )
        wait_started = time.monotonic()
        deadline = wait_started + 120
        while True:
            out = subprocess.run(
                [PY, "manage.py", "shell", "-c", check],
                cwd=ROOT,
                env=env,
                input=json.dumps(accepted),
                capture_output=True,
                text=True,
                check=True,
            )
            counts = json.loads(out.stdout.strip().splitlines()[-1])
            if counts["unrouted"] == 0 or time.monotonic() > deadline:
                break
            time.sleep(2)
        report["accepted_submissions"] = len(accepted)
        report["stored"] = counts["stored"]
        report["unrouted_after_wait"] = counts["unrouted"]
        report["route_wait_seconds"] = round(time.monotonic() - wait_started, 1)
        report["lost"] = len(accepted) - counts["stored"]
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        logs.close()
        if args.drop_database:
            subprocess.run([*psql, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)"], check=False)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    ok = report["lost"] == 0 and report["unrouted_after_wait"] == 0 and report["error_rate"] < 0.01
    print("load: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
