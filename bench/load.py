#!/usr/bin/env python
"""`make load`: locust's headless run of the realistic mix (bench/locustfile.py) against the production stack.

Starts, on 127.0.0.1 only and on a database of its own:

- **gunicorn** with ``portal.settings.production`` (DEBUG off, collectstatic'd manifest, secure cookies,
  HSTS; the TLS proxy's part is played by the clients' ``X-Forwarded-Proto``/``-For`` from the trusted
  address 127.0.0.1),
- **one Celery worker** and **beat**,

on a seeded demo city (``--history small``: a month of cases, so the board, the dashboards and the inbox
have something true to show; seeded once into ``<database>_template`` and copied for each run). Then runs
locust for ``--seconds`` with ``--clients`` simultaneous users and prints requests/s and p50/p95/p99 per
kind of request. Afterwards it waits for the workers and checks that every accepted submission (web form,
API, Open311) is stored and routed: nothing lost. Exit status 1 when something is lost or over 1 % of
requests failed.

    python bench/load.py --seconds 60 --clients 120
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SECRET = "load-k3$9vQ!zR7wLp2#Xe8Tn4^Hb6Yc1@Mu5-Ja0Gd+Fs%Wq_Ei=Oh7Nr8"


def _psql(server: str, sql: str, *, check: bool = True) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=check)


def _database_exists(server: str, name: str) -> bool:
    out = subprocess.run(
        ["psql", f"{server}/postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def _manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=1800
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"load: manage.py {args[0]} failed")
    return done.stdout if capture else ""


def _prepare_database(args, server: str, env: dict) -> None:
    """A fresh copy of the seeded city: seeding (minutes) once, copying (a second) each run."""
    _psql(server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    if args.history == "none":
        _psql(server, f"CREATE DATABASE {args.database}")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "seed_demo", "--history", "none")
        return
    template = f"{args.database}_template_{args.history}"[:63]
    if args.reseed or not _database_exists(server, template):
        _psql(server, f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
        _psql(server, f"CREATE DATABASE {template}")
        seed_env = {**env, "DATABASE_URL": f"{server}/{template}"}
        print(f"load: seeding {template} (once; --reseed to redo)", flush=True)
        _manage(seed_env, "migrate", "--noinput", "-v0")
        _manage(seed_env, "seed_demo", "--history", args.history)
    _psql(server, f"CREATE DATABASE {args.database} TEMPLATE {template}")
    _manage(env, "migrate", "--noinput", "-v0")  # whatever migrations came after the template was seeded


def _collect_static(var_dir: Path, env: dict) -> None:
    """collectstatic with the production manifest, once per change of static/ (compressing takes a minute)."""
    shared = ROOT / "var" / "load-staticfiles"
    shared.mkdir(parents=True, exist_ok=True)
    target = var_dir / "staticfiles"
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    if not target.is_symlink():
        target.symlink_to(shared, target_is_directory=True)
    manifest = shared / "staticfiles.json"
    sources = [p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()]
    if manifest.exists() and manifest.stat().st_mtime >= max(sources, default=0):
        return
    _manage(env, "collectstatic", "--noinput", "-v0")


def _cpu_seconds(roots: dict[str, list[int]], database: str) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each group of processes, children included, and by the
    PostgreSQL backends serving ``database``: the cost of the mix, whatever else the machine is doing."""
    import psutil

    out: dict[str, float] = {}
    for group, pids in roots.items():
        total = 0.0
        for pid in pids:
            try:
                proc = psutil.Process(pid)
                for p in [proc, *proc.children(recursive=True)]:
                    times = p.cpu_times()
                    total += times.user + times.system
            except psutil.NoSuchProcess:
                continue
        out[group] = total
    total = 0.0
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if cmdline.startswith("postgres: ") and f" {database} " in f"{cmdline} ":
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                continue
    out["postgres"] = total
    return out


def _stats(prefix: Path, seconds: float) -> dict:
    """locust's CSV (one row per request name, then 'Aggregated') as the report's kinds."""
    kinds: dict[str, dict] = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] in ("", "Aggregated") else f"{row['Name']}"
            if row["Name"] == "Aggregated":
                name = "all"
            requests = int(row["Request Count"])
            kinds[name] = {
                "requests": requests,
                "rps": round(requests / seconds, 1) if seconds else 0.0,
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0)),
                "errors": int(row["Failure Count"]),
            }
    return kinds


