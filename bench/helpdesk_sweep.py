"""django-helpdesk 2.6.1's own escalation loop (``manage.py escalate_tickets``) as the peer of Minsheng's sweep.

Imported by ``bench/bench_sweep.py --helpdesk DIR``; also a small command to lay out DIR.

Setup, once, outside the repository (nothing of it is committed; ``bench/bench_intake.py --helpdesk DIR``
uses the same directory: ``DIR/venv`` and the settings package ``DIR/hdsite``)::

    python3 -m venv /work/helpdesk/venv
    /work/helpdesk/venv/bin/pip install django-helpdesk==2.6.1 gunicorn "psycopg[binary]"
    python bench/helpdesk_sweep.py setup /work/helpdesk

pip resolved (2026-12): Django 5.2.19, djangorestframework 3.18.3, django-model-utils 5.0.0, django-cleanup
9.0.0, beautifulsoup4 4.15.0, Markdown 3.11.3, nh3 0.3.8, email-reply-parser 0.5.12, requests 2.34.2,
requests-oauthlib 2.0.0, oauthlib 4.0.1, psycopg 3.3.9, gunicorn 27.0.1; to pin them, add
``Django==5.2.19 djangorestframework==3.18.3 …`` to the pip line. ``setup`` writes ``DIR/manage.py`` and
``DIR/hdsite/`` (settings in ``SETTINGS`` below: PostgreSQL database ``hd_bench`` on 127.0.0.1:5432 as
postgres, ``DEBUG = False``, ``HELPDESK_TEAMS_MODE_ENABLED = False``, the dummy e-mail backend, the public form
filing into the queue ``public``), only where absent; creates the database, runs ``migrate`` (which loads
helpdesk's e-mail templates) and creates, through helpdesk's own ORM, the staff users and queues both benches
use. Run it again at any time: it changes nothing that is there.

What ``escalate_tickets`` does (helpdesk/management/commands/escalate_tickets.py in 2.6.1). For each queue
with ``escalate_days`` set and not 0: it counts the days from today − escalate_days to today that are not an
``EscalationExclusion`` date (one ``EXISTS`` query per day), then walks, one Python object at a time, the
queue's tickets whose status is open or reopened, whose priority is not 1, not on hold, and whose
``last_escalation`` (or, never escalated, ``created``) is at least that many days ago. Per ticket: priority
− 1, ``last_escalation = now``, ``ticket.save()`` (an UPDATE of every column); ``ticket.send`` renders
helpdesk's ``escalated_*`` e-mail templates (subject, text and HTML parts, from the database) and sends one
e-mail to the submitter (if any), one to the queue's ``updated_ticket_cc`` and one to the assigned user
(loaded by one query per ticket); then a public ``FollowUp`` "Ticket Escalated" (whose save saves the ticket
again) and its ``TicketChange`` (priority old → new). Each statement commits on its own (autocommit).

What the bench generates, and why it is fair. ``generate`` writes, with ``INSERT … SELECT generate_series``
(untimed), ``total`` open tickets (status 1, priority 3, not on hold) in the queue ``bench-escalation``
(``escalate_days = 1``, no exclusion dates), all assigned to the staff user ``bench_staff``, no submitter
e-mail (Minsheng's bench cases carry none either). The first ``overdue`` are due: half never escalated and
created 10 days ago, half escalated 2 days ago. The rest are not due: half created 1 to 20 hours ago, half
created 10 days ago but escalated 1 to 20 hours ago (both arms of helpdesk's filter). Minsheng's bench cases
are unassigned, so its sweep writes one escalation, one case event and a notification row for each member
of the department (城管局: the staff member and the head, two rows). helpdesk's equivalent of those rows is
its e-mails: the owner's (``escalated_owner``) and, with ``updated_ticket_cc`` set to the head's address, the
queue's (``escalated_cc``), so both sides address two people per escalation and write one history entry
(FollowUp + TicketChange against CaseEvent). helpdesk sends through Django's dummy backend (the message is
rendered and built, nothing leaves), Minsheng's sweep only writes its rows (sending is the outbox's later
job): neither side pays for delivery. Both counts are printed. helpdesk's process start-up (Python, Django
setup, the command's import and its queue list) is measured by the same command over the queue
``bench-idle`` (``escalate_days = 1``, no tickets) and taken off: the ratio is on helpdesk's loop alone.

The strict comparison (``mail=False``, the bench's headline): the same tickets unowned in a queue with no copy
address, so helpdesk sends nothing and its loop is only its database work (save, FollowUp, TicketChange), the
least it does per ticket, while Minsheng's sweep still writes its notification rows.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

HD_DATABASE_URL = os.environ.get("HD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hd_bench")
QUEUE = "bench-escalation"
QUIET_QUEUE = "bench-escalation-quiet"  # no copy address; its tickets have no owner: no e-mail at all
IDLE_QUEUE = "bench-idle"
OWNER_EMAIL = "bench-staff@example.com"
HEAD_EMAIL = "bench-head@example.com"

SETTINGS = '''"""django-helpdesk 2.6.1 as Minsheng's bench peer (written by bench/helpdesk_sweep.py setup)."""

