"""Strict reading of the environment.

Each reader raises ``ImproperlyConfigured`` with a single line that names the
variable and says what was expected, so a typo in a deployment fails at start
instead of at the first request.
"""

from __future__ import annotations

import re
import subprocess
import zoneinfo
from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bad(name: str, value: str, expected: str) -> ImproperlyConfigured:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return ImproperlyConfigured(f"{name}={shown!r} is not valid: expected {expected}.")


def read_bool(name: str, *, default: bool) -> bool:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _bad(name, raw, "true or false")


def read_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default=None)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(name, raw, "a whole number") from None
    if value < minimum:
        raise _bad(name, raw, f"a whole number of at least {minimum}")
    return value


def read_list(name: str, *, default: list[str]) -> list[str]:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise _bad(name, raw, "a comma-separated list with at least one entry")
    return items


def read_timezone(name: str, *, default: str) -> str:
    raw = env.str(name, default=default)
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _bad(name, raw, "an IANA time zone such as Asia/Shanghai") from None
    return raw


_DB_SCHEMES = {"postgres", "postgresql", "pgsql"}


def embedded_url(name: str, var_dir) -> str | None:
    """The URL of the embedded server standing in for ``name`` when that variable is not set, else None.

    The server (PostgreSQL for DATABASE_URL, Valkey for REDIS_URL) is started
    on demand under ``var_dir`` or reused when it runs (``portal.embedded``).
    """
    if (env.str(name, default="") or "").strip():
        return None
    from portal import embedded

    try:
        if name == "DATABASE_URL":
            return embedded.database_url(var_dir)
        return embedded.redis_url(var_dir)
    except (embedded.EmbeddedError, OSError, subprocess.SubprocessError) as exc:
        raise ImproperlyConfigured(f"{name} is not set and the embedded server did not start: {exc}") from None


def read_database(name: str, *, default: str | None = None) -> dict[str, Any]:
    raw = env.str(name, default=None) or default
    if not raw:
        raise ImproperlyConfigured(f"{name} is not set: expected postgres://user@host:port/name.")
    parsed = urlparse(raw)
    if parsed.scheme not in _DB_SCHEMES:
        raise _bad(name, raw, "postgres://user@host:port/name")
    if not parsed.path.strip("/"):
        raise _bad(name, raw, "a database name after the host, e.g. postgres://postgres@127.0.0.1:5432/minsheng")
    try:
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ValueError
    except ValueError:
        raise _bad(name, raw, "a port between 1 and 65535") from None
    config = environ.Env.db_url_config(raw)
    config["CONN_MAX_AGE"] = 60
    config["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer must not hang a request forever.
    config.setdefault("OPTIONS", {})["connect_timeout"] = 5
    return config


def read_redis_url(name: str, *, default: str | None = None) -> str:
    raw = env.str(name, default=None) or default
    if raw is None or raw.strip() == "":
        raise ImproperlyConfigured(f"{name} is not set: expected redis://host:port/db.")
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss"} or not parsed.hostname:
        raise _bad(name, raw, "redis://host:port/db")
    try:
        parsed.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise _bad(name, raw, "redis://host:port/db with a numeric port") from None
    db = parsed.path.strip("/")
    if db and not db.isdigit():
        raise _bad(name, raw, "a numeric database index after the host, e.g. redis://127.0.0.1:6379/0")
    return raw


_EMAIL_SCHEMES = {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail", "dummymail"}


def read_email(name: str, *, default: str) -> dict[str, Any]:
    raw = env.str(name, default=default)
    parsed = urlparse(raw)
    if parsed.scheme not in _EMAIL_SCHEMES:
        raise _bad(name, raw, "smtp://user:password@host:port, smtp+tls://… or consolemail://")
    try:
        parsed.port  # noqa: B018 - raises on a malformed port
        return environ.Env.email_url_config(raw)
    except ValueError:
        raise _bad(name, raw, "smtp://user:password@host:port with a numeric port") from None


def broker_transport_options() -> dict[str, Any]:
    """Timeouts for kombu's Redis transport, which otherwise waits forever.

    A broker that accepts connections but never answers must fail a publish
    within about two seconds, so a citizen's request is never held hostage.
    """
    return {
        "visibility_timeout": 3600,
        "socket_timeout": 1.5,
        "socket_connect_timeout": 1.5,
        "max_retries": 0,
        "retry_on_timeout": False,
        "health_check_interval": 30,
    }


def read_rate(name: str, *, default: str) -> str:
    """A throttle rate such as ``120/minute`` (DRF's format)."""
    raw = env.str(name, default=None)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise _bad(name, raw, "a rate such as 120/minute")
    return value


def read_work_hours(name: str, *, default: str) -> list[tuple[int, int]]:
    """Working hours as minute ranges, e.g. ``09:00-12:00,13:30-18:00`` → [(540, 720), (810, 1080)]."""
    raw = env.str(name, default=default)
    ranges: list[tuple[int, int]] = []
    try:
        for part in raw.split(","):
            start_text, end_text = part.strip().split("-")
            start_h, start_m = (int(x) for x in start_text.split(":"))
            end_h, end_m = (int(x) for x in end_text.split(":"))
            start, end = start_h * 60 + start_m, end_h * 60 + end_m
            if not (0 <= start < end <= 24 * 60) or (ranges and start < ranges[-1][1]):
                raise ValueError
            ranges.append((start, end))
    except ValueError:
        raise _bad(name, raw, "ordered ranges like 09:00-12:00,13:30-18:00") from None
    return ranges


def read_networks(name: str, *, default: list[str]) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks (e.g. ``10.0.0.5,172.28.0.0/24``)."""
    import ipaddress

    items = read_list(name, default=default) if env.str(name, default="").strip() else default
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise _bad(name, item, "IP addresses or networks such as 10.0.0.5 or 172.28.0.0/24") from None
    return items


SECRET_KEY_MIN_BITS = 128


def secret_key_entropy_bits(key: str) -> int:
    """A cautious estimate of a key's entropy in bits: the smaller of two measures.

    Character frequencies (Shannon) catch keys from a tiny alphabet; zlib's
    compression catches keys that repeat a pattern, which frequencies miss
    (``'abcde' * 12`` has 139 bits by frequency but compresses to 8 bytes).
    """
    import math
    import zlib
    from collections import Counter

    if not key:
        return 0
    length = len(key)
    shannon = -length * sum(n / length * math.log2(n / length) for n in Counter(key).values())
    compressed = 8 * max(0, len(zlib.compress(key.encode(), 9)) - len(zlib.compress(b"", 9)))
    return int(min(shannon, compressed))


def read_secret_key(name: str = "SECRET_KEY") -> str:
    """The production secret: at least 50 characters and ``SECRET_KEY_MIN_BITS`` of estimated entropy."""
    key = env.str(name, default="")
    bits = secret_key_entropy_bits(key)
    if len(key) < 50 or bits < SECRET_KEY_MIN_BITS or key.startswith("dev-only"):
        raise ImproperlyConfigured(
            f"{name} is missing or weak (about {bits} bits of entropy, {len(key)} characters): set a random value "
            f"of at least 50 characters and {SECRET_KEY_MIN_BITS} bits, e.g. from "
            "python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())'."
        )
    return key
