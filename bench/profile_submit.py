#!/usr/bin/env python
"""Where a submission's time goes: cProfile of N JSON submissions through the whole Django stack, in process.

    BENCH_DATABASE_URL=postgres://…/ms_bench python bench/profile_submit.py -n 300

Same settings as bench/bench_intake.py (production settings, DEBUG off, Redis cache), the request through
Django's WSGI handler and every middleware (no socket, no gunicorn). Prints wall time per submission and
the top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ms_bench"),
        "SUBMIT_RATE_PER_HOUR": "100000000",
        "API_ANON_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--email", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    body = {"kind": "complaint", "title": "工地夜间施工噪音扰民", "text": "幸福路工地每晚十一点后仍在施工。" * 4}
    body["district"] = "dongcheng"
    if args.email:
        body["email"] = "zhangsan@example.com"
    client = Client(HTTP_HOST="localhost")
    payload = json.dumps(body, ensure_ascii=False)
    for _ in range(20):  # warm: imports, caches, connections
        assert client.post("/api/v1/submissions/", payload, content_type="application/json").status_code == 201
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.n):
        client.post("/api/v1/submissions/", payload, content_type="application/json")
    profile.disable()
    wall = time.perf_counter() - started
    kind = "with" if args.email else "without"
    print(f"{args.n} submissions ({kind} e-mail): {wall / args.n * 1000:.2f} ms each (profiled)")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
