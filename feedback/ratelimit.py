"""A per-client rate limit on Django's cache that fails open.

A fixed window per hour is enough here: it stops a script, not a person. If
the cache (Redis) is down the request is allowed: a citizen's submission must
never be lost because the rate limiter is unavailable.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

log = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    retry_after: int = 0


def client_key(request: HttpRequest) -> str:
    """The client's address, hashed so no raw IP is kept in the cache."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


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
