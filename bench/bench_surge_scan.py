#!/usr/bin/env python
"""Benchmark: the surge beat job over two weeks of a busy city's submissions.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench_surges \\
        python bench/bench_surge_scan.py [--per-day 2000] [--days 14]

Creates and migrates its own database, seeds the demo city, writes
``per-day × days`` submissions (texts of ../shared/data/surge-stream-dev.csv,
each made unique by a house number, so nothing is cached by text), then in one
process times:

1. the first scan: every text is segmented (jieba) and its features stored;
2. a scan of a fresh worker (the in-process cache cleared), reading the stored
   features — what every later beat run costs;
3. the detector alone with features computed from the texts, as scans did
   before features were stored (the baseline of this run).

Prints the times and the ratio of (2) to (3).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ms_bench_surges")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.pop("REDIS_URL", None)  # notices are not sent: the bench measures detection
STREAM = ROOT.parent / "shared" / "data" / "surge-stream-dev.csv"


def ensure_database() -> None:
    import psycopg

    name = BENCH_URL.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def populate(per_day: int, days: int, now) -> int:
    from django.db import connection

    from feedback.models import Submission
    from routing.models import District

    with STREAM.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    districts = list(District.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE feedback_submission RESTART IDENTITY CASCADE")
    total = per_day * days
    step = timedelta(days=days) / total
    rows = [
        Submission(
            tracking_number=f"S{i:09d}",
            secret_hash="x",
            kind="complaint",
            title="",
            text=f"{texts[i % len(texts)]}（{i // len(texts) + 1}号）",
            district_id=districts[i % len(districts)],
            status="submitted",
            created_at=now - timedelta(days=days) + step * i,
        )
        for i in range(total)
    ]
    Submission.objects.bulk_create(rows, batch_size=2000)
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-day", type=int, default=2000)
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from routing.demo import seed_demo
    from surges import services
    from surges.detector import replay
    from surges.models import TextFeatures
    from surges.text import features

    call_command("migrate", verbosity=0)
    seed_demo()
    now = timezone.now()
    settings.MINSHENG = {**settings.MINSHENG, "SURGES": {"HISTORY_DAYS": args.days}}
    total = populate(args.per_day, args.days, now)
    print(f"{total:,} submissions over {args.days} days ({args.per_day:,} a day)")

    features.cache_clear()
    started = time.perf_counter()
    services.surge_scan(now=now)
    first = time.perf_counter() - started
    print(f"first scan, segmenting and storing every text: {first:6.1f} s ({TextFeatures.objects.count():,} stored)")

    features.cache_clear()
    started = time.perf_counter()
    services.surge_scan(now=now)
    stored = time.perf_counter() - started
    print(f"scan of a fresh worker, stored features:       {stored:6.1f} s")

    # Baseline: what a fresh worker paid before features were stored — the same reports, features from the text.
    conf = services.surge_settings()
    lookback = timedelta(hours=conf["LOOKBACK_HOURS"])
    reports = services.reports_between(now - timedelta(days=args.days), now)
    for report in reports:
        object.__setattr__(report, "feats", None)
    features.cache_clear()
    started = time.perf_counter()
    replay(
        [r for r in reports if r.at > now - lookback],
        history=[r for r in reports if r.at <= now - lookback],
        beat=timedelta(seconds=conf["BEAT_SECONDS"]),
        until=now,
    )
    computed = time.perf_counter() - started
    print(f"detector with features computed from the text:  {computed:6.1f} s (baseline)")
    print(f"\nratio stored / computed: {stored / computed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
