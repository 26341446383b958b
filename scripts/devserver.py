#!/usr/bin/env python
"""Start web, Celery worker and Celery beat together; Ctrl-C stops all three.

Used by ``make run``. Each child runs in its own process group so that
stopping it also stops whatever it started; nothing is left behind.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    python = sys.executable
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
    commands = {
        "web": [python, "manage.py", "runserver", "--noreload", f"{args.host}:{args.port}"],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
        ],
        "beat": [python, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO"],
    }
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for proc in children.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    signal.signal(signal.SIGINT, lambda *a: stop())
    signal.signal(signal.SIGTERM, lambda *a: stop())
    for name, cmd in commands.items():
        children[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    print(
        f"\nMinsheng is running at http://{args.host}:{args.port}/  (Ctrl-C stops web, worker and beat)\n", flush=True
    )
    try:
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None and not stopping:
                    print(f"{name} exited with {proc.returncode}; stopping the others", file=sys.stderr)
                    stop()
                    return 1
            time.sleep(0.5)
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
