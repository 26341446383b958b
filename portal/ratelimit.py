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
from dataclasses import dataclass

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


def _incr(cache_key: str, seconds: int = WINDOW_SECONDS) -> int:
    """Count a hit: one round trip on Redis (INCR + EXPIRE in a pipeline), add/incr elsewhere."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        key = backend.make_and_validate_key(cache_key)
        client = backend._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, seconds + 60, nx=True)
        hits, _ = pipeline.execute()
        return int(hits)
    cache.add(cache_key, 0, seconds + 60)
    return cache.incr(cache_key)


def rate_limit_check(
    *, scope: str, key: str, limit: int, count: bool = True, now: float | None = None, window: int = WINDOW_SECONDS
):
    """Count one hit (unless ``count`` is false) and say whether it is within ``limit`` per ``window`` seconds."""
    index, retry_after = _window(time.time() if now is None else now, window)
    cache_key = f"rl:{scope}:{key}:{index}"
    try:
        if count:
            hits = _incr(cache_key, window)
        else:
            hits = cache.get(cache_key, 0)
    except Exception:  # noqa: BLE001 - cache down: fail open
        log.warning("rate limiter unavailable for %s; allowing the request", scope)
        return RateLimitResult(allowed=True)
    if count:
        return RateLimitResult(allowed=hits <= limit, retry_after=retry_after if hits > limit else 0)
    return RateLimitResult(allowed=hits < limit, retry_after=retry_after if hits >= limit else 0)
