#!/usr/bin/env python
"""Submissions per second through the JSON endpoint, against a one-INSERT ceiling.

Not a test. Starts gunicorn on PostgreSQL (its own database, migrated and
seeded), drives it with concurrent clients, then does the same against
``/api/v1/bench/insert/`` — a view that runs one INSERT and nothing else,
mounted only because this script sets MINSHENG_BENCH=1 — and prints both
rates and their ratio (target: at least 0.5).

    python bench/bench_submit.py --clients 32 --seconds 15 --workers 4

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ms_bench),
REDIS_URL (the broker the submissions' routing messages go to; the queue is purged afterwards).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

SUBMISSION = {
    "kind": "complaint",
    "category": "environment.noise",
    "title": "工地夜间施工噪音扰民",
    "text": "幸福路工地每晚十一点后仍在施工，噪音很大，影响休息。" * 4,
    "district": "dongcheng",
    "address": "幸福路88号",
    "name": "张三",
    "phone": "13812345678",
    "may_publish": True,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(env: dict[str, str]) -> None:
    import psycopg

    url = urlparse(env["DATABASE_URL"])
    name = url.path.strip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_ping (id bigserial PRIMARY KEY, body text, at timestamptz DEFAULT now())"
        )


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            GUNICORN,
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _client_process(port: int, path: str, body: bytes, threads: int, until: float, warm_until: float, queue) -> None:
    counts = {"ok": 0, "fail": 0}
    lock = threading.Lock()

    def loop() -> None:
        ok = fail = 0
        while True:
            now = time.time()
            if now >= until:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
                status = conn.getresponse().status
                conn.close()
            except OSError:
                status = 0
            if time.time() < warm_until:
                continue
            if status == 201:
                ok += 1
            else:
                fail += 1
        with lock:
            counts["ok"] += ok
            counts["fail"] += fail

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(counts)


def measure(port: int, path: str, payload: dict, clients: int, seconds: float, warmup: float) -> tuple[float, int, int]:
    """Requests/s that answered 201, over ``seconds`` after ``warmup``."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    processes = max(1, min(4, clients // 8))
    per_process = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    start = time.time()
    warm_until, until = start + warmup, start + warmup + seconds
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_client_process, args=(port, path, body, n, until, warm_until, queue))
        for n in per_process
    ]
    for p in procs:
        p.start()
    totals = {"ok": 0, "fail": 0}
    for _ in procs:
        result = queue.get()
        totals["ok"] += result["ok"]
        totals["fail"] += result["fail"]
    for p in procs:
        p.join()
    return totals["ok"] / seconds, totals["ok"], totals["fail"]


def warm_up(port: int, path: str, payload: dict, *, requests: int) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()

    def one() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ms_bench"),
        "MINSHENG_BENCH": "1",
        "SUBMIT_RATE_PER_HOUR": "100000000",
        # The API throttles (per address for anonymous callers, both scopes) would turn the run into 429s.
        "API_ANON_RATE": "100000000/minute",
        "API_USER_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    prepare_database(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        # Each worker loads the URLconf, DRF, Celery's producer and the
        # templates on its first request; that must not count against either side.
        for path, payload in (("/api/v1/submissions/", SUBMISSION), ("/api/v1/bench/insert/", {"ping": "x"})):
            warm_up(port, path, payload, requests=args.workers * 8)
        sub_rate, sub_ok, sub_fail = measure(
            port, "/api/v1/submissions/", SUBMISSION, args.clients, args.seconds, args.warmup
        )
        ceil_rate, ceil_ok, ceil_fail = measure(
            port, "/api/v1/bench/insert/", {"ping": "x" * 200}, args.clients, args.seconds, args.warmup
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
        if env.get("REDIS_URL"):
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).delete("celery")  # the routing messages nobody consumes here

    print(f"gunicorn sync workers: {args.workers}, clients: {args.clients}, {args.seconds:.0f} s each, PostgreSQL")
    print(f"JSON submissions:   {sub_rate:8.1f} /s  ({sub_ok} created, {sub_fail} failed)")
    print(f"one-INSERT ceiling: {ceil_rate:8.1f} /s  ({ceil_ok} ok, {ceil_fail} failed)")
    ratio = sub_rate / ceil_rate if ceil_rate else 0.0
    print(f"ratio: {ratio:.2f} (target >= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