def _print_table(kinds: dict) -> None:
    print(f"{'kind':58} {'requests':>8} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    for name, k in sorted(kinds.items(), key=lambda item: (item[0] == "all", item[0])):
        print(
            f"{name:58} {k['requests']:8d} {k['rps']:7.1f} {k['p50_ms']:6.0f} {k['p95_ms']:6.0f} "
            f"{k['p99_ms']:6.0f} {k['errors']:6d}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=120, help="simultaneous locust users")
    parser.add_argument("--spawn-rate", type=float, default=0, help="users started per second (0: clients/5)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="ms_load")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--history", choices=["none", "small", "full"], default="none")
    parser.add_argument("--reseed", action="store_true", help="seed the template database again")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per process")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--think-scale", type=float, default=1.0, help="scale of the users' think time (0-1)")
    parser.add_argument("--json", dest="json_out", default="")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "load"), help="logs, static files, beat's schedule")
    parser.add_argument("--drop-database", action="store_true", help="drop the database afterwards")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.database):
        parser.error("--database must be a plain lower-case PostgreSQL name of at most 41 characters")
    if args.seconds <= 0 or args.clients < 1:
        parser.error("--seconds and --clients must be positive")
    var_dir = Path(args.var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    server = args.postgres.rstrip("/")
    # A SIGTERM (a test's timeout, Ctrl-C in CI) still runs the finally below that stops every process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "WHITENOISE_USE_FINDERS", "DATABASE_REPLICA_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": f"{server}/{args.database}",
            "REDIS_URL": args.redis,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TRUSTED_PROXIES": "127.0.0.1",  # the clients play the TLS proxy: X-Forwarded-Proto https
            "MINSHENG_VAR_DIR": str(var_dir),
            "EMAIL_URL": "consolemail://",
            # Each locust user has an address of its own (X-Forwarded-For), but one user submits more in a
            # minute than a citizen in an hour: the per-address limits would measure the limiter.
            "SUBMIT_RATE_PER_HOUR": "1000000",
            "TRACK_RATE_PER_HOUR": "1000000",
            "API_ANON_RATE": "1000000/minute",
            "API_USER_RATE": "1000000/minute",
            "OPEN311_KEY_RATE_PER_MINUTE": "1000000",
            "PYTHONUNBUFFERED": "1",
        }
    )
    _prepare_database(args, server, env)
    subprocess.run(["redis-cli", "-u", args.redis, "FLUSHDB"], check=True, capture_output=True)
    _collect_static(var_dir, env)
    key_name = f"load-{int(time.time())}"
    open311_key = _manage(env, "open311_key", key_name, "--rate", "1000000", capture=True).strip().splitlines()[-1]

    logs = open(var_dir / "processes.log", "w")  # noqa: SIM115 - closed below
    spawn = dict(cwd=ROOT, env=env, stdout=logs, stderr=logs, start_new_session=True)
    procs = [
        subprocess.Popen(
            [PY, "-m", "gunicorn", "portal.wsgi:application", "--config", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers), "--threads", str(args.threads)]
            + ["--timeout", "30", "--access-logfile", "/dev/null"],
            **spawn,
        ),
        subprocess.Popen(
            [PY, "-m", "celery", "-A", "portal", "worker", "-c", str(args.worker_concurrency)]
            + ["--without-gossip", "--without-mingle", "--loglevel=INFO"],  # INFO: its "ready." line
            **spawn,
        ),
        subprocess.Popen(
            [PY, "-m", "celery", "-A", "portal", "beat", "--loglevel=WARNING", "-s", str(var_dir / "beat-schedule")],
            **spawn,
        ),
    ]
    report: dict = {}
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            time.sleep(0.5)
        # The worker must be consuming before the clients start: on a busy machine it takes tens of seconds
        # to start, and a fault test that stops Redis meanwhile would otherwise test a worker not yet there.
        for _ in range(360):
            if " ready." in (var_dir / "processes.log").read_text(errors="replace"):
                break
            time.sleep(0.5)
        accepted_file = var_dir / "accepted.json"
        accepted_file.unlink(missing_ok=True)
        prefix = var_dir / "locust"
        load_before = os.getloadavg()
        groups = {"web": [procs[0].pid], "worker": [procs[1].pid], "beat": [procs[2].pid]}
        cpu_before = _cpu_seconds(groups, args.database)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        print("load: running", flush=True)  # a fault test waits for this line before it breaks something
        started = time.monotonic()
        spawn_rate = args.spawn_rate or max(1.0, args.clients / 5)
        locust = subprocess.run(
            [PY, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
            + ["--host", f"http://127.0.0.1:{args.port}", "-u", str(args.clients), "-r", str(spawn_rate)]
            + ["-t", f"{int(args.seconds)}s", "--stop-timeout", "10", "--csv", str(prefix), "--only-summary"]
            + ["--exit-code-on-error", "0", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={
                **env,
                "LOAD_OPEN311_KEY": open311_key,
                "LOAD_ACCEPTED_FILE": str(accepted_file),
                "LOAD_THINK_SCALE": str(args.think_scale),
            },
            capture_output=True,
            text=True,
            timeout=args.seconds + 300,
        )
        elapsed = time.monotonic() - started
        cpu_after = _cpu_seconds(groups, args.database)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the locust process, reaped by now
        if not Path(f"{prefix}_stats.csv").exists():
            sys.stderr.write(locust.stdout[-3000:] + locust.stderr[-3000:])
            raise SystemExit("load: locust wrote no statistics")
        kinds = _stats(prefix, args.seconds)
        accepted = json.loads(accepted_file.read_text()) if accepted_file.exists() else []
        total = kinds.pop("all", {"requests": 0, "errors": 0})
        report = {
            "seconds": args.seconds,
            "wall_seconds": round(elapsed, 1),
            "clients": args.clients,
            "think_scale": args.think_scale,
            "gunicorn": f"{args.workers} processes x {args.threads} threads",
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "kinds": kinds,
            "total_requests": total["requests"],
            "total_rps": round(total["requests"] / args.seconds, 1),
            "total_p50_ms": total.get("p50_ms"),
            "total_p95_ms": total.get("p95_ms"),
            "total_p99_ms": total.get("p99_ms"),
            "errors": total["errors"],
            "error_rate": round(total["errors"] / total["requests"], 4) if total["requests"] else 1.0,
        }
        # PostgreSQL backends that closed during the run took their CPU time with them: a lower bound.
        cpu = {group: round(cpu_after[group] - cpu_before.get(group, 0.0), 1) for group in cpu_after}
        served = cpu["web"] + cpu["worker"] + cpu["beat"] + cpu["postgres"]
        cpu["locust"] = round(
            children_after.ru_utime + children_after.ru_stime - children_before.ru_utime - children_before.ru_stime, 1
        )
        report["cpu_seconds"] = cpu
        if total["requests"]:
            report["server_cpu_ms_per_request"] = round(1000 * served / total["requests"], 1)
            # What two cores doing nothing else would serve at the same cost per request (the load generator
            # on another machine): an estimate from measured CPU, not a measured rate.
            report["estimated_rps_on_2_free_cores"] = round(2 * total["requests"] / served, 1) if served else None
        failures = Path(f"{prefix}_failures.csv")
        if failures.exists():
            report["error_samples"] = failures.read_text()[:2000]
        # Nothing lost: every accepted submission is stored and gets routed (or sent to triage).
        check = (
            "import json,sys;from feedback.models import Submission as S;"
            "n=json.load(sys.stdin);q=S.objects.filter(tracking_number__in=n);"
            "print(json.dumps({'stored':q.count(),'unrouted':q.filter(status='submitted').count()}))"
        )
        wait_started = time.monotonic()
        while True:
            out = subprocess.run(
                [PY, "manage.py", "shell", "-c", check],
                cwd=ROOT,
                env=env,
                input=json.dumps(accepted),
                capture_output=True,
                text=True,
                check=True,
            )
            counts = json.loads(out.stdout.strip().splitlines()[-1])
            if counts["unrouted"] == 0 or time.monotonic() > wait_started + 120:
                break
            time.sleep(2)
        report["accepted_submissions"] = len(accepted)
        report["stored"] = counts["stored"]
        report["unrouted_after_wait"] = counts["unrouted"]
        report["route_wait_seconds"] = round(time.monotonic() - wait_started, 1)
        report["lost"] = len(accepted) - counts["stored"]
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        logs.close()
        if args.drop_database:
            _psql(server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)", check=False)
    _print_table({**report["kinds"]})
    print(
        f"all: {report['total_requests']} requests, {report['total_rps']} req/s, p50 {report['total_p50_ms']} ms, "
        f"p95 {report['total_p95_ms']} ms, p99 {report['total_p99_ms']} ms, errors {report['errors']}; "
        f"accepted {report['accepted_submissions']}, stored {report['stored']}, lost {report['lost']}, "
        f"unrouted {report['unrouted_after_wait']}; load average {report['load_average_before']} → "
        f"{report['load_average_after']}"
    )
    print(
        f"cpu seconds {report.get('cpu_seconds')}; server cpu per request "
        f"{report.get('server_cpu_ms_per_request')} ms; estimated on 2 free cores "
        f"{report.get('estimated_rps_on_2_free_cores')} req/s"
    )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    ok = report["lost"] == 0 and report["unrouted_after_wait"] == 0 and report["error_rate"] < 0.01
    print("load: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
