#!/usr/bin/env python
"""Benchmark: the surge beat job over 90 days of a busy city's submissions.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench_surges \\
        python bench/bench_surge_scan.py [--total 1000000] [--days 90] [--beats 5]

Creates and migrates its own database, seeds the demo city and writes
``--total`` submissions spread evenly over ``--days`` days, set-based in SQL
(``INSERT … SELECT`` over ``generate_series``): the texts of
../shared/data/surge-stream-dev.csv in turn, each with a house number. Their
detector features are stored as the scan stores them (computed once per
distinct text in Python, copied set-based), as in a portal that has been
running: every earlier beat stored the features of what it read.

Then, in one process, it times:

1. the **baseline**: a scan with no kept state, which rebuilds the detector
   from the database (two weeks of background, the last ``LOOKBACK_HOURS``
   replayed, 12 by default) — what every beat cost before the state was kept
   (then with 48 hours replayed: more);
2. **beats**: ``--beats`` scans five minutes apart, each after five minutes'
   worth of new submissions arrived (written the same way), which feed the
   kept detector only what is new.

Prints the times, the state's size, and the ratio of a beat to the baseline.
No timed assertion anywhere: the figures go to bench/RESULTS.md and docs/surges.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
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


def texts_table(cursor) -> int:
    """A table of the distinct texts with their stored features (one Python pass over 523 texts)."""
    from surges.text import features

    with STREAM.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    cursor.execute("DROP TABLE IF EXISTS bench_text")
    cursor.execute("CREATE TABLE bench_text (n integer PRIMARY KEY, text text NOT NULL, features jsonb NOT NULL)")
    cursor.executemany(
        "INSERT INTO bench_text VALUES (%s, %s, %s)",
        [(n, text, json.dumps(features(text), ensure_ascii=False)) for n, text in enumerate(texts)],
    )
    return len(texts)


def insert_submissions(cursor, *, first: int, count: int, start, step: timedelta, n_texts: int) -> None:
    """Submissions number ``first`` … ``first + count - 1``, one every ``step`` from ``start``, and their features."""
    from django.db import connection

    from city.models import District
    from feedback.models import Submission
    from surges.text import FEATURES_VERSION

    districts = list(District.objects.order_by("pk").values_list("pk", flat=True))
    explicit = {
        "tracking_number": "'B' || lpad(g::text, 10, '0')",
        "secret_hash": "'x'",
        "kind": "'complaint'",
        "title": "''",
        "text": "t.text || '（' || ((g - 1) / %(n)s + 1) || '号）'" % {"n": n_texts},
        "district_id": f"(ARRAY{districts})[g %% {len(districts)} + 1]",
        "status": "'submitted'",
        "created_at": "%s::timestamptz + (g - %s) * %s::interval",
    }
    columns, expressions, params = [], [], []
    for field in Submission._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expressions.append(explicit["created_at"])
            params += [start, first, step]
        elif field.name in explicit:
            expressions.append(explicit[field.name])
            if field.name == "created_at":
                params += [start, first, step]
        elif field.null and not field.has_default():
            expressions.append("NULL")
        else:
            expressions.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    cursor.execute(
        f"INSERT INTO feedback_submission ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM generate_series(%s, %s) AS g "
        f"JOIN bench_text t ON t.n = (g - 1) %% {n_texts}",
        [*params, first, first + count - 1],
    )
    cursor.execute(
        "INSERT INTO surges_textfeatures (submission_id, version, features) "
        "SELECT s.id, %s, t.features FROM feedback_submission s "
        "JOIN bench_text t ON t.n = (substring(s.tracking_number from 2)::bigint - 1) %% %s "
        "WHERE substring(s.tracking_number from 2)::bigint BETWEEN %s AND %s",
        [FEATURES_VERSION, n_texts, first, first + count - 1],
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--beats", type=int, default=5)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from demo.city import seed_demo
    from surges import services
    from surges.models import SurgeScanState

    call_command("migrate", verbosity=0)
    seed_demo()
    now = timezone.now().replace(microsecond=0)
    step = timedelta(days=args.days) / args.total
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE feedback_submission RESTART IDENTITY CASCADE")
        n_texts = texts_table(cursor)
        insert_submissions(
            cursor, first=1, count=args.total, start=now - timedelta(days=args.days), step=step, n_texts=n_texts
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_submission")
        cursor.execute("ANALYZE surges_textfeatures")
    print(
        f"{args.total:,} submissions over {args.days} days ({args.total / args.days:,.0f} a day), "
        f"written set-based in {time.perf_counter() - started:.0f} s"
    )

    SurgeScanState.objects.all().delete()
    started = time.perf_counter()
    services.surge_scan(now=now)
    baseline = time.perf_counter() - started
    print(f"baseline: scan with no kept state (rebuild: 14 days of background, lookback replayed): {baseline:7.2f} s")

    per_beat = max(1, round(timedelta(minutes=5) / step))
    beats, number = [], args.total + 1
    with connection.cursor() as cursor:
        for beat in range(1, args.beats + 1):
            at = now + timedelta(minutes=5 * beat)
            insert_submissions(
                cursor, first=number, count=per_beat, start=at - timedelta(minutes=5), step=step, n_texts=n_texts
            )
            number += per_beat
            started = time.perf_counter()
            services.surge_scan(now=at)
            beats.append(time.perf_counter() - started)
    size = len(bytes(SurgeScanState.objects.get().state))
    print(
        f"beats with kept state ({per_beat} new submissions each): "
        + ", ".join(f"{b:.2f}" for b in beats)
        + f" s; median {statistics.median(beats):.2f} s; state {size / 1e6:.1f} MB compressed"
    )
    print(f"\nratio beat / baseline: {statistics.median(beats) / baseline:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
