#!/usr/bin/env python
"""Run the whole portal: PostgreSQL, Redis, web, Celery worker and Celery beat.  Used by ``make run``.

- PostgreSQL and Redis: the servers DATABASE_URL / REDIS_URL name or, when
  they are not set, the embedded ones under var/ (``portal.embedded``), which
  this launcher starts and, on exit, stops.
- web, worker and beat run under supervisord (the ``supervisor`` package):
  one that dies is started again, with one ``WARN exited: …`` line, and the
  others keep running. The site does not stop because a child died.
- Ctrl-C (or SIGTERM) stops supervisord, which stops each program's whole
  process group, then the embedded servers. Nothing is left behind.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import embedded  # noqa: E402

PROGRAM = """
[program:{name}]
command={command}
directory={root}
autostart=true
autorestart=true
startsecs=1
startretries=1000000
stopsignal=TERM
stopwaitsecs=15
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
"""


def supervisor_config(
    *, run_dir: Path, commands: dict[str, list[str]], once: dict[str, list[str]] | None = None
) -> str:
    # loglevel=warn: a crash is exactly one line ("WARN exited: worker (…; not expected)");
    # the restart that follows is silent. startretries is large, so it never gives up.
    lines = [
        "[supervisord]",
        "nodaemon=true",
        "loglevel=warn",
        f"logfile={run_dir / 'supervisord.log'}",
        f"pidfile={run_dir / 'supervisord.pid'}",
        f"childlogdir={run_dir}",
    ]
    if os.geteuid() == 0:
        lines.append("user=root")  # says that running as root is meant, instead of a CRIT line
    text = "\n".join(lines) + "\n"
    for name, argv in commands.items():
        text += PROGRAM.format(name=name, command=subprocess.list2cmdline(argv).replace("%", "%%"), root=ROOT)
    for name, argv in (once or {}).items():
        program = PROGRAM.format(name=name, command=subprocess.list2cmdline(argv).replace("%", "%%"), root=ROOT)
        text += program.replace("autorestart=true", "autorestart=false").replace("startsecs=1", "startsecs=0")
    return text


def _where(url: str) -> str:
    """host:port/name of a server URL, without the password."""
    parsed = urlparse(url)
    return f"{parsed.hostname}:{parsed.port}{parsed.path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--history",
        choices=["none", "tiny", "small", "full"],
        default="none",
        help="Play this much of the demo city's past in the background once the site is up (make run: small).",
    )
    args = parser.parse_args()
    python = sys.executable
    var_dir = embedded.default_var_dir()
    run_dir = var_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)

    env = os.environ
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
    env["PYTHONUNBUFFERED"] = "1"
    env["PORT"] = str(args.port)
    env.setdefault("SITE_URL", f"http://{args.host}:{args.port}")
    own = {"postgresql": not env.get("DATABASE_URL"), "valkey": not env.get("REDIS_URL")}
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = embedded.database_url(var_dir)
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = embedded.redis_url(var_dir)

    commands = {
        "web": [python, "manage.py", "runserver", "--noreload", f"{args.host}:{args.port}"],
        "worker": [
            python,
            *("-m", "celery", "-A", "portal", "worker", "--loglevel=INFO", "--concurrency=2"),
            *("--without-gossip", "--without-mingle", "-n", f"worker-{args.port}@%h"),
        ],
        "beat": [python, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO"],
    }
    # The city's past takes a minute or more to play through the real services; the site is up meanwhile and
    # shows it when its one transaction commits. Run once, never restarted; a second start finds it there.
    once = {"history": [python, "manage.py", "seed_history", "--size", args.history]} if args.history != "none" else {}
    config = run_dir / "supervisord.conf"
    config.write_text(supervisor_config(run_dir=run_dir, commands=commands, once=once))
    supervisord = subprocess.Popen(
        [python, "-m", "supervisor.supervisord", "-c", str(config)], cwd=ROOT, start_new_session=True
    )

    def stop(*_args) -> None:
        if supervisord.poll() is None:
            supervisord.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(
        f"\nMinsheng is running at http://{args.host}:{args.port}/  (PostgreSQL {_where(env['DATABASE_URL'])}, "
        f"Redis {_where(env['REDIS_URL'])}; Ctrl-C stops everything)\n",
        flush=True,
    )
    try:
        code = supervisord.wait()
    finally:
        stop()
        supervisord.wait()
        stopped = embedded.stop(var_dir, **own)
        print(f"stopped web, worker, beat{''.join(', embedded ' + name for name in stopped)}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
