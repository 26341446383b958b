"""Run by test_read_replica.py in a process of its own, with DATABASE_URL (primary) and DATABASE_REPLICA_URL
(its streaming standby) set: drives real requests and prints, as JSON, which database each one read from."""

from __future__ import annotations

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import User  # noqa: E402
from demo.city import seed_demo  # noqa: E402
from feedback.models import Submission  # noqa: E402
from portal.db_router import replica_reads  # noqa: E402


def _is_write(sql: str) -> bool:
    """INSERT/UPDATE/DELETE, also as a data-modifying WITH (the intake's one statement is ``WITH … INSERT``)."""
    text = sql.lstrip().upper()
    return text.startswith(("INSERT", "UPDATE", "DELETE")) or (
        text.startswith("WITH") and any(f" {verb} " in f" {text} " for verb in ("INSERT", "UPDATE", "DELETE"))
    )


class Tally:
    """SQL statements per database alias, with the tables they named."""

    def __init__(self) -> None:
        self.statements: dict[str, list[str]] = {"default": [], "replica": []}

    def wrapper(self, alias: str):
        def wrap(execute, sql, params, many, context):
            self.statements[alias].append(sql)
            return execute(sql, params, many, context)

        return wrap

    def reset(self) -> None:
        for statements in self.statements.values():
            statements.clear()

    def summary(self) -> dict[str, dict[str, int]]:
        out = {}
        for alias, statements in self.statements.items():
            out[alias] = {
                "total": len(statements),
                "writes": sum(1 for s in statements if _is_write(s)),
                "feedback_reads": sum(1 for s in statements if s.startswith("SELECT") and '"feedback_' in s),
                "session_or_user": sum(1 for s in statements if '"django_session"' in s or '"accounts_user"' in s),
            }
        return out


def caught_up(timeout: float = 20) -> float:
    """Wait until the standby has replayed everything the primary wrote; returns the seconds waited."""
    started = time.monotonic()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    while time.monotonic() - started < timeout:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return time.monotonic() - started
        time.sleep(0.05)
    raise SystemExit("the standby did not catch up")


def main() -> None:
    setup_test_environment()
    report: dict = {}
    seed_demo()
    report["caught_up_after_seed_s"] = round(caught_up(), 3)
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        report["replica_in_recovery"] = cursor.fetchone()[0]
        try:
            cursor.execute("CREATE TABLE probe_write (id int)")
            report["replica_refused_write"] = False
        except Exception as error:  # noqa: BLE001 - the standby's refusal is the point
            report["replica_refused_write"] = "read-only" in str(error)
    tally = Tally()
    for alias in ("default", "replica"):
        connections[alias].execute_wrappers.append(tally.wrapper(alias))

    citizen = Client()
    response = citizen.post(
        "/api/v1/submissions/",
        data={
            "kind": "complaint",
            "title": "路灯不亮",
            "text": "红星路的路灯一个星期都不亮了，晚上很危险。",
            "district": "dongcheng",
            "phone": "13800000000",
        },
        content_type="application/json",
    )
    report["submit"] = {"status": response.status_code, **tally.summary()}
    number = response.json().get("tracking_number")
    report["caught_up_after_submit_s"] = round(caught_up(), 3)

    tally.reset()
    supervisor = Client()
    supervisor.force_login(User.objects.get(username="supervisor"))
    for path in ("/oversight/", "/oversight/kpis/", "/scoreboard/"):
        tally.reset()
        response = supervisor.get(path)
        report[path] = {"status": response.status_code, **tally.summary()}

    tally.reset()
    staff = Client()
    staff.force_login(User.objects.get(username="cgj_staff"))
    response = staff.get("/staff/")
    report["/staff/"] = {"status": response.status_code, **tally.summary()}

    tally.reset()
    with replica_reads():
        seen = Submission.objects.filter(tracking_number=number).exists()
        Submission.objects.filter(tracking_number=number).update(priority="urgent")  # a write: still the primary
    report["replica_reads_block"] = {"seen_on_replica": seen, **tally.summary()}
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
