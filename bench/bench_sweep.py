"""Benchmark: one escalation sweep over 1,000,000 and 100,000 open cases with 10,000 newly overdue.

Usage (from the repository root; needs the PostgreSQL of DATABASE_URL's host):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench python bench/bench_sweep.py [--sizes 1000000,100000]
        [--skip-loop] [--helpdesk /work/helpdesk]

It creates and migrates the bench database, generates rows with
``INSERT … SELECT generate_series`` (not the ORM), runs the set-based sweep
(``deadlines.escalation.escalations_sweep``), resets, and runs a per-row Python
loop doing the same job on the same rows, then prints the times and ratios.

With ``--helpdesk DIR`` (django-helpdesk 2.6.1 laid out as ``bench/helpdesk_sweep.py`` says), the same run
also generates, at the ``--helpdesk-size`` (100,000), as many open tickets in helpdesk's database
(``hd_bench``) with the same number due (BENCH_OVERDUE, 10,000), times helpdesk's own per-ticket
``manage.py escalate_tickets`` as a subprocess and its start-up alone (the same command over an empty queue),
checks by SQL that exactly the due tickets were escalated, and prints ``helpdesk / sweep`` on helpdesk's loop
without its start-up (target >= 100). Generating data is never timed; what each side writes and why the
comparison is fair is in ``bench/helpdesk_sweep.py``.
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
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ms_bench")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.pop("REDIS_URL", None)  # notifications are not sent: the bench measures the sweep

OVERDUE = int(os.environ.get("BENCH_OVERDUE", "10000"))
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Qinghe


def ensure_database() -> None:
    import psycopg

    name = BENCH_URL.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(total: int) -> None:
    """``total`` open cases with an open reply deadline; the first OVERDUE fall due just before NOW."""
    from django.db import connection

    from city.models import Department

    department = Department.objects.get(code="CGJ").pk
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE feedback_submission, routing_deadline, routing_escalation, feedback_caseevent,"
            " feedback_notification, routing_assignment RESTART IDENTITY CASCADE"
        )
        cursor.execute(
            """
            INSERT INTO feedback_submission (tracking_number, secret_hash, kind, title, text, address, name, phone,
                email, is_anonymous, may_publish, language, channel, status, close_reason, priority,
                lead_department_id, reopen_count, return_count, version, created_at, routed_at, updated_at)
            SELECT 'QB' || lpad(g::text, 9, '0'), md5(g::text), 'complaint', 'bench case ' || g, 'text', '', '', '',
                '', false, false, 'zh-hans', 'web', 'in_progress', '', 'normal', %(dept)s, 0, 0, 1,
                %(now)s - interval '10 days', %(now)s - interval '10 days', %(now)s
            FROM generate_series(1, %(total)s) AS g
            """,
            {"dept": department, "now": NOW, "total": total},
        )
        # The first OVERDUE cases fell due one minute before NOW; the rest are due 1 to 20 days later.
        cursor.execute(
            """
            INSERT INTO routing_deadline (submission_id, step, department_id, started_at, due_at, warn_at,
                in_working_time, is_open, is_provisional, trace, next_level, next_check_at, escalation_period,
                max_level)
            SELECT s.id, 'reply', s.lead_department_id, %(now)s - interval '10 days', d.due, NULL, true, true,
                false, 'bench', 1, d.due, interval '24 hours', 4
            FROM feedback_submission s
            CROSS JOIN LATERAL (SELECT CASE WHEN s.id <= %(overdue)s THEN %(now)s - interval '1 minute'
                 ELSE %(now)s + (1 + s.id %% 20) * interval '1 day' END AS due) d
            """,
            {"now": NOW, "overdue": OVERDUE},
        )
        cursor.execute("ANALYZE feedback_submission; ANALYZE routing_deadline;")


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE routing_escalation, feedback_notification, feedback_caseevent CASCADE")
        cursor.execute(
            "UPDATE routing_deadline SET next_level = 1, next_check_at = due_at WHERE submission_id <= %s",
            [OVERDUE],
        )
        cursor.execute("VACUUM ANALYZE routing_deadline")


def notification_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM feedback_notification")
        return int(cursor.fetchone()[0])


def run_helpdesk(directory: Path, size: int, *, mail: bool) -> float:
    """helpdesk's escalate_tickets over ``size`` open tickets, OVERDUE of them due; its loop's seconds."""
    from helpdesk_sweep import generate as helpdesk_generate
    from helpdesk_sweep import run_escalation

    started = time.perf_counter()
    helpdesk_generate(size, OVERDUE, mail=mail)
    print(
        f"  generated {size:,} helpdesk tickets ({OVERDUE:,} due, {'owned, e-mails' if mail else 'no e-mail'})"
        f" in {time.perf_counter() - started:5.1f} s",
        flush=True,
    )
    run = run_escalation(directory, mail=mail)
    assert (run.escalated, run.followups, run.changes, run.untouched) == (OVERDUE,) * 3 + (size - OVERDUE,), run
    samples = ", ".join(f"{s:.2f}" for s in run.startup_samples)
    print(
        f"  django-helpdesk escalate_tickets: {run.escalated:,} tickets escalated ({run.followups:,} follow-ups,"
        f" {run.emails:,} e-mails) in {run.total_seconds:6.2f} s total; start-up {run.startup_seconds:.2f} s"
        f" (median of {samples}); loop alone {run.loop_seconds:6.2f} s",
        flush=True,
    )
    return run.loop_seconds


def run_sweep() -> tuple[float, int]:
    from deadlines.escalation import escalations_sweep

    started = time.perf_counter()
    result = escalations_sweep(now=NOW, send=lambda ids: None)
    return time.perf_counter() - started, result.escalations


def run_python_loop() -> tuple[float, int]:
    """The naive job: walk every open deadline in Python, one row at a time, with ORM writes."""
    from django.db import transaction

    from accounts.models import Membership
    from deadlines.models import Deadline, Escalation
    from feedback.models import CaseEvent, EventKind, Notification

    started = time.perf_counter()
    created = 0
    members: dict[int, list[int]] = {}
    for deadline in Deadline.objects.filter(is_open=True, paused_at__isnull=True).iterator(chunk_size=5000):
        if deadline.next_check_at is None or deadline.next_check_at > NOW:
            continue
        periods = int((NOW - deadline.due_at) / deadline.escalation_period)
        target = min(deadline.max_level, 1 + periods)
        with transaction.atomic():
            for level in range(max(deadline.next_level, 1), target + 1):
                escalation, was_created = Escalation.objects.get_or_create(
                    submission_id=deadline.submission_id,
                    step=deadline.step,
                    deadline=deadline,
                    level=level,
                    defaults={"department_id": deadline.department_id, "due_at": deadline.due_at, "created_at": NOW},
                )
                if not was_created:
                    continue
                created += 1
                event = CaseEvent.objects.create(
                    submission_id=deadline.submission_id,
                    kind=EventKind.ESCALATION,
                    action="escalate_reminder",
                    actor_label="system",
                    payload={"escalation": escalation.pk, "level": level},
                    created_at=NOW,
                )
                if deadline.department_id not in members:
                    members[deadline.department_id] = list(
                        Membership.objects.filter(department_id=deadline.department_id).values_list(
                            "user_id", flat=True
                        )
                    )
                for user_id in members[deadline.department_id]:
                    Notification.objects.create(event=event, recipient_id=user_id, subject="overdue", body="overdue")
            deadline.next_level = target + 1
            deadline.next_check_at = deadline.due_at + deadline.escalation_period * target
            deadline.save(update_fields=["next_level", "next_check_at"])
    return time.perf_counter() - started, created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000,100000", help="open cases per run, comma-separated")
    parser.add_argument("--skip-loop", action="store_true", help="do not run the per-row Python loop")
    parser.add_argument("--helpdesk", type=Path, help="django-helpdesk 2.6.1's directory (venv/, hdsite/, manage.py)")
    parser.add_argument("--helpdesk-size", type=int, default=100000, help="the size (of --sizes) helpdesk runs at")
    parser.add_argument("--repeat", type=int, default=3, help="sweeps over the same due rows (median reported)")
    parser.add_argument(
        "--helpdesk-mail",
        choices=["none", "owner+cc", "both"],
        default="both",
        help="helpdesk's tickets unowned with no copy address (none: the strict headline), owned with a copy, or both",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.helpdesk:
        if args.helpdesk_size not in sizes:
            parser.error(f"--helpdesk-size {args.helpdesk_size} is not one of --sizes")
        sys.path.insert(0, str(ROOT / "bench"))
        from helpdesk_sweep import setup as helpdesk_setup

        helpdesk_setup(args.helpdesk.resolve())  # idempotent: migrate, users and queues

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from demo.city import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    rows = []
    for size in sizes:
        started = time.perf_counter()
        generate(size)
        print(f"generated {size:>9,} open cases in {time.perf_counter() - started:5.1f} s", flush=True)
        # The sweep is under a second, so a single run is at the mercy of the machine: run it `--repeat` times
        # over the same due rows (reset between) and take the median; every run is printed.
        runs = []
        for attempt in range(args.repeat):
            if attempt:
                reset()
            runs.append(run_sweep())
        sweep_seconds, sweep_escalations = statistics.median(t for t, _n in runs), runs[0][1]
        assert all(n == sweep_escalations for _t, n in runs), runs
        print(
            f"  set-based sweep: {sweep_escalations:,} escalations ({notification_rows():,} notification rows)"
            f" in {sweep_seconds:6.2f} s (median of {', '.join(f'{t:.2f}' for t, _n in runs)})",
            flush=True,
        )
        again_seconds, again = run_sweep()
        print(f"  sweep again (nothing due): {again} escalations in {again_seconds:6.3f} s", flush=True)
        loop_seconds = None
        if not args.skip_loop:
            reset()
            loop_seconds, loop_escalations = run_python_loop()
            assert loop_escalations == sweep_escalations, (loop_escalations, sweep_escalations)
            print(f"  per-row Python loop: {loop_escalations:,} escalations in {loop_seconds:6.2f} s", flush=True)
        helpdesk_seconds = None
        if args.helpdesk and size == args.helpdesk_size:
            # The strict comparison first (helpdesk sends nothing); the headline ratio is that one.
            for mail in {"none": [False], "owner+cc": [True], "both": [False, True]}[args.helpdesk_mail]:
                seconds = run_helpdesk(args.helpdesk.resolve(), size, mail=mail)
                helpdesk_seconds = helpdesk_seconds or seconds
                ratio = seconds / sweep_seconds
                label = "with its e-mails" if mail else "no e-mail"
                print(f"  helpdesk ({label}) / sweep = {ratio:.1f}x (target >= 100)", flush=True)
        rows.append((size, sweep_seconds, loop_seconds, helpdesk_seconds))

    print("\nopen cases | overdue | sweep (s) | per-row loop (s) | loop / sweep | helpdesk loop (s) | helpdesk / sweep")
    print("(the sweep: median of --repeat runs; helpdesk: its loop without start-up, the strictest run asked for)")
    for size, sweep_seconds, loop_seconds, helpdesk_seconds in rows:
        loop_text = (
            f"{loop_seconds:16.2f} | {loop_seconds / sweep_seconds:11.1f}x"
            if loop_seconds
            else f"{'-':>16} | {'-':>12}"
        )
        helpdesk_text = (
            f"{helpdesk_seconds:17.2f} | {helpdesk_seconds / sweep_seconds:15.1f}x (target >= 100)"
            if helpdesk_seconds
            else f"{'-':>17} | -"
        )
        print(f"{size:>10,} | {OVERDUE:>7,} | {sweep_seconds:9.2f} | {loop_text} | {helpdesk_text}")
    if len(rows) >= 2:
        print(f"sweep time ratio {rows[0][0]:,} vs {rows[1][0]:,} open cases: {rows[0][1] / rows[1][1]:.2f}")
    assert all(row[1] < 5 for row in rows), "a sweep took 5 s or more"


if __name__ == "__main__":
    main()
