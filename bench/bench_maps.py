"""Benchmark: the hot-spot map's server work at 1,000,000 cases (issue 19; aim < 300 ms).

Usage (from the repository root; needs the PostgreSQL of DATABASE_URL's host):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench_maps python bench/bench_maps.py [--cases 1000000]

It creates and migrates the bench database, seeds the demo city with its district outlines,
generates the cases with ``INSERT … SELECT generate_series`` (pins scattered around the demo
city's places, 35 % open, 3 % of the open ones overdue), runs VACUUM ANALYZE, then times (best
and median of 7 runs) what the map pages ask: the whole-city grid at two cell sizes (open and
overdue per cell, ``maps.selectors.hotspot_cells``), the open surge alerts, a drill-down page
(``cell_cases``), "cases nearby" and the district of a pin. ``--keep`` reuses the rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ms_bench_maps")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.pop("REDIS_URL", None)

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def ensure_database() -> None:
    import psycopg

    name = BENCH_URL.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(total: int) -> None:
    from django.db import connection

    from city.models import Department
    from maps.demo import demo_places

    department = Department.objects.get(code="CGJ").pk
    anchors = [(lat, lng) for places in demo_places().values() for _name, lat, lng in places]
    values = ",".join(f"({i}, {lat}, {lng})" for i, (lat, lng) in enumerate(anchors))
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE feedback_submission, routing_deadline, routing_escalation, feedback_caseevent,"
            " feedback_notification, routing_assignment RESTART IDENTITY CASCADE"
        )
        # Each case near one of the 20 places: a normal-ish scatter (sum of uniforms) of ~300 m, plus 10 % anywhere.
        cursor.execute(
            f"""
            WITH anchors(i, lat, lng) AS (VALUES {values})
            INSERT INTO feedback_submission (tracking_number, secret_hash, kind, title, text, address, name, phone,
                email, is_anonymous, may_publish, language, channel, status, close_reason, priority,
                lead_department_id, reopen_count, return_count, version, created_at, routed_at, updated_at,
                waiting_seconds, latitude, longitude)
            SELECT 'QM' || lpad(g::text, 9, '0'), md5(g::text), 'complaint', 'bench case ' || g, 'text', '', '', '',
                '', false, false, 'zh-hans', 'web',
                CASE WHEN g %% 20 < 7 THEN 'in_progress' ELSE 'closed' END, '', 'normal', %(dept)s, 0, 0, 1,
                %(now)s - (g %% 90) * interval '1 day', %(now)s - (g %% 90) * interval '1 day', %(now)s, 0,
                CASE WHEN g %% 10 = 0 THEN 30.49 + random() * 0.26
                     ELSE a.lat + (random() + random() + random() - 1.5) * 0.006 END,
                CASE WHEN g %% 10 = 0 THEN 119.83 + random() * 0.30
                     ELSE a.lng + (random() + random() + random() - 1.5) * 0.007 END
            FROM generate_series(1, %(total)s) AS g JOIN anchors a ON a.i = g %% {len(anchors)}
            """,
            {"dept": department, "now": NOW, "total": total},
        )
        # Open cases have a reply deadline; one in 33 fell due before NOW.
        cursor.execute(
            """
            INSERT INTO routing_deadline (submission_id, step, department_id, started_at, due_at, warn_at,
                in_working_time, is_open, is_provisional, trace, next_level, next_check_at, escalation_period,
                max_level)
            SELECT s.id, 'reply', s.lead_department_id, s.created_at,
                CASE WHEN s.id %% 33 = 0 THEN %(now)s - interval '1 day' ELSE %(now)s + interval '5 days' END,
                NULL, true, true, false, 'bench', 0, NULL, interval '24 hours', 4
            FROM feedback_submission s WHERE s.status <> 'closed'
            """,
            {"now": NOW},
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feedback_submission")
        cursor.execute("VACUUM ANALYZE routing_deadline")


def timed(fn, runs: int = 7) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the rows already generated")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from demo.city import seed_demo
    from feedback.models import Submission
    from maps import selectors
    from maps.demo import maps_demo_seed

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    seed_demo()
    maps_demo_seed()
    if not args.keep or Submission.objects.count() != args.cases:
        began = time.perf_counter()
        generate(args.cases)
        print(f"generated {args.cases:,} cases in {time.perf_counter() - began:.1f} s")
    open_count = Submission.objects.exclude(status="closed").count()
    print(f"cases: {Submission.objects.count():,}, open: {open_count:,}")
    from django.utils import timezone

    from maps.services import hotspots_refresh

    now = timezone.now()  # the deadlines were laid out around NOW; the map asks as of the real clock
    city = selectors.Bounds(30.47, 119.81, 30.77, 120.15)
    rows = []
    best, median, _ = timed(lambda: hotspots_refresh(now=now), runs=3)
    rows.append(("rebuild of the cells (beat, every minute; not on a request)", best, median))
    for size in (0.01, 0.005, 0.02):
        best, median, result = timed(lambda size=size: selectors.hotspot_map(bounds=city, size=size, now=now))
        cells, as_of = result
        assert as_of is not None, "the map read the rebuilt cells"
        total = sum(c["open"] for c in cells)
        overdue = sum(c["overdue"] for c in cells)
        rows.append((f"map grid {size}° ({len(cells)} cells, {total:,} open, {overdue:,} overdue)", best, median))
    best, median, _ = timed(lambda: selectors.hotspot_cells(bounds=city, size=0.01, now=now), runs=3)
    rows.append(("same grid counted live from the cases (0.01°, the fallback)", best, median))
    busiest = max(selectors.hotspot_map(bounds=city, size=0.01, now=now)[0], key=lambda c: c["open"])
    best, median, _ = timed(selectors.surge_alert_points)
    rows.append(("open surge alerts", best, median))

    def drill_down():
        ids = selectors.cell_case_ids(south=busiest["south"], west=busiest["west"], size=0.01)
        return ids.count(), selectors.cases_by_ids(list(ids[:50]))

    best, median, _ = timed(drill_down)
    rows.append((f"drill-down: count and first 50 of the busiest cell ({busiest['open']:,} open)", best, median))
    best, median, _ = timed(lambda: selectors.nearby_open_cases(lat=30.630, lng=119.975))
    rows.append(("cases nearby (500 m, any category)", best, median))
    best, median, _ = timed(lambda: selectors.district_at(30.630, 119.975))
    rows.append(("district of a pin", best, median))
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    url = "/api/v1/maps/hotspots/?south=30.47&west=119.81&north=30.77&east=120.15&size=0.01"
    best, median, _ = timed(lambda: client.get(url, HTTP_HOST="localhost"))
    rows.append(("GET /api/v1/maps/hotspots/ (whole request: auth, rollup, alerts, JSON)", best, median))
    print(f"{'query':<82} {'best ms':>8} {'median ms':>10}")
    for name, best, median in rows:
        print(f"{name:<82} {best:>8.1f} {median:>10.1f}")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN " + selectors.GRID_SQL,
            {"size": 0.01, "south": city.south, "north": city.north, "west": city.west, "east": city.east},
        )
        print("\n".join(r[0] for r in cursor.fetchall()))


if __name__ == "__main__":
    main()
