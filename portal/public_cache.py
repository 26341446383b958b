"""A short cache of public answers: the same for every visitor, already masked, never per key or per person.

Only what anyone may read goes here (the Open311 list, the home page's figures). An answer may be up to
``PUBLIC_CACHE_SECONDS`` old (0: no cache). The cache is an optimisation: when it is down the answer is
computed as if it were not there.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)
T = TypeVar("T")


def public_cache_seconds() -> int:
    return int(settings.MINSHENG.get("PUBLIC_CACHE_SECONDS", 60))


def public_cache_key(name: str, *parts: object) -> str:
    """``public:<name>:<hash of parts>``: every part that changes the answer must be one of ``parts``."""
    digest = hashlib.sha256("\x1f".join(repr(part) for part in parts).encode()).hexdigest()
    return f"public:{name}:{digest}"


def public_cached(key: str, compute: Callable[[], T]) -> T:
    """The cached value of ``key``, or ``compute()`` stored for ``PUBLIC_CACHE_SECONDS``."""
    seconds = public_cache_seconds()
    if seconds <= 0:
        return compute()
    try:
        hit = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is down: compute the answer without it
        log.warning("public cache unavailable; computing %s", key.split(":")[1])
        hit = None
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        pass
    return value