SECRET_KEY = "bench-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "hdsite.urls"
WSGI_APPLICATION = "hdsite.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "hd_bench",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "media")
LOGIN_URL = "/login/"

EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

HELPDESK_TEAMS_MODE_ENABLED = False
# The public form files every ticket into the queue "public" at priority 3 (bench_intake.py posts only
# title, body and submitter_email, with a CSRF cookie).
HELPDESK_PUBLIC_TICKET_QUEUE = "public"
HELPDESK_PUBLIC_TICKET_PRIORITY = 3
HELPDESK_PUBLIC_TICKET_DUE_DATE = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
'''

URLS = """from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
"""

WSGI = """import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
application = get_wsgi_application()
"""

MANAGE = """#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

# Run by helpdesk's own ``manage.py shell``: users through the user model (its signal adds helpdesk's
# UserSettings), queues through helpdesk's Queue.
PREPARE = f"""
from django.contrib.auth import get_user_model
from helpdesk.models import Queue

User = get_user_model()
for name, email in (("bench_staff", {OWNER_EMAIL!r}), ("bench_head", {HEAD_EMAIL!r})):
    User.objects.update_or_create(username=name, defaults={{"email": email, "is_staff": True, "is_active": True}})
Queue.objects.update_or_create(
    slug="public", defaults={{"title": "Public", "allow_public_submission": True, "escalate_days": None}}
)
Queue.objects.update_or_create(
    slug={QUEUE!r},
    defaults={{"title": "Escalation bench", "escalate_days": 1, "updated_ticket_cc": {HEAD_EMAIL!r},
              "new_ticket_cc": None, "email_address": None}},
)
Queue.objects.update_or_create(
    slug={QUIET_QUEUE!r},
    defaults={{"title": "Escalation bench, no e-mail", "escalate_days": 1, "updated_ticket_cc": None,
              "new_ticket_cc": None, "email_address": None}},
)
Queue.objects.update_or_create(slug={IDLE_QUEUE!r}, defaults={{"title": "Idle", "escalate_days": 1}})
"""


@dataclass
class HelpdeskRun:
    total_seconds: float
    startup_seconds: float
    startup_samples: list[float]
    escalated: int
    followups: int
    changes: int
    emails: int
    untouched: int

    @property
    def loop_seconds(self) -> float:
        return self.total_seconds - self.startup_seconds


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS"))}
    env["DJANGO_SETTINGS_MODULE"] = "hdsite.settings"
    return env


def manage(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run helpdesk's manage.py with its own Python; fail loudly on a non-zero exit."""
    python = directory / "venv" / "bin" / "python"
    result = subprocess.run(
        [str(python), "manage.py", *args], cwd=directory, env=_env(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"helpdesk manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _write_absent(path: Path, text: str) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def setup(directory: Path) -> None:
    """Lay out DIR (manage.py, hdsite/) where absent, create and migrate hd_bench, create users and queues."""
    if not (directory / "venv" / "bin" / "python").exists():
        raise SystemExit(f"{directory}/venv missing: see the setup steps in bench/helpdesk_sweep.py")
    _write_absent(directory / "manage.py", MANAGE)
    _write_absent(directory / "hdsite" / "__init__.py", "")
    _write_absent(directory / "hdsite" / "settings.py", SETTINGS)
    _write_absent(directory / "hdsite" / "urls.py", URLS)
    _write_absent(directory / "hdsite" / "wsgi.py", WSGI)
    base, name = HD_DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(directory, "migrate", "-v0")
    manage(directory, "shell", "-c", PREPARE)


def generate(total: int, overdue: int, *, mail: bool = True) -> None:
    """``total`` open tickets, the first ``overdue`` due for escalation now (see the module docstring).

    ``mail``: in QUEUE, owned by bench_staff (two e-mails per escalation); else in QUIET_QUEUE, unowned (none).
    """
    with psycopg.connect(HD_DATABASE_URL, autocommit=True) as conn:
        queue = _one(conn, "SELECT id FROM helpdesk_queue WHERE slug = %s", QUEUE if mail else QUIET_QUEUE)
        owner = _one(conn, "SELECT id FROM auth_user WHERE username = %s", "bench_staff") if mail else None
        exclusions = _one(conn, "SELECT count(*) FROM helpdesk_escalationexclusion")
        if exclusions:
            raise SystemExit(f"hd_bench has {exclusions} escalation exclusion dates: the due count would move")
        # Every table that points at tickets (follow-ups, changes, CCs, …) goes too: hd_bench is a bench database.
        conn.execute("TRUNCATE helpdesk_ticket RESTART IDENTITY CASCADE")
        conn.execute(
            """
            INSERT INTO helpdesk_ticket (title, created, modified, submitter_email, status, on_hold, description,
                resolution, priority, due_date, last_escalation, assigned_to_id, queue_id, secret_key)
            SELECT 'bench ticket ' || g, t.created, t.created, '', 1, false, 'text', '', 3, NULL, t.escalated,
                %(owner)s, %(queue)s, md5(g::text)::uuid::text
            FROM generate_series(1, %(total)s) AS g
            CROSS JOIN LATERAL (SELECT
                CASE WHEN g > %(overdue)s AND g %% 2 = 0 THEN now() - (1 + g %% 20) * interval '1 hour'
                     ELSE now() - interval '10 days' END AS created,
                CASE WHEN g <= %(overdue)s AND g %% 2 = 0 THEN now() - interval '2 days'
                     WHEN g > %(overdue)s AND g %% 2 = 1 THEN now() - (1 + g %% 20) * interval '1 hour'
                END AS escalated) AS t
            """,
            {"owner": owner, "queue": queue, "total": total, "overdue": overdue},
        )
        conn.execute("VACUUM ANALYZE helpdesk_ticket")


def _one(conn: psycopg.Connection, sql: str, *params: object) -> int:
    row = conn.execute(sql, params).fetchone()
    if row is None:
        raise SystemExit(f"hd_bench: nothing for {sql} {params}: run bench/helpdesk_sweep.py setup DIR")
    return int(row[0])


def _counts(conn: psycopg.Connection, queue: str) -> tuple[int, int, int, int, int]:
    row = conn.execute(
        """
        SELECT (SELECT count(*) FROM helpdesk_ticket t JOIN helpdesk_queue q ON q.id = t.queue_id
                WHERE q.slug = %(queue)s AND t.priority = 2),
               (SELECT count(*) FROM helpdesk_followup WHERE title = 'Ticket Escalated'),
               (SELECT count(*) FROM helpdesk_ticketchange
                WHERE field = 'Priority' AND old_value = '3' AND new_value = '2'),
               (SELECT COALESCE(sum(jsonb_array_length(email_recipients)), 0) FROM helpdesk_followup
                WHERE title = 'Ticket Escalated'),
               (SELECT count(*) FROM helpdesk_ticket t JOIN helpdesk_queue q ON q.id = t.queue_id
                WHERE q.slug = %(queue)s AND t.priority = 3)
        """,
        {"queue": queue},
    ).fetchone()
    assert row is not None
    return row[0], row[1], row[2], row[3], row[4]


def run_escalation(directory: Path, *, mail: bool = True, startup_runs: int = 3) -> HelpdeskRun:
    """Time ``manage.py escalate_tickets`` over the queue ``generate`` filled, and its start-up over IDLE_QUEUE."""
    queue = QUEUE if mail else QUIET_QUEUE
    samples = []
    for _run in range(startup_runs):
        started = time.perf_counter()
        manage(directory, "escalate_tickets", "--queues", IDLE_QUEUE)
        samples.append(time.perf_counter() - started)
    started = time.perf_counter()
    manage(directory, "escalate_tickets", "--queues", queue)
    total = time.perf_counter() - started
    with psycopg.connect(HD_DATABASE_URL, autocommit=True) as conn:
        escalated, followups, changes, emails, untouched = _counts(conn, queue)
    return HelpdeskRun(total, statistics.median(samples), samples, escalated, followups, changes, emails, untouched)


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] != "setup":
        raise SystemExit("usage: python bench/helpdesk_sweep.py setup DIR")
    setup(Path(sys.argv[2]).resolve())
    print(f"{sys.argv[2]}: hdsite ready, database {HD_DATABASE_URL.rsplit('/', 1)[1]} migrated, queues and users set")


if __name__ == "__main__":
    main()
