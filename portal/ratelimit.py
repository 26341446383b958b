"""A rate limit on Django's cache that fails open: the one limiter of every app.

A fixed window (an hour unless told) is enough here: it stops a script, not a
person. If the cache (Redis) is down the request is allowed: a citizen's
submission must never be lost because the rate limiter is unavailable.
Callers choose the key (``client_key`` for the client's address, behind
trusted proxies only, see ``portal.proxies``) and whether a hit counts, so
that only failures count where failures are what is limited.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from portal.proxies import client_address

log = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    retry_after: int = 0


def hashed_key(*parts: str) -> str:
    """A cache key part from ``parts``, hashed so no raw address or number is kept in the cache."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def client_key(request: HttpRequest) -> str:
    """The client's address, hashed."""
    return hashed_key(client_address(request) or "unknown")


def _window(now: float, seconds: int = WINDOW_SECONDS) -> tuple[int, int]:
    index = int(now // seconds)
    return index, seconds - int(now % seconds)


@dataclass(frozen=True)
class LimitCheck:
    """One limit to look at: ``count`` adds this hit first; ``limit`` hits per ``window`` seconds."""

    scope: str
    key: str
    limit: int
    count: bool = True
    window: int = WINDOW_SECONDS


# One Redis client per process and server list: building one per call (Django's
# cache does) costs more than the round trip it makes.
_REDIS_CLIENTS: dict[tuple[str, ...], Any] = {}


def _redis_client(backend: RedisCache):
    servers = tuple(backend._servers)  # type: ignore[attr-defined]
    client = _REDIS_CLIENTS.get(servers)
    if client is None:
        client = _REDIS_CLIENTS[servers] = backend._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    return client


def _hits(checks: Sequence[LimitCheck], keys: list[str]) -> list[int]:
    """The hits of every key (after counting those that count): one round trip on Redis."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        pipeline = _redis_client(backend).pipeline(transaction=False)
        for check, cache_key in zip(checks, keys, strict=True):
            key = backend.make_and_validate_key(cache_key)
            if check.count:
                pipeline.incr(key)
                pipeline.expire(key, check.window + 60, nx=True)
            else:
                pipeline.get(key)
        replies = iter(pipeline.execute())
        hits = []
        for check in checks:
            value = next(replies)
            if check.count:
                next(replies)  # EXPIRE's answer
            hits.append(int(value or 0))
        return hits
    hits = []
    for check, cache_key in zip(checks, keys, strict=True):
        if check.count:
            cache.add(cache_key, 0, check.window + 60)
            hits.append(cache.incr(cache_key))
        else:
            hits.append(cache.get(cache_key, 0))
    return hits


def rate_limits_check(checks: Sequence[LimitCheck], *, now: float | None = None) -> list[RateLimitResult]:
    """Count and look at several limits in one round trip; one result per check, in order.

    A counted hit is allowed while the count is within ``limit``; a look
    (``count=False``) while fewer than ``limit`` hits were counted.
    """
    moment = time.time() if now is None else now
    windows = [_window(moment, check.window) for check in checks]
    keys = [f"rl:{check.scope}:{check.key}:{index}" for check, (index, _) in zip(checks, windows, strict=True)]
    try:
        hits = _hits(checks, keys)
    except Exception:  # noqa: BLE001 - cache down: fail open
        log.warning("rate limiter unavailable for %s; allowing the request", ", ".join(c.scope for c in checks))
        return [RateLimitResult(allowed=True) for _ in checks]
    results = []
    for check, (_, retry_after), count in zip(checks, windows, hits, strict=True):
        over = count > check.limit if check.count else count >= check.limit
        results.append(RateLimitResult(allowed=not over, retry_after=retry_after if over else 0))
    return results


def rate_limit_check(
    *, scope: str, key: str, limit: int, count: bool = True, now: float | None = None, window: int = WINDOW_SECONDS
) -> RateLimitResult:
    """Count one hit (unless ``count`` is false) and say whether it is within ``limit`` per ``window`` seconds."""
    return rate_limits_check([LimitCheck(scope=scope, key=key, limit=limit, count=count, window=window)], now=now)[0]
