#!/usr/bin/env python
"""Server time of the oversight pages with 1,000,000 cases on PostgreSQL.

    python bench/bench_oversight.py [--rows 1000000] [--reuse] [--repeat 5]

Creates (or reuses) the database ``ms_bench_oversight`` on the server of
DATABASE_URL, migrates it, seeds the demo city, generates the cases with
``INSERT … SELECT generate_series`` (assignments, sign-for and reply deadlines,
the events that closed them, replies and ratings), runs the rollup the beat job
keeps current, then times each page through Django's test client (in-process:
view, queries and template rendering, no network) and prints the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DB", "ms_bench_oversight")
TARGET_MS = 300


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return base.rsplit("/", 1)[0] + "/" + BENCH_DB


def ensure_database() -> None:
    import psycopg

    admin = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


# Every fact is in the past (before CUTOFF): a case is signed for after id % 30 hours, replied
# 2 + id % 150 hours later (except every 20th, still in progress) and closed 28 hours after that.
CUTOFF = "(now() - interval '10 minutes')"
GENERATE = """
WITH d AS (SELECT array_agg(id ORDER BY id) AS ids FROM routing_department),
     c AS (SELECT array_agg(id ORDER BY id) AS ids FROM routing_category),
     r AS (SELECT array_agg(id ORDER BY id) AS ids FROM routing_district)
INSERT INTO feedback_submission (
    tracking_number, secret_hash, kind, category_id, title, text, district_id, address, name, phone, email,
    is_anonymous, may_publish, language, channel, status, close_reason, priority, lead_department_id,
    reopen_count, return_count, version, created_at, routed_at, replied_at, closed_at, updated_at,
    handling_seconds)
SELECT 'B' || lpad(g::text, 9, '0'), 'x', 'complaint',
       c.ids[1 + (g * 7) % array_length(c.ids, 1)],
       '路灯不亮 请联系 13812345678', '内容', r.ids[1 + g % array_length(r.ids, 1)], '', '张三', '13812345678', '',
       false, false, 'zh-hans', 'web', status, CASE WHEN status = 'closed' THEN 'rated' ELSE '' END,
       'normal', d.ids[1 + (g * 13) % array_length(d.ids, 1)],
       (g % 50 = 0)::int, CASE WHEN g % 40 = 0 THEN 2 ELSE 0 END, 0,
       ts, ts,
       CASE WHEN status IN ('replied', 'closed') THEN replied END,
       CASE WHEN status = 'closed' THEN replied + interval '28 hours' END,
       now(),
       -- Handling time in working seconds: about 7.5 working hours per 24 wall-clock hours.
       CASE WHEN status IN ('replied', 'closed') THEN (g % 30 + 2 + g % 150) * 1125 END
FROM (
    SELECT g, ts, replied,
           CASE WHEN signed >= CUTOFF THEN 'assigned'
                WHEN g % 20 = 0 OR replied >= CUTOFF THEN 'in_progress'
                WHEN replied + interval '28 hours' >= CUTOFF THEN 'replied'
                ELSE 'closed' END AS status
    FROM (
        SELECT g, ts, ts + interval '1 hour' * (g % 30) AS signed,
               ts + interval '1 hour' * (g % 30 + 2 + g % 150) AS replied
        FROM (SELECT g, now() - interval '1 second' * ((g::bigint * 7919) % (365 * 86400)) - interval '20 minutes' AS ts
              FROM generate_series(1, %(rows)s) AS g) t
    ) u
) s, d, c, r
""".replace("CUTOFF", CUTOFF)

SIGNED = "created_at + interval '1 hour' * (id % 30)"
FOLLOW = [
    # One lead assignment per case; every 40th returned two hours later.
    f"""INSERT INTO routing_assignment (submission_id, department_id, role, status, assigned_at, signed_for_at,
           opinion, ended_at)
       SELECT id, lead_department_id, 'lead', CASE WHEN id % 40 = 0 THEN 'returned' ELSE 'done' END, created_at,
           CASE WHEN status <> 'assigned' THEN {SIGNED} END, '',
           CASE WHEN id % 40 = 0 THEN created_at + interval '2 hours' END
       FROM feedback_submission WHERE id % 40 <> 0 OR created_at + interval '2 hours' < {CUTOFF}""",
    # The return record of each returned assignment (the KPIs and the dashboard count returns from these).
    """INSERT INTO routing_returnrecord (submission_id, assignment_id, department_id, reason_id, text, from_status,
           requested_at, decision, decision_note, decided_at)
       SELECT a.submission_id, a.id, a.department_id, (SELECT min(id) FROM routing_returnreason), '不属于本单位职责',
           'assigned', a.ended_at, 'approved', '', a.ended_at
       FROM routing_assignment a WHERE a.status = 'returned'""",
    # Sign-for deadline: 24 h; signed after (id % 30) hours, so some late; recent ones still open.
    f"""INSERT INTO routing_deadline (submission_id, step, department_id, started_at, due_at, completed_at, is_open,
           is_provisional, trace, in_working_time, max_level, next_level)
       SELECT id, 'sign_for', lead_department_id, created_at, created_at + interval '24 hours',
           CASE WHEN status <> 'assigned' THEN {SIGNED} END, status = 'assigned', false, '', true, 4, 1
       FROM feedback_submission""",
    f"""INSERT INTO feedback_caseevent (submission_id, kind, action, actor_label, from_status, to_status, reason,
           payload, is_public, created_at)
       SELECT id, 'transition', 'sign_for', 'bench', 'assigned', 'in_progress', '', '{{}}', true, {SIGNED}
       FROM feedback_submission WHERE status <> 'assigned'""",
    # Reply deadline: 120 h from signing; closed by the reply, or still open.
    f"""INSERT INTO routing_deadline (submission_id, step, department_id, started_at, due_at, completed_at, is_open,
           is_provisional, trace, in_working_time, max_level, next_level)
       SELECT id, 'reply', lead_department_id, {SIGNED}, {SIGNED} + interval '120 hours',
           replied_at, replied_at IS NULL, false, '', true, 4, 1
       FROM feedback_submission WHERE status <> 'assigned'""",
    """INSERT INTO feedback_caseevent (submission_id, kind, action, actor_label, from_status, to_status, reason,
           payload, is_public, created_at)
       SELECT id, 'transition', 'reply', 'bench', 'in_progress', 'replied', '', '{}', true, replied_at
       FROM feedback_submission WHERE replied_at IS NOT NULL""",
    f"""INSERT INTO feedback_caseevent (submission_id, kind, action, actor_label, from_status, to_status, reason,
           payload, is_public, created_at)
       SELECT id, 'escalation', 'escalate', 'system', '', '', '', jsonb_build_object('level', 1 + id % 4), false,
           LEAST(created_at + interval '200 hours', {CUTOFF})
       FROM feedback_submission WHERE status = 'in_progress' AND id % 7 = 0""",
    # The reopen event of every case with reopen_count > 0 (the digest lists cases reopened in its period).
    f"""INSERT INTO feedback_caseevent (submission_id, kind, action, actor_label, from_status, to_status, reason,
           payload, is_public, created_at)
       SELECT id, 'transition', 'reopen', 'citizen', 'closed', 'in_progress', '', '{{}}', true,
           LEAST(created_at + interval '100 hours', {CUTOFF})
       FROM feedback_submission WHERE reopen_count > 0""",
    """INSERT INTO feedback_reply (submission_id, department_id, disposition, text, created_at)
       SELECT id, lead_department_id, 'resolved', '已处理', replied_at
       FROM feedback_submission WHERE replied_at IS NOT NULL""",
    """INSERT INTO feedback_rating (submission_id, reply_id, satisfaction, is_resolved, comment, created_at)
       SELECT r.submission_id, r.id,
           (ARRAY['satisfied', 'basically', 'unsatisfied'])[1 + r.id % 3], r.id % 4 <> 0, '', s.closed_at
       FROM feedback_reply r JOIN feedback_submission s ON s.id = r.submission_id
       WHERE s.closed_at IS NOT NULL AND r.id % 3 <> 0""",
]


def generate(rows: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "feedback_rating",
            "feedback_reply",
            "feedback_caseevent",
            "routing_deadline",
            "routing_returnrecord",
            "routing_assignment",
            "feedback_submission",
            "oversight_departmentday",
        ):
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
        started = time.perf_counter()
        cursor.execute(GENERATE.replace("%(rows)s", str(int(rows))))
        for sql in FOLLOW:
            cursor.execute(sql)
    # VACUUM cannot run in a transaction; autovacuum would do it on a live system.
    import psycopg

    with psycopg.connect(database_url(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"generated {rows:,} cases and their rows in {time.perf_counter() - started:.0f} s")


def timed(fn, repeat: int) -> float:
    fn()  # warm caches, like a page someone has opened before
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the cases already generated")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    ensure_database()
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from demo.city import seed_demo
    from feedback.models import Submission
    from oversight.tasks import refresh_rollup

    call_command("migrate", verbosity=0)
    seed_demo()
    if not args.reuse or Submission.objects.count() < args.rows:
        generate(args.rows)
        started = time.perf_counter()
        written = refresh_rollup(days=366)
        print(f"backfill of 366 days: {written:,} department-day rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    refresh_rollup(days=2)
    print(f"rollup refresh of the last 2 days (every 10 minutes): {(time.perf_counter() - started) * 1000:.0f} ms")

    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    today = timezone.localdate()
    cgj = __import__("routing.models", fromlist=["Department"]).Department.objects.get(code="CGJ")
    pages = [
        ("dashboard", "/oversight/", {}),
        ("dashboard, one department", "/oversight/", {"department": cgj.pk}),
        ("dashboard, dept + priority", "/oversight/", {"department": cgj.pk, "priority": "normal"}),
        ("case list (drill-down)", "/oversight/cases/", {"dept": cgj.pk, "step": "reply", "state": "overdue"}),
        ("case list, page 100", "/oversight/cases/", {"page": 100}),
        ("KPIs, last 30 days", "/oversight/kpis/", {}),
        ("KPIs, 365 days", "/oversight/kpis/", {"date_from": str(today.replace(year=today.year - 1))}),
        ("scoreboard, 30 days", "/scoreboard/", {"days": 30}),
        ("scoreboard, 365 days", "/scoreboard/", {"days": 365}),
        ("digest, 7 days", "/oversight/digest/", {}),
    ]
    # The baseline, measured in the same run: the sign-in page (a template and a session, no case data).
    # Ratios against it say how much the case data costs, whatever the machine's speed today.
    anonymous = Client()
    baseline = timed(lambda: anonymous.get("/accounts/login/"), args.repeat)
    print(f"\nbaseline (sign-in page): {baseline:.1f} ms")
    print(f"\n{'page':28} {'median ms':>10} {'× base':>7} {'queries':>8}  target < {TARGET_MS} ms")
    failed = False
    for label, url, params in pages:
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        ms = timed(lambda url=url, params=params: client.get(url, params), args.repeat)
        failed |= ms >= TARGET_MS
        ratio = ms / baseline
        print(f"{label:28} {ms:10.0f} {ratio:7.1f} {len(queries):8}  {'ok' if ms < TARGET_MS else 'SLOW'}")
    started = time.perf_counter()
    response = client.get("/oversight/cases.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(
        f"\nCSV export of every open deadline: {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s (streamed)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
